package catalog

import (
	"context"
	"fmt"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// CopyProduct creates a private copy of product id (name marked コピー,
// new slug, SKUs suffixed with the new ID, stock as it is, same images
// and links) and returns the new product's ID. shop.ErrNotFound for an
// unknown id.
func CopyProduct(ctx context.Context, tx *db.Tx, id int64) (int64, error) {
	p, err := loadEdit(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	p.ID, p.Version, p.Slug, p.Status = 0, 0, "", StatusPrivate
	p.NameJA += "（コピー）"
	if p.NameEN != "" {
		p.NameEN += " (copy)"
	}
	// Only the matrix is copied; inactive variants outside it are not.
	cells := Matrix(p.Axes, p.Variants)
	for i := range cells {
		// A GTIN names one product: the copy is another.
		cells[i].ID, cells[i].StockWas, cells[i].GTIN = 0, nil, ""
		cells[i].SKU = fmt.Sprintf("%s-copy-%d", cells[i].SKU, tx.Now().UnixMicro()%1_000_000)
	}
	p.Variants = cells
	newID, err := SaveProduct(ctx, tx, p)
	if err != nil {
		return 0, err
	}
	// Make the SKUs readable now that the ID is known.
	if _, err := tx.Exec(ctx, `UPDATE variants SET sku = REPLACE(sku, ?, ?) WHERE product_id = ?`,
		fmt.Sprintf("-copy-%d", tx.Now().UnixMicro()%1_000_000), fmt.Sprintf("-%d", newID), newID); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO product_images (product_id, key, alt_ja, alt_en, width, height, sort_order)
		SELECT ?, key, alt_ja, alt_en, width, height, sort_order FROM product_images WHERE product_id = ?`, newID, id); err != nil {
		return 0, err
	}
	return newID, RefreshProducts(ctx, tx, newID)
}

// SetProductStatus changes product id's status (public, private,
// archived) if it is still at version. Errors: Invalid "status",
// Conflict ErrKeyVersion, shop.ErrNotFound.
func SetProductStatus(ctx context.Context, tx *db.Tx, id int64, version int, status string) error {
	if status != StatusPublic && status != StatusPrivate && status != StatusArchived {
		return shop.Invalidf(map[string]string{"status": ErrKeyChoice})
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE products SET status = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, status, tx.Now(), id, version))
	if err != nil {
		return err
	}
	if n == 0 {
		var x int
		if tx.QueryRow(ctx, `SELECT 1 FROM products WHERE id = ?`, id).Scan(&x) != nil {
			return shop.ErrNotFound
		}
		return shop.Errorf(shop.Conflict, ErrKeyVersion)
	}
	// Only public products are in the search index.
	return IndexProducts(ctx, tx, id)
}
