package cart

import (
	"context"
	"database/sql"
	"errors"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Add puts qty more of a variant into the cart. Errors (Kind, key):
// Invalid "cart.bad_qty" for a quantity outside 1–MaxQty; NotFound
// "cart.unavailable" for a variant that is unknown, inactive or whose
// product is not public; SoldOut "cart.sold_out" / "cart.stock_short" when
// the stock cannot cover the new quantity; Invalid "cart.over_limit" above
// the variant's sale limit. Nothing changes on an error.
func (s *Store) Add(ctx context.Context, cartID, variantID int64, qty int) error {
	if qty < 1 || qty > MaxQty {
		return shop.Errorf(shop.Invalid, "cart.bad_qty", MaxQty)
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		var have int
		err := tx.QueryRow(ctx, `SELECT qty FROM cart_items WHERE cart_id = ? AND variant_id = ?`, cartID, variantID).Scan(&have)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return set(ctx, tx, cartID, variantID, have+qty)
	})
}

// SetQty sets a line's quantity; 0 removes the line. Errors as Add.
func (s *Store) SetQty(ctx context.Context, cartID, variantID int64, qty int) error {
	if qty == 0 {
		return s.Remove(ctx, cartID, variantID)
	}
	if qty < 0 || qty > MaxQty {
		return shop.Errorf(shop.Invalid, "cart.bad_qty", MaxQty)
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error { return set(ctx, tx, cartID, variantID, qty) })
}

// set checks the variant and writes the line. The stock check here is
// advice for the customer; the checkout's conditional UPDATE is what
// guarantees no oversell.
func set(ctx context.Context, tx *db.Tx, cartID, variantID int64, qty int) error {
	if qty > MaxQty {
		return shop.Errorf(shop.Invalid, "cart.bad_qty", MaxQty)
	}
	var stock, limit sql.NullInt64
	var active bool
	var status string
	var from, until sql.NullTime
	err := tx.QueryRow(ctx, `SELECT v.stock, v.sale_limit, v.active, p.status, p.publish_from, p.publish_until FROM variants v JOIN products p ON p.id = v.product_id
		WHERE v.id = ?`, variantID).Scan(&stock, &limit, &active, &status, &from, &until)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!active || !catalog.Visible(status, timeOf(from), timeOf(until), tx.Now()))) {
		return shop.Errorf(shop.NotFound, "cart.unavailable")
	}
	if err != nil {
		return err
	}
	switch {
	case stock.Valid && stock.Int64 == 0:
		return shop.Errorf(shop.SoldOut, "cart.sold_out")
	case stock.Valid && int64(qty) > stock.Int64:
		return shop.Errorf(shop.SoldOut, "cart.stock_short", stock.Int64)
	case limit.Valid && int64(qty) > limit.Int64:
		return shop.Errorf(shop.Invalid, "cart.over_limit", limit.Int64)
	}
	now := tx.Now()
	if _, err := tx.Exec(ctx, `INSERT INTO cart_items (cart_id, variant_id, qty, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (cart_id, variant_id) DO UPDATE SET qty = excluded.qty`, cartID, variantID, qty, now); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE carts SET updated_at = ? WHERE id = ?`, now, cartID)
	return err
}

// Remove takes a line out of the cart; removing a missing line is no error.
func (s *Store) Remove(ctx context.Context, cartID, variantID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM cart_items WHERE cart_id = ? AND variant_id = ?`, cartID, variantID)
		return err
	})
}

// Clear empties a cart inside the order's transaction.
func Clear(ctx context.Context, tx *db.Tx, cartID int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM cart_items WHERE cart_id = ?`, cartID)
	return err
}

// Merge moves the lines of cart from into cart to (a guest cart into the
// customer's cart at sign-in) and deletes cart from. A variant in both
// carts keeps the larger quantity rather than the sum: the customer added
// the same thing twice on two devices, not two of it. Merge runs in its
// own transaction.
func (s *Store) Merge(ctx context.Context, from, to int64) error {
	if from == to {
		return nil
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO cart_items (cart_id, variant_id, qty, added_at)
			SELECT ?, variant_id, qty, added_at FROM cart_items WHERE cart_id = ?
			ON CONFLICT (cart_id, variant_id) DO UPDATE SET qty = CASE WHEN excluded.qty > cart_items.qty THEN excluded.qty ELSE cart_items.qty END`,
			to, from)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM carts WHERE id = ?`, from); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE carts SET updated_at = ? WHERE id = ?`, tx.Now(), to)
		return err
	})
}

// Delete removes a cart and its lines (a cart made for one purpose, such
// as an order the shop takes by phone, once it has served).
func (s *Store) Delete(ctx context.Context, cartID int64) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM carts WHERE id = ?`, cartID)
	return err
}
