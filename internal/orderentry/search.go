package orderentry

import (
	"context"
	"database/sql"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Variant is a variant as the order screen lists it: what the operator
// needs to pick it and to see whether it can be sold.
type Variant struct {
	ID                   int64
	SKU                  string
	NameJA, NameEN       string
	VariantJA, VariantEN string
	Price                shop.Yen // excluding tax, as the catalogue stores it
	Stock                *int     // nil: unlimited
}

const variantColumns = `SELECT v.id, v.sku, p.name_ja, p.name_en,
	TRIM(COALESCE(a1.name_ja, '') || ' ' || COALESCE(a2.name_ja, '')), TRIM(COALESCE(a1.name_en, '') || ' ' || COALESCE(a2.name_en, '')),
	v.price, v.stock
	FROM variants v JOIN products p ON p.id = v.product_id
	LEFT JOIN axis_values a1 ON a1.id = v.value1_id
	LEFT JOIN axis_values a2 ON a2.id = v.value2_id `

// SearchVariants finds up to 20 variants on sale whose product name (in
// either language) or SKU contains q.
func SearchVariants(ctx context.Context, q db.Queryer, text string) ([]Variant, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	like := "%" + db.LikeEscape(strings.ToLower(text)) + "%"
	return scanVariants(q.Query(ctx, variantColumns+`WHERE v.active = ? AND p.status = 'public'
		AND (LOWER(p.name_ja) LIKE ? ESCAPE '\' OR LOWER(p.name_en) LIKE ? ESCAPE '\' OR LOWER(v.sku) LIKE ? ESCAPE '\')
		ORDER BY p.id, v.id LIMIT 20`, true, like, like, like))
}

// VariantsByID returns the variants of ids (any order; unknown ones are
// left out).
func VariantsByID(ctx context.Context, q db.Queryer, ids []int64) (map[int64]Variant, error) {
	out := map[int64]Variant{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	vs, err := scanVariants(q.Query(ctx, variantColumns+`WHERE v.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...))
	for _, v := range vs {
		out[v.ID] = v
	}
	return out, err
}

func scanVariants(rows *sql.Rows, err error) ([]Variant, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Variant
	for rows.Next() {
		var v Variant
		var price int64
		var stock sql.NullInt64
		if err := rows.Scan(&v.ID, &v.SKU, &v.NameJA, &v.NameEN, &v.VariantJA, &v.VariantEN, &price, &stock); err != nil {
			return nil, err
		}
		v.Price = shop.Yen(price)
		if stock.Valid {
			n := int(stock.Int64)
			v.Stock = &n
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
