package catalog

import (
	"context"
	"strings"
	"time"
)

// Sort orders of listings, as in EC-CUBE: newest first, cheapest first,
// dearest first.
const (
	SortNew       = "new"
	SortPriceAsc  = "price_asc"
	SortPriceDesc = "price_desc"
)

// PageSizes are the page sizes a visitor may choose; the first is the
// default.
var PageSizes = []int{20, 40, 60}

// ListQuery selects a page of public products.
type ListQuery struct {
	CategoryIDs []int64  // any of these (a category and its descendants)
	Keywords    []string // folded; every one must match (see search)
	Sort        string
	// HideSoldOut leaves out products with no variant in stock (the
	// shop's 品切れ商品を表示しない switch).
	HideSoldOut bool
	Page        int // 1-based
	Limit       int
}

// ListResult is one page of a listing.
type ListResult struct {
	Items []ListItem
	Total int
	// AtLeast is set when a search stopped counting at Total: there are
	// Total hits or more.
	AtLeast bool
	Page    int // the page actually shown, after clamping
	Pages   int
}

// List returns a page of public products. An out-of-range page is
// clamped to the last one; an unknown sort falls back to newest first.
func (s *Store) List(ctx context.Context, lq ListQuery) (ListResult, error) {
	if lq.Limit <= 0 {
		lq.Limit = PageSizes[0]
	}
	if len(lq.Keywords) > 0 {
		return s.search(ctx, lq)
	}
	where, args := listWhere(lq, s.DB.Now())
	var res ListResult
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM products p WHERE `+where, args...).Scan(&res.Total); err != nil {
		return res, err
	}
	res.Pages = max(1, (res.Total+lq.Limit-1)/lq.Limit)
	res.Page = min(max(lq.Page, 1), res.Pages)
	if res.Total == 0 {
		return res, nil
	}
	order, oargs, err := s.listOrder(ctx, lq.Sort)
	if err != nil {
		return res, err
	}
	args = append(append(args, oargs...), lq.Limit, (res.Page-1)*lq.Limit)
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.slug, p.name_ja, p.name_en, p.tax_class, p.price_min, p.price_max, p.created_at,
			(SELECT i.key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort_order, i.id LIMIT 1),
			NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.active = ? AND (v.stock IS NULL OR v.stock > 0))
		FROM products p WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append([]any{true}, args...)...)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	res.Items = make([]ListItem, 0, lq.Limit)
	for rows.Next() {
		it, err := scanListItem(rows)
		if err != nil {
			return res, err
		}
		res.Items = append(res.Items, it)
	}
	return res, rows.Err()
}

// listWhere builds the filter of a listing without keywords (those go
// to search): public and in one of the categories.
func listWhere(lq ListQuery, now time.Time) (string, []any) {
	var b strings.Builder
	b.WriteString(visibleSQL)
	args := visibleArgs(now)
	if lq.HideSoldOut {
		b.WriteString(" AND " + inStockSQL)
		args = append(args, true)
	}
	if len(lq.CategoryIDs) > 0 {
		b.WriteString(" AND p.id IN (SELECT pc.product_id FROM product_categories pc WHERE pc.category_id IN (" + placeholders(len(lq.CategoryIDs)) + "))")
		for _, id := range lq.CategoryIDs {
			args = append(args, id)
		}
	}
	return b.String(), args
}

// listOrder returns the ORDER BY clause. Price orders compare
// tax-included prices, so a reduced-rate product sorts where its shown
// price puts it.
func (s *Store) listOrder(ctx context.Context, sort string) (string, []any, error) {
	switch sort {
	case SortPriceAsc, SortPriceDesc:
		d, err := s.Display(ctx)
		if err != nil {
			return "", nil, err
		}
		dir := "ASC"
		if sort == SortPriceDesc {
			dir = "DESC"
		}
		rate, args := rateSQL(d)
		return "p.price_min * (10000 + " + rate + ") " + dir + ", p.id DESC", args, nil
	}
	return "p.created_at DESC, p.id DESC", nil, nil
}

// Featured returns up to n public featured products, newest first.
func (s *Store) Featured(ctx context.Context, n int) ([]ListItem, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.slug, p.name_ja, p.name_en, p.tax_class, p.price_min, p.price_max, p.created_at,
			(SELECT i.key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort_order, i.id LIMIT 1),
			NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.active = ? AND (v.stock IS NULL OR v.stock > 0))
		FROM products p WHERE `+visibleSQL+` AND p.featured = ? ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
		append(append([]any{true}, visibleArgs(s.DB.Now())...), true, n)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ListItem
	for rows.Next() {
		it, err := scanListItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// SitemapEntry is one product URL for sitemap.xml.
type SitemapEntry struct {
	Slug    string
	Updated string // YYYY-MM-DD
}

// SitemapProducts returns the slugs of public products (at most 50,000,
// the sitemap protocol's limit per file).
func (s *Store) SitemapProducts(ctx context.Context) ([]SitemapEntry, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.slug, p.updated_at FROM products p WHERE `+visibleSQL+` ORDER BY p.id LIMIT 50000`,
		visibleArgs(s.DB.Now())...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SitemapEntry
	for rows.Next() {
		var e SitemapEntry
		var p Product
		if err := rows.Scan(&e.Slug, &p.UpdatedAt); err != nil {
			return nil, err
		}
		e.Updated = p.UpdatedAt.UTC().Format("2006-01-02")
		out = append(out, e)
	}
	return out, rows.Err()
}
