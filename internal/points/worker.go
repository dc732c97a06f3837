package points

import (
	"context"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Worker grants the points of orders that reached the grant status,
// takes them back (and gives spent points back) when an order is
// cancelled or returned, and expires the points of customers who have
// not bought for the set number of months. Each order and each account is
// one transaction whose first statement is a conditional update of its
// state, so two instances running the worker never grant twice.
type Worker struct {
	DB       *db.DB
	Settings func(ctx context.Context) (map[string]string, error)
	Log      *slog.Logger
	Every    time.Duration // 30 s when 0
}

// Run works until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	every := w.Every
	if every == 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("points worker", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce does one pass: grants, cancellations and returns, expiry.
func (w *Worker) RunOnce(ctx context.Context) error {
	m, err := w.Settings(ctx)
	if err != nil {
		return err
	}
	s := SettingsFrom(m)
	if err := w.grant(ctx, s); err != nil {
		return err
	}
	if err := w.close(ctx); err != nil {
		return err
	}
	return w.expire(ctx, s)
}

type pending struct {
	orderID, customerID, spent, earn int64
	state                            string
}

func (w *Worker) list(ctx context.Context, query string, args ...any) ([]pending, error) {
	rows, err := w.DB.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.orderID, &p.customerID, &p.spent, &p.earn, &p.state); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// grant gives the pending earn of orders that reached the grant status:
// shipped; or, when the shop grants at payment, paid (or on the way to
// shipping after being paid, or shipped).
func (w *Worker) grant(ctx context.Context, s Settings) error {
	cond := `o.status = 'shipped'`
	if s.GrantAt == GrantPaid {
		cond = `(o.status IN ('paid', 'shipped') OR (o.status = 'preparing' AND EXISTS (
			SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'paid')))`
	}
	ps, err := w.list(ctx, `SELECT p.order_id, p.customer_id, p.spent, p.earn, p.state FROM order_points p
		JOIN orders o ON o.id = p.order_id WHERE p.state = 'pending' AND `+cond+` ORDER BY p.order_id LIMIT 500`)
	if err != nil {
		return err
	}
	for _, p := range ps {
		err := w.DB.Tx(ctx, func(tx *db.Tx) error {
			n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE order_points SET state = 'granted', updated_at = ? WHERE order_id = ? AND state = 'pending'`, tx.Now(), p.orderID))
			if err != nil || n != 1 || p.earn == 0 {
				return err
			}
			_, err = change(ctx, tx, p.customerID, p.earn, Earned, &p.orderID, "", "")
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// close settles cancelled and returned orders: earned points are taken
// back (as many as are left, when the customer has spent some), spent
// points are given back.
func (w *Worker) close(ctx context.Context) error {
	ps, err := w.list(ctx, `SELECT p.order_id, p.customer_id, p.spent, p.earn, p.state FROM order_points p
		JOIN orders o ON o.id = p.order_id WHERE p.state IN ('pending', 'granted') AND o.status IN ('cancelled', 'returned')
		ORDER BY p.order_id LIMIT 500`)
	if err != nil {
		return err
	}
	for _, p := range ps {
		err := w.DB.Tx(ctx, func(tx *db.Tx) error {
			n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE order_points SET state = 'closed', updated_at = ? WHERE order_id = ? AND state = ?`, tx.Now(), p.orderID, p.state))
			if err != nil || n != 1 {
				return err
			}
			if p.state == "granted" && p.earn > 0 {
				var bal int64
				if err := tx.QueryRow(ctx, `SELECT balance FROM point_accounts WHERE customer_id = ?`, p.customerID).Scan(&bal); err != nil {
					return err
				}
				if take := min(bal, p.earn); take > 0 {
					if _, err := change(ctx, tx, p.customerID, -take, Revoked, &p.orderID, "", ""); err != nil {
						return err
					}
				}
			}
			if p.spent > 0 {
				_, err = change(ctx, tx, p.customerID, p.spent, Refunded, &p.orderID, "", "")
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// expire takes the points of customers whose last purchase is older than
// the set number of months.
func (w *Worker) expire(ctx context.Context, s Settings) error {
	if s.ExpiryMonths == 0 {
		return nil
	}
	cutoff := w.DB.Now().AddDate(0, -s.ExpiryMonths, 0)
	rows, err := w.DB.Query(ctx, `SELECT customer_id FROM point_accounts WHERE balance > 0 AND last_purchase_at < ? ORDER BY customer_id LIMIT 500`, cutoff)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		err := w.DB.Tx(ctx, func(tx *db.Tx) error {
			// The condition is checked again in the update: an order
			// placed meanwhile restarts the clock and keeps the points.
			var was int64
			err := tx.QueryRow(ctx, `SELECT balance FROM point_accounts WHERE customer_id = ? AND last_purchase_at < ?`, id, cutoff).Scan(&was)
			if err != nil || was == 0 {
				return ignoreNoRows(err)
			}
			n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE point_accounts SET balance = 0, updated_at = ?
				WHERE customer_id = ? AND balance = ? AND last_purchase_at < ?`, tx.Now(), id, was, cutoff))
			if err != nil || n != 1 {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO point_ledger (customer_id, kind, points, balance, reason, created_at) VALUES (?, ?, ?, 0, '', ?)`,
				id, Expired, -was, tx.Now())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
