package catalog

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// existingVariant is a stored variant as saveVariants matches it.
type existingVariant struct {
	id    int64
	combo string
	sku   string
	used  bool
}

// saveVariants writes p's axes, values and variant matrix. Variants are
// kept (carts and orders point at them): a cell takes over the stored
// variant of the same combination, else the one with the same SKU; stored
// variants left over are deactivated and detached from their values, and
// values and axes no longer used are deleted.
func saveVariants(ctx context.Context, tx *db.Tx, p *Edit) error {
	valueIDs := map[string]int64{} // "1\t藍" → id
	for i, a := range p.Axes {
		master, linked, err := linkClassValues(ctx, tx, a.ClassID)
		if err != nil {
			return err
		}
		classID := int64(0) // an axis whose master is gone is kept unlinked
		if linked {
			classID = a.ClassID
		}
		var axisID int64
		if err := tx.QueryRow(ctx, `INSERT INTO variant_axes (product_id, position, name_ja, name_en, class_id) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (product_id, position) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en, class_id = excluded.class_id
			RETURNING id`, p.ID, i+1, a.NameJA, a.NameEN, nullID(classID)).Scan(&axisID); err != nil {
			return fmt.Errorf("catalog: save axis: %w", err)
		}
		old := map[string]int64{}
		rows, err := tx.Query(ctx, `SELECT id, name_ja FROM axis_values WHERE axis_id = ?`, axisID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			old[name] = id
		}
		rows.Close()
		for j, v := range a.Values {
			id, ok := old[v.NameJA]
			cv := nullID(master[v.NameJA])
			if ok {
				_, err = tx.Exec(ctx, `UPDATE axis_values SET name_en = ?, sort_order = ?, class_value_id = ? WHERE id = ?`, v.NameEN, j, cv, id)
			} else {
				err = tx.QueryRow(ctx, `INSERT INTO axis_values (axis_id, name_ja, name_en, sort_order, class_value_id) VALUES (?, ?, ?, ?, ?) RETURNING id`,
					axisID, v.NameJA, v.NameEN, j, cv).Scan(&id)
			}
			if err != nil {
				return err
			}
			valueIDs[fmt.Sprintf("%d\t%s", i+1, v.NameJA)] = id
		}
	}

	var stored []*existingVariant
	rows, err := tx.Query(ctx, `SELECT v.id, COALESCE(x1.name_ja, ''), COALESCE(x2.name_ja, ''), v.sku, v.value1_id IS NULL AND v.value2_id IS NULL
		FROM variants v LEFT JOIN axis_values x1 ON x1.id = v.value1_id LEFT JOIN axis_values x2 ON x2.id = v.value2_id
		WHERE v.product_id = ?`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		e := &existingVariant{}
		var a, b string
		var detached bool
		if err := rows.Scan(&e.id, &a, &b, &e.sku, &detached); err != nil {
			rows.Close()
			return err
		}
		e.combo = a + "\t" + b
		if detached && len(p.Axes) > 0 {
			e.combo = "\x00" // a detached variant matches no cell of a matrix, only by SKU
		}
		stored = append(stored, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	match := func(v EditVariant) *existingVariant {
		for _, e := range stored {
			if !e.used && e.combo == v.Combo() {
				return e
			}
		}
		for _, e := range stored {
			if !e.used && e.sku == v.SKU {
				return e
			}
		}
		return nil
	}
	matched := make([]*existingVariant, len(p.Variants))
	for i, v := range p.Variants {
		if e := match(v); e != nil {
			e.used = true
			matched[i] = e
		}
	}
	now := tx.Now()
	// Free the SKUs of stored variants that leave the matrix or change SKU
	// first, so cells can swap SKUs without hitting the unique index.
	for _, e := range stored {
		if _, err := tx.Exec(ctx, `UPDATE variants SET sku = ? WHERE id = ?`, fmt.Sprintf("~%d~%s", e.id, e.sku), e.id); err != nil {
			return err
		}
	}
	for _, e := range stored {
		if !e.used {
			if _, err := tx.Exec(ctx, `UPDATE variants SET active = ?, value1_id = NULL, value2_id = NULL, sku = ?,
				version = version + 1, updated_at = ? WHERE id = ?`, false, e.sku, now, e.id); err != nil {
				return err
			}
		}
	}
	for i, v := range p.Variants {
		v1, v2 := nullID(valueIDs["1\t"+v.Value1]), nullID(valueIDs["2\t"+v.Value2])
		list := sql.NullInt64{}
		if v.ListPrice != nil {
			list = sql.NullInt64{Int64: int64(*v.ListPrice), Valid: true}
		}
		stock, limit := nullable(v.Stock), nullable(v.SaleLimit)
		sale := sql.NullInt64{}
		if v.SalePrice != nil {
			sale = sql.NullInt64{Int64: int64(*v.SalePrice), Valid: true}
		}
		if e := matched[i]; e != nil {
			if _, err := tx.Exec(ctx, `UPDATE variants SET sku = ?, value1_id = ?, value2_id = ?, price = ?, list_price = ?, sale_price = ?,
					sale_limit = ?, lead_days = ?, sort_order = ?, active = ?, gtin = ?, version = version + 1, updated_at = ?
				WHERE id = ?`, v.SKU, v1, v2, int64(v.Price), list, sale, limit, v.LeadDays, i, v.Active, v.GTIN, now, e.id); err != nil {
				if db.IsUniqueViolation(err) {
					return shop.Invalidf(map[string]string{fmt.Sprintf("v%d_sku", i): ErrKeySKUTaken})
				}
				return err
			}
			// A Fresh cell's admin saw no stored stock: the stored one stays.
			if !v.Fresh && !sameInt(v.Stock, v.StockWas) {
				n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE variants SET stock = ? WHERE id = ? AND ((? AND stock IS NULL) OR stock = ?)`,
					stock, e.id, v.StockWas == nil, nullable(v.StockWas)))
				if err != nil {
					return err
				}
				if n == 0 {
					return shop.Errorf(shop.Conflict, ErrKeyStockChanged, v.SKU)
				}
				if err := webhook.StockChanged(ctx, tx, e.id, v.StockWas, v.Stock); err != nil {
					return err
				}
			}
			p.Variants[i].ID = e.id
			continue
		}
		if err := tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, value1_id, value2_id, price, list_price, sale_price, stock,
				sale_limit, lead_days, sort_order, active, gtin, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			p.ID, v.SKU, v1, v2, int64(v.Price), list, sale, stock, limit, v.LeadDays, i, v.Active, v.GTIN, now, now).Scan(&p.Variants[i].ID); err != nil {
			if db.IsUniqueViolation(err) {
				return shop.Invalidf(map[string]string{fmt.Sprintf("v%d_sku", i): ErrKeySKUTaken})
			}
			return err
		}
	}
	// Values and axes the matrix no longer uses.
	if _, err := tx.Exec(ctx, `DELETE FROM axis_values WHERE axis_id IN (SELECT id FROM variant_axes WHERE product_id = ?)
		AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = ? AND (v.value1_id = axis_values.id OR v.value2_id = axis_values.id))`,
		p.ID, p.ID); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `DELETE FROM variant_axes WHERE product_id = ? AND position > ?`, p.ID, len(p.Axes))
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullable(n *int) sql.NullInt64 {
	if n == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*n), Valid: true}
}

func sameInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// StockPrice is one variant's change in the list's bulk edit: the values
// the list showed (Was) and the new ones.
type StockPrice struct {
	VariantID       int64
	Version         int
	Price, PriceWas shop.Yen
	Stock, StockWas *int
}

// SaveStockPrices applies the list's bulk edit: each changed variant's
// price and stock, refusing the whole edit with Conflict ErrKeyVersion if
// any variant changed since the list was shown (another edit, or a sale
// when its stock was edited). It returns the products touched.
// Invalid: "v<id>_price", "v<id>_stock" out of range.
func SaveStockPrices(ctx context.Context, tx *db.Tx, changes []StockPrice) ([]int64, error) {
	f := map[string]string{}
	for _, c := range changes {
		if c.Price < 0 || c.Price > MaxPrice {
			f[fmt.Sprintf("v%d_price", c.VariantID)] = ErrKeyRange
		}
		if c.Stock != nil && (*c.Stock < 0 || *c.Stock > 10_000_000) {
			f[fmt.Sprintf("v%d_stock", c.VariantID)] = ErrKeyRange
		}
	}
	if len(f) > 0 {
		return nil, shop.Invalidf(f)
	}
	var products []int64
	seen := map[int64]bool{}
	for _, c := range changes {
		if c.Price == c.PriceWas && sameInt(c.Stock, c.StockWas) {
			continue
		}
		var pid int64
		err := tx.QueryRow(ctx, `UPDATE variants SET price = ?, stock = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ? AND ((? AND stock IS NULL) OR stock = ?) RETURNING product_id`,
			int64(c.Price), nullable(c.Stock), tx.Now(), c.VariantID, c.Version, c.StockWas == nil, nullable(c.StockWas)).Scan(&pid)
		if err == sql.ErrNoRows {
			return nil, shop.Errorf(shop.Conflict, ErrKeyVersion)
		}
		if err != nil {
			return nil, err
		}
		if !seen[pid] {
			seen[pid] = true
			products = append(products, pid)
		}
	}
	for _, pid := range products {
		// The product form saved from before this edit must not undo it.
		if _, err := tx.Exec(ctx, `UPDATE products SET version = version + 1, updated_at = ? WHERE id = ?`, tx.Now(), pid); err != nil {
			return nil, err
		}
	}
	if len(products) == 0 {
		return nil, nil
	}
	return products, RefreshProducts(ctx, tx, products...)
}
