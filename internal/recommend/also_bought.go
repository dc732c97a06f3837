package recommend

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// MinOrders is how many orders must hold two products before one is
// shown with the other: a pair bought once would show one customer's
// basket to everyone.
const MinOrders = 2

// overlap is how far before the watermark a refresh looks again: an
// order written by a transaction that committed after the last refresh
// read the watermark may carry an updated_at just before it.
const overlap = 10 * time.Minute

// lockFor bounds how long one instance's refresh keeps the others out.
const lockFor = 10 * time.Minute

// Refresh brings also_bought up to date the way the sales summary is
// (internal/report): only one instance refreshes at a time, holding the
// state row's lock; every product in an order changed since the
// watermark gets its list computed again from all orders, each product
// in its own transaction; then the watermark moves to the newest change
// read before the work began. It returns the products whose lists were
// written, for the caller to renew their pages.
func (s *Store) Refresh(ctx context.Context) ([]int64, error) {
	now := s.DB.Now()
	res, err := s.DB.Exec(ctx, `UPDATE also_bought_state SET lock_until = ? WHERE id = 1 AND lock_until < ?`, now.Add(lockFor), now)
	if n, err := db.RowsAffected(res, err); err != nil || n == 0 {
		return nil, err
	}
	defer s.DB.Exec(context.WithoutCancel(ctx), `UPDATE also_bought_state SET lock_until = ? WHERE id = 1`, time.Unix(0, 0).UTC())

	var mark, next time.Time
	if err := s.DB.QueryRow(ctx, `SELECT watermark FROM also_bought_state WHERE id = 1`).Scan(&mark); err != nil {
		return nil, fmt.Errorf("recommend: watermark: %w", err)
	}
	err = s.DB.QueryRow(ctx, `SELECT updated_at FROM orders ORDER BY updated_at DESC LIMIT 1`).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("recommend: newest order: %w", err)
	}
	products, err := ids(s.DB.Query(ctx, `SELECT DISTINCT l.product_id FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE o.updated_at > ? AND l.product_id IS NOT NULL`, mark.Add(-overlap)))
	if err != nil {
		return nil, fmt.Errorf("recommend: changed orders: %w", err)
	}
	var changed []int64
	for _, pid := range products {
		did, err := s.refreshProduct(ctx, pid)
		if err != nil {
			return changed, err
		}
		if did {
			changed = append(changed, pid)
		}
	}
	_, err = s.DB.Exec(ctx, `UPDATE also_bought_state SET watermark = ?, refreshed_at = ? WHERE id = 1`, next, s.DB.Now())
	if err == nil && len(products) > 0 && s.Log != nil {
		s.Log.Info("also-bought refreshed", "products", len(products), "changed", len(changed))
	}
	return changed, err
}

// refreshProduct computes one product's list from every order that is a
// sale, and writes it when it differs from the stored one.
func (s *Store) refreshProduct(ctx context.Context, pid int64) (bool, error) {
	changed := false
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT l2.product_id, COUNT(DISTINCT o.id) AS n
			FROM order_lines l1
			JOIN orders o ON o.id = l1.order_id
			JOIN order_lines l2 ON l2.order_id = o.id AND l2.product_id <> l1.product_id
			JOIN products p ON p.id = l2.product_id
			WHERE l1.product_id = ? AND o.status NOT IN ('cancelled', 'returned')
			GROUP BY l2.product_id HAVING COUNT(DISTINCT o.id) >= ?
			ORDER BY n DESC, l2.product_id LIMIT ?`, pid, MinOrders, MaxShown)
		if err != nil {
			return err
		}
		type pair struct{ id, n int64 }
		var want []pair
		for rows.Next() {
			var p pair
			if err := rows.Scan(&p.id, &p.n); err != nil {
				rows.Close()
				return err
			}
			want = append(want, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT other_id, orders FROM also_bought WHERE product_id = ? ORDER BY rank`, pid)
		if err != nil {
			return err
		}
		var have []pair
		for rows.Next() {
			var p pair
			if err := rows.Scan(&p.id, &p.n); err != nil {
				rows.Close()
				return err
			}
			have = append(have, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(have) == len(want) {
			same := true
			for i := range have {
				same = same && have[i] == want[i]
			}
			if same {
				return nil
			}
		}
		changed = true
		if _, err := tx.Exec(ctx, `DELETE FROM also_bought WHERE product_id = ?`, pid); err != nil {
			return err
		}
		for i, p := range want {
			if _, err := tx.Exec(ctx, `INSERT INTO also_bought (product_id, other_id, orders, rank) VALUES (?, ?, ?, ?)`, pid, p.id, p.n, i+1); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// Worker refreshes also_bought every interval and passes the products
// whose lists changed to touch (catalog.Store.TouchProducts).
func (s *Store) Worker(every time.Duration, touch func(ids ...int64)) func(ctx context.Context) {
	return func(ctx context.Context) {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			changed, err := s.Refresh(ctx)
			if len(changed) > 0 {
				touch(changed...)
			}
			if err != nil && ctx.Err() == nil && !db.IsUnavailable(err) && s.Log != nil {
				s.Log.Warn("also-bought refresh", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
}
