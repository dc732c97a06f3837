package refund

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/lease"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// Refunder gives money back to a card; *payment.Stripe is one.
type Refunder interface {
	Refund(ctx context.Context, reference string, amount int64, idempotencyKey string) (string, error)
}

// Cards returns the card provider as configured now (checkout.Cards), or
// nil when no key is set.
type Cards interface {
	Provider(ctx context.Context) (payment.Provider, error)
}

// Worker sends pending card refunds to the provider: a refund row is
// claimed under a lease in one short transaction, the provider is called
// outside any transaction with the refund's ID as idempotency key (a
// retry after a lost mark refunds once), and the outcome is marked in a
// second. A provider that cannot be reached is retried with back-off; a
// refusal fails the refund at once, audit-logged and shown on the order.
type Worker struct {
	DB    *db.DB
	Cards Cards
	Log   *slog.Logger
	// Refunder, when set, is used instead of Cards (tests).
	Refunder Refunder
	Instance string

	MaxAttempts int           // default 8
	BaseDelay   time.Duration // default 1 min, doubled per attempt
	Poll        time.Duration // default 10 s
}

func (w *Worker) defaults() {
	if w.MaxAttempts == 0 {
		w.MaxAttempts = 8
	}
	if w.BaseDelay == 0 {
		w.BaseDelay = time.Minute
	}
	if w.Poll == 0 {
		w.Poll = 10 * time.Second
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Instance == "" {
		b := make([]byte, 6)
		rand.Read(b)
		w.Instance = "refund-" + hex.EncodeToString(b)
	}
}

func (w *Worker) queue() *lease.Queue {
	return &lease.Queue{Table: "refunds", Done: Succeeded, DoneAt: "done_at", Dead: Failed,
		Instance: w.Instance, Lease: 5 * time.Minute, Batch: 10,
		MaxAttempts: w.MaxAttempts, BaseDelay: w.BaseDelay, MaxDelay: 6 * time.Hour}
}

// Run sends refunds until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	lease.Run(ctx, 10, w.Poll, w.RunOnce, func(err error) { w.Log.Error("refund: scan failed", "err", err) })
}

type job struct {
	lease.Job
	ref, number string
	amount      int64
}

// RunOnce claims a batch of due refunds and sends them; it returns how
// many it claimed. The admin screen calls it right after recording a
// refund, so the operator sees the provider's answer at once.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	q := w.queue()
	var jobs []job
	err := w.DB.Tx(ctx, func(tx *db.Tx) error {
		ljs, err := q.Claim(ctx, tx)
		if err != nil {
			return err
		}
		for _, lj := range ljs {
			j := job{Job: lj}
			if err := tx.QueryRow(ctx, `SELECT r.payment_ref, r.amount, o.number FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.id = ?`,
				j.ID).Scan(&j.ref, &j.amount, &j.number); err != nil {
				return err
			}
			jobs = append(jobs, j)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		if ctx.Err() != nil || j.Late(w.DB.Now()) {
			break
		}
		id, rerr := w.send(ctx, j)
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := w.mark(mctx, q, j, id, rerr); err != nil {
			w.Log.Error("refund: cannot record outcome", "order", j.number, "refund", j.ID, "err", err)
		}
		cancel()
	}
	return len(jobs), nil
}

func (w *Worker) send(ctx context.Context, j job) (string, error) {
	r := w.Refunder
	if r == nil && w.Cards != nil {
		p, err := w.Cards.Provider(ctx)
		if err != nil {
			return "", err
		}
		r, _ = p.(Refunder)
	}
	if r == nil {
		return "", errors.New("no card provider configured")
	}
	return r.Refund(ctx, j.ref, j.amount, fmt.Sprintf("akinai-refund-%d", j.ID))
}

// mark records the outcome: succeeded with the provider's ID, retried
// later, or failed and audit-logged.
func (w *Worker) mark(ctx context.Context, q *lease.Queue, j job, providerID string, rerr error) error {
	return w.DB.Tx(ctx, func(tx *db.Tx) error {
		if rerr == nil {
			if _, err := tx.Exec(ctx, `UPDATE refunds SET reference = ?, last_error = '' WHERE id = ?`, providerID, j.ID); err != nil {
				return err
			}
			return q.Finish(ctx, tx, j.Job)
		}
		declined := errors.Is(rerr, payment.ErrDeclined) || shop.KindOf(rerr) == shop.Invalid
		f, err := q.Fail(ctx, tx, j.Job, rerr.Error(), declined)
		w.Log.Warn("refund: failed", "order", j.number, "refund", j.ID, "attempt", j.Attempts, "status", f.Status, "err", f.Error)
		if err != nil || !f.Recorded || f.Status != q.Dead {
			return err
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Actor: "system:" + w.Instance, Action: "order.refund_failed", Target: j.number,
			Details: map[string]any{"refund": j.ID, "amount": j.amount, "error": f.Error}})
		return err
	})
}
