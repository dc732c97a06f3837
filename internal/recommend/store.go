// Package recommend is recommendations (おすすめ商品): the operator's
// picks, in their order and for a period, on the top page and the
// product pages; and "customers who bought this also bought", computed
// from the orders by a background worker into the also_bought table, so
// that a page only reads a few rows and never counts orders.
package recommend

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Store reads and writes recommendations.
type Store struct {
	DB  *db.DB
	Log *slog.Logger
}

// Pick is one of the operator's recommended products.
type Pick struct {
	ID          int64
	ProductID   int64
	Slug, Name  string
	Public      bool
	Order       int
	Starts, End *time.Time // End is exclusive
}

// Shown reports whether the pick is in its period at now.
func (p Pick) State(now time.Time) string {
	switch {
	case p.Starts != nil && now.Before(*p.Starts):
		return "later"
	case p.End != nil && !now.Before(*p.End):
		return "over"
	}
	return "now"
}

// Picks returns every pick in display order.
func (s *Store) Picks(ctx context.Context) ([]Pick, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.id, r.product_id, p.slug, p.name_ja, p.status = 'public', r.sort_order, r.starts_at, r.ends_at
		FROM recommended_products r JOIN products p ON p.id = r.product_id ORDER BY r.sort_order, r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Pick
	for rows.Next() {
		var p Pick
		if err := rows.Scan(&p.ID, &p.ProductID, &p.Slug, &p.Name, &p.Public, &p.Order, &p.Starts, &p.End); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// MaxShown is how many products a shelf shows.
const MaxShown = 8

// Current returns the IDs of the public picks in their period at the
// database's now, in order.
func (s *Store) Current(ctx context.Context) ([]int64, error) {
	now := s.DB.Now()
	return ids(s.DB.Query(ctx, `SELECT r.product_id FROM recommended_products r JOIN products p ON p.id = r.product_id
		WHERE p.status = 'public' AND (r.starts_at IS NULL OR r.starts_at <= ?) AND (r.ends_at IS NULL OR r.ends_at > ?)
		ORDER BY r.sort_order, r.id LIMIT ?`, now, now, MaxShown+1))
}

// AlsoBought returns the products most often bought with productID, as
// last computed by Refresh.
func (s *Store) AlsoBought(ctx context.Context, productID int64) ([]int64, error) {
	return ids(s.DB.Query(ctx, `SELECT a.other_id FROM also_bought a JOIN products p ON p.id = a.other_id
		WHERE a.product_id = ? AND p.status = 'public' ORDER BY a.rank LIMIT ?`, productID, MaxShown))
}

func ids(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Errors of the admin's forms.
var (
	errProduct = &shop.Error{Kind: shop.Invalid, Key: "recommend.err.product", Fields: map[string]string{"slug": "recommend.err.product"}}
	errExists  = &shop.Error{Kind: shop.Conflict, Key: "recommend.err.exists", Fields: map[string]string{"slug": "recommend.err.exists"}}
)

// Add recommends the public product with slug: errProduct when there is
// none, errExists when it is recommended already.
func (s *Store) Add(ctx context.Context, tx *db.Tx, slug string, order int, starts, end *time.Time) (int64, error) {
	var pid int64
	err := tx.QueryRow(ctx, `SELECT id FROM products WHERE slug = ? AND status = 'public'`, slug).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errProduct
	}
	if err != nil {
		return 0, err
	}
	now := tx.Now()
	n, err := db.RowsAffected(tx.Exec(ctx, `INSERT INTO recommended_products (product_id, sort_order, starts_at, ends_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (product_id) DO NOTHING`, pid, order, starts, end, now, now))
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, errExists
	}
	return pid, nil
}

// Update changes a pick's order and period; shop.ErrNotFound for an
// unknown one.
func (s *Store) Update(ctx context.Context, tx *db.Tx, id int64, order int, starts, end *time.Time) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE recommended_products SET sort_order = ?, starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?`,
		order, starts, end, tx.Now(), id))
	if err == nil && n == 0 {
		err = shop.ErrNotFound
	}
	return err
}

// Remove deletes a pick; shop.ErrNotFound for an unknown one.
func (s *Store) Remove(ctx context.Context, tx *db.Tx, id int64) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM recommended_products WHERE id = ?`, id))
	if err == nil && n == 0 {
		err = shop.ErrNotFound
	}
	return err
}

// RefreshedAt is when Refresh last finished, nil before the first.
func (s *Store) RefreshedAt(ctx context.Context) (*time.Time, error) {
	var at *time.Time
	err := s.DB.QueryRow(ctx, `SELECT refreshed_at FROM also_bought_state WHERE id = 1`).Scan(&at)
	if err != nil {
		return nil, fmt.Errorf("recommend: state: %w", err)
	}
	return at, nil
}
