package konbini

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// Outcome is what settling did, for the log and the tests.
type Outcome string

const (
	Settled  Outcome = "settled"  // the order moved
	Already  Outcome = "already"  // a repeat: it had moved before
	Unknown  Outcome = "unknown"  // no konbini order has this intent
	Mismatch Outcome = "mismatch" // paid, but not as the order expects; left for the operator
)

type orderRef struct {
	id     int64
	number string
	status order.Status
	total  shop.Yen
}

func orderOf(ctx context.Context, tx *db.Tx, intentID string) (*Payment, orderRef, error) {
	p, err := load(ctx, tx, `intent_id = ?`, intentID)
	if err != nil {
		return nil, orderRef{}, err
	}
	var o orderRef
	var st string
	var total int64
	if err := tx.QueryRow(ctx, `SELECT id, number, status, total FROM orders WHERE id = ?`, p.OrderID).Scan(&o.id, &o.number, &st, &total); err != nil {
		return nil, o, fmt.Errorf("konbini: order of %s: %w", intentID, err)
	}
	o.status, o.total = order.Status(st), shop.Yen(total)
	return p, o, nil
}

// MarkPaid settles the order of a konbini payment the provider reports
// paid with amount: the order moves from awaiting payment to paid and the
// payment is recorded. A repeated report changes nothing (Already). A
// payment for an order already cancelled (it expired first), or of
// another amount, is recorded and noted in the order's history for the
// operator to refund or settle, and the status is left alone (Mismatch).
func MarkPaid(ctx context.Context, tx *db.Tx, intentID string, amount shop.Yen) (Outcome, error) {
	p, o, err := orderOf(ctx, tx, intentID)
	if shop.KindOf(err) == shop.NotFound {
		return Unknown, nil
	}
	if err != nil {
		return "", err
	}
	if p.PaidAt != nil {
		return Already, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE konbini_payments SET paid_at = ? WHERE order_id = ?`, tx.Now(), p.OrderID); err != nil {
		return "", err
	}
	rec := order.Payment{Provider: "stripe", Method: "konbini", Reference: intentID, Amount: amount, Status: "succeeded"}
	if err := order.RecordPayment(ctx, tx, o.id, rec); err != nil {
		return "", err
	}
	if amount != o.total || o.status != order.AwaitingPayment {
		note := fmt.Sprintf("konbini %s paid %d for an order of %d in status %s: check and refund", intentID, amount, o.total, o.status)
		return Mismatch, order.AddHistory(ctx, tx, o.id, o.status, note)
	}
	if err := order.Move(ctx, tx, o.number, order.Paid, "konbini "+intentID); err != nil {
		return "", err
	}
	return Settled, nil
}

// Expire cancels the order of a konbini payment that was not paid in
// time, returning its stock. An order that was paid or has moved on is
// left alone (Already).
func Expire(ctx context.Context, tx *db.Tx, intentID, why string) (Outcome, error) {
	p, o, err := orderOf(ctx, tx, intentID)
	if shop.KindOf(err) == shop.NotFound {
		return Unknown, nil
	}
	if err != nil {
		return "", err
	}
	if p.PaidAt != nil || p.CancelledAt != nil || o.status != order.AwaitingPayment {
		return Already, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE konbini_payments SET cancelled_at = ? WHERE order_id = ?`, tx.Now(), p.OrderID); err != nil {
		return "", err
	}
	if err := order.Cancel(ctx, tx, o.number, "konbini "+why); err != nil {
		return "", err
	}
	return Settled, nil
}

// Grace is how long after the instructions' expiry the sweep waits for
// the provider's own word before it cancels: a payment made at the last
// minute may be reported a little later.
const Grace = time.Hour

// Sweep cancels, one order per transaction, the konbini orders still
// awaiting payment whose instructions expired more than Grace before
// now, and returns how many it cancelled. A failure on one order is
// logged and the others go on.
func Sweep(ctx context.Context, d *db.DB, now time.Time, log *slog.Logger) (int, error) {
	rows, err := d.Query(ctx, `SELECT k.intent_id FROM konbini_payments k JOIN orders o ON o.id = k.order_id
		WHERE k.paid_at IS NULL AND k.cancelled_at IS NULL AND o.status = ? AND k.expires_at < ? ORDER BY k.expires_at LIMIT 500`,
		string(order.AwaitingPayment), now.Add(-Grace).UTC())
	if err != nil {
		return 0, fmt.Errorf("konbini: sweep: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, id := range ids {
		var out Outcome
		err := d.Tx(ctx, func(tx *db.Tx) error {
			var err error
			out, err = Expire(ctx, tx, id, "expired (sweep)")
			return err
		})
		if err != nil {
			errs = append(errs, err)
			if log != nil {
				log.Error("konbini expiry", "intent", id, "err", err)
			}
			continue
		}
		if out == Settled {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// Sweeper runs Sweep every Every until ctx ends.
type Sweeper struct {
	DB    *db.DB
	Log   *slog.Logger
	Every time.Duration // 0: five minutes
}

// Run sweeps until ctx ends.
func (s *Sweeper) Run(ctx context.Context) {
	every := s.Every
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := Sweep(ctx, s.DB, time.Now(), s.Log); err != nil && ctx.Err() == nil {
			s.Log.Error("konbini sweep", "err", err)
		} else if n > 0 {
			s.Log.Info("konbini orders expired", "cancelled", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
