package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// Bulk actions on the admin's product list.
const (
	BulkPublish     = "publish"
	BulkUnpublish   = "unpublish"
	BulkDelete      = "delete"
	BulkDuplicate   = "duplicate"
	BulkCategoryAdd = "category_add"
	BulkCategorySet = "category_set"
)

// BulkActions lists the bulk actions in the order the list offers them.
var BulkActions = []string{BulkPublish, BulkUnpublish, BulkDuplicate, BulkCategoryAdd, BulkCategorySet, BulkDelete}

// MaxBulk bounds the products of one bulk action (a page of the list is
// 30; the bound keeps one transaction short).
const MaxBulk = 200

// Reasons a product is skipped by a bulk action.
const (
	SkipGone      = "catalog13.bulk.skip.gone"       // deleted meanwhile
	SkipHasOrders = "catalog13.bulk.skip.has_orders" // delete: orders point at it
	SkipNoVariant = "catalog13.bulk.skip.no_variant" // publish: nothing to sell
)

// Skipped is a product a bulk action left alone, and why.
type Skipped struct {
	ID     int64
	Name   string // "" when the product is gone
	Reason string // a Skip* message key
}

// BulkResult is what a bulk action did.
type BulkResult struct {
	Done    []int64 // the products changed (for duplicate: the copies)
	Skipped []Skipped
}

// Bulk runs action on the products ids in one transaction, each product
// by itself: a product deleted meanwhile, or one the action does not
// apply to, is skipped and reported, and the others are done.
// Errors: Invalid "action" (unknown), "products" (none or over MaxBulk),
// "category" (unknown, for the category actions).
func Bulk(ctx context.Context, tx *db.Tx, action string, ids []int64, categoryID int64) (BulkResult, error) {
	var res BulkResult
	known := false
	for _, a := range BulkActions {
		known = known || a == action
	}
	switch {
	case !known:
		return res, shop.Invalidf(map[string]string{"action": ErrKeyChoice})
	case len(ids) == 0:
		return res, shop.Invalidf(map[string]string{"products": "catalog13.bulk.error.none"})
	case len(ids) > MaxBulk:
		return res, shop.Invalidf(map[string]string{"products": ErrKeyTooMany})
	}
	if action == BulkCategoryAdd || action == BulkCategorySet {
		var x int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM categories WHERE id = ?`, categoryID).Scan(&x); errors.Is(err, sql.ErrNoRows) {
			return res, shop.Invalidf(map[string]string{"category": ErrKeyUnknown})
		} else if err != nil {
			return res, err
		}
	}
	now := tx.Now()
	var touched []int64
	for _, id := range uniq(ids) {
		var name string
		err := tx.QueryRow(ctx, `SELECT name_ja FROM products WHERE id = ?`, id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			res.Skipped = append(res.Skipped, Skipped{ID: id, Reason: SkipGone})
			continue
		}
		if err != nil {
			return res, err
		}
		skip := func(reason string) { res.Skipped = append(res.Skipped, Skipped{ID: id, Name: name, Reason: reason}) }
		switch action {
		case BulkPublish, BulkUnpublish:
			status := StatusPublic
			if action == BulkUnpublish {
				status = StatusPrivate
			}
			if status == StatusPublic {
				var n int
				if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM variants WHERE product_id = ? AND active = ?`, id, true).Scan(&n); err != nil {
					return res, err
				}
				if n == 0 {
					skip(SkipNoVariant)
					continue
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE products SET status = ?, version = version + 1, updated_at = ? WHERE id = ?`, status, now, id); err != nil {
				return res, err
			}
			if err := webhook.Emit(ctx, tx, webhook.ProductUpdated, map[string]any{"id": id, "status": string(status)}); err != nil {
				return res, err
			}
			touched = append(touched, id)
		case BulkDelete:
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE v.product_id = ?`, id).Scan(&n); err != nil {
				return res, err
			}
			if n > 0 {
				skip(SkipHasOrders)
				continue
			}
			if _, err := tx.Exec(ctx, `DELETE FROM variants WHERE product_id = ?`, id); err != nil {
				return res, err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM products WHERE id = ?`, id); err != nil {
				return res, err
			}
		case BulkDuplicate:
			nid, err := CopyProduct(ctx, tx, id)
			if err != nil {
				return res, err
			}
			res.Done = append(res.Done, nid)
			continue
		case BulkCategoryAdd, BulkCategorySet:
			if action == BulkCategorySet {
				if _, err := tx.Exec(ctx, `DELETE FROM product_categories WHERE product_id = ?`, id); err != nil {
					return res, err
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?)
				ON CONFLICT (product_id, category_id) DO NOTHING`, id, categoryID); err != nil {
				return res, err
			}
			if _, err := tx.Exec(ctx, `UPDATE products SET version = version + 1, updated_at = ? WHERE id = ?`, now, id); err != nil {
				return res, err
			}
		}
		res.Done = append(res.Done, id)
	}
	// Deleted products' postings went with them (ON DELETE CASCADE); the
	// others' public flag in the search index follows their status.
	if len(touched) > 0 {
		if err := IndexProducts(ctx, tx, touched...); err != nil {
			return res, err
		}
	}
	return res, nil
}
