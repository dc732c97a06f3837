package catalog

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// AdminQuery selects a page of the admin's product list.
type AdminQuery struct {
	Keywords   []string // folded; each must match search_text
	Status     string   // "" for all
	CategoryID int64    // with its descendants
	TagID      int64
	Stock      string // "", "in", "low" (1..FewLeft), "out"
	Page       int
	Limit      int
}

// AdminRow is a product in the admin's list: one row per product with
// what the list shows of it, and its active variants for the in-place
// stock and price edit.
type AdminRow struct {
	ID                 int64
	Slug, Status       string
	NameJA, NameEN     string
	PriceMin, PriceMax shop.Yen
	Version            int
	ImageKey           string
	Variants           []EditVariant
	// StockTotal sums the counted stock of the active variants;
	// Unlimited is set when one of them is not counted.
	StockTotal int
	Unlimited  bool
	// PublishFrom/PublishUntil are the publishing window (nil: open).
	PublishFrom, PublishUntil *time.Time
}

// Window says where now falls in a public product's publishing window:
// "upcoming", "ended" or "" (inside it, or not public).
func (r AdminRow) Window(now time.Time) string {
	switch {
	case r.Status != StatusPublic:
		return ""
	case r.PublishFrom != nil && r.PublishFrom.After(now):
		return "upcoming"
	case r.PublishUntil != nil && !r.PublishUntil.After(now):
		return "ended"
	}
	return ""
}

// AdminList returns a page of products of any status, newest first.
func (s *Store) AdminList(ctx context.Context, aq AdminQuery) ([]AdminRow, int, error) {
	if aq.Limit <= 0 {
		aq.Limit = 30
	}
	aq.Page = max(aq.Page, 1)
	w, args, err := s.adminWhere(ctx, aq)
	if err != nil {
		return nil, 0, err
	}
	// The count and the page are two queries: COUNT(*) OVER() would make
	// the database read every matching row before the first 30.
	total := 0
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM products p`+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	// The page's IDs first, from the filters' indexes alone; only those
	// 30 products' rows are read, not every row an offset or a sort
	// passes over.
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.slug, p.status, p.name_ja, p.name_en, p.price_min, p.price_max, p.version,
			p.publish_from, p.publish_until,
			(SELECT i.key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort_order, i.id LIMIT 1)
		FROM products p JOIN (SELECT p.id FROM products p`+w+` ORDER BY p.id DESC LIMIT ? OFFSET ?) page ON page.id = p.id
		ORDER BY p.id DESC`, append(args, aq.Limit, (aq.Page-1)*aq.Limit)...)
	if err != nil {
		return nil, 0, err
	}
	var out []AdminRow
	byID := map[int64]int{}
	for rows.Next() {
		var r AdminRow
		var img sql.NullString
		var from, until sql.NullTime
		if err := rows.Scan(&r.ID, &r.Slug, &r.Status, &r.NameJA, &r.NameEN, &r.PriceMin, &r.PriceMax, &r.Version, &from, &until, &img); err != nil {
			rows.Close()
			return nil, 0, err
		}
		r.ImageKey, r.PublishFrom, r.PublishUntil = img.String, nullTime(from), nullTime(until)
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 {
		return out, total, nil
	}
	// The page's variants in one query rather than one per product.
	vargs := []any{true}
	for _, r := range out {
		vargs = append(vargs, r.ID)
	}
	vrows, err := s.DB.Query(ctx, `SELECT v.product_id, v.id, COALESCE(x1.name_ja, ''), COALESCE(x2.name_ja, ''), v.sku, v.price, v.stock, v.version
		FROM variants v LEFT JOIN axis_values x1 ON x1.id = v.value1_id LEFT JOIN axis_values x2 ON x2.id = v.value2_id
		WHERE v.active = ? AND v.product_id IN (`+placeholders(len(out))+`) ORDER BY v.product_id, v.sort_order, v.id`, vargs...)
	if err != nil {
		return nil, 0, err
	}
	defer vrows.Close()
	for vrows.Next() {
		var pid int64
		v := EditVariant{Active: true}
		var stock sql.NullInt64
		if err := vrows.Scan(&pid, &v.ID, &v.Value1, &v.Value2, &v.SKU, &v.Price, &stock, &v.Version); err != nil {
			return nil, 0, err
		}
		v.Stock = nullInt(stock)
		v.StockWas = v.Stock
		r := &out[byID[pid]]
		r.Variants = append(r.Variants, v)
		if v.Stock == nil {
			r.Unlimited = true
		} else {
			r.StockTotal += *v.Stock
		}
	}
	return out, total, vrows.Err()
}

// adminWhere builds the list's filter.
func (s *Store) adminWhere(ctx context.Context, aq AdminQuery) (string, []any, error) {
	var where []string
	var args []any
	for _, k := range aq.Keywords {
		where = append(where, `p.search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+db.LikeEscape(k)+"%")
	}
	if aq.Status != "" {
		where = append(where, `p.status = ?`)
		args = append(args, aq.Status)
	}
	if aq.CategoryID > 0 {
		t, err := s.Tree(ctx)
		if err != nil {
			return "", nil, err
		}
		cids := []int64{aq.CategoryID}
		if c := t.ByID(aq.CategoryID); c != nil {
			cids = t.Descendants(c)
		}
		where = append(where, `EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id IN (`+placeholders(len(cids))+`))`)
		for _, id := range cids {
			args = append(args, id)
		}
	}
	if aq.TagID > 0 {
		where = append(where, `EXISTS (SELECT 1 FROM product_tags pt WHERE pt.product_id = p.id AND pt.tag_id = ?)`)
		args = append(args, aq.TagID)
	}
	// Each product carries how many of its active variants are in each
	// stock state (migration 0480's triggers keep the counts), so a
	// stock filter is an index range rather than a probe of variants.
	switch aq.Stock {
	case "in":
		where = append(where, `p.stock_in > 0`)
	case "low":
		where = append(where, `p.stock_low > 0`)
	case "out":
		where = append(where, `p.stock_out > 0`)
	}
	if len(where) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(where, " AND "), args, nil
}
