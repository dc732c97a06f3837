package catalog

import (
	"context"
	"database/sql"
	"errors"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// AddImage appends a stored image to product id's images.
// shop.ErrNotFound for an unknown product.
func AddImage(ctx context.Context, tx *db.Tx, productID int64, key string, width, height int) error {
	var x int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM products WHERE id = ?`, productID).Scan(&x); errors.Is(err, sql.ErrNoRows) {
		return shop.ErrNotFound
	} else if err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO product_images (product_id, key, width, height, sort_order)
		VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM product_images WHERE product_id = ?))`,
		productID, key, width, height, productID)
	return err
}

// MoveImage moves an image one place up (-1) or down (+1).
func MoveImage(ctx context.Context, tx *db.Tx, productID, imageID int64, delta int) error {
	list, err := ids(ctx, tx, `SELECT id FROM product_images WHERE product_id = ? ORDER BY sort_order, id`, productID)
	if err != nil {
		return err
	}
	found := false
	for i, id := range list {
		if id == imageID {
			found = true
			if j := i + delta; j >= 0 && j < len(list) {
				list[i], list[j] = list[j], list[i]
			}
			break
		}
	}
	if !found {
		return shop.ErrNotFound
	}
	for i, id := range list {
		if _, err := tx.Exec(ctx, `UPDATE product_images SET sort_order = ? WHERE id = ?`, i+1, id); err != nil {
			return err
		}
	}
	return nil
}

// SetImageAlt sets an image's alternative text. Invalid "alt_ja" when
// longer than 200 characters; shop.ErrNotFound.
func SetImageAlt(ctx context.Context, tx *db.Tx, productID, imageID int64, altJA, altEN string) error {
	if utf8.RuneCountInString(altJA) > 200 || utf8.RuneCountInString(altEN) > 200 {
		return shop.Invalidf(map[string]string{"alt_ja": ErrKeyTooLong})
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE product_images SET alt_ja = ?, alt_en = ? WHERE id = ? AND product_id = ?`,
		altJA, altEN, imageID, productID))
	if err == nil && n == 0 {
		return shop.ErrNotFound
	}
	return err
}

// DeleteImage removes an image from a product and returns its key, and
// whether no product uses that key any more (so the bytes may go).
func DeleteImage(ctx context.Context, tx *db.Tx, productID, imageID int64) (key string, unused bool, err error) {
	err = tx.QueryRow(ctx, `DELETE FROM product_images WHERE id = ? AND product_id = ? RETURNING key`, imageID, productID).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, shop.ErrNotFound
	}
	if err != nil {
		return "", false, err
	}
	var n int
	err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM product_images WHERE key = ?`, key).Scan(&n)
	return key, n == 0, err
}
