package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Product returns the public product with slug, with its axes, active
// variants, images and categories, from the cache when it is fresh.
// It returns shop.ErrNotFound for an unknown, private or archived slug.
func (s *Store) Product(ctx context.Context, slug string) (*Product, error) {
	if len(slug) > 200 {
		return nil, shop.ErrNotFound
	}
	s.checkSchedule() // a product past its end leaves the cache first
	return s.products.loadOrFill(slug, func() (*Product, error) { return s.loadProduct(ctx, slug) })
}

func (s *Store) loadProduct(ctx context.Context, slug string) (*Product, error) {
	p := &Product{}
	var class string
	var saleFrom, saleUntil sql.NullTime
	err := s.DB.QueryRow(ctx, `SELECT id, slug, status, name_ja, name_en, description_ja, description_en,
			free_area_ja, free_area_en, tax_class, featured, brand, created_at, updated_at, sale_from, sale_until
		FROM products p WHERE p.slug = ? AND `+visibleSQL, append([]any{slug}, visibleArgs(s.DB.Now())...)...).Scan(
		&p.ID, &p.Slug, &p.Status, &p.NameJA, &p.NameEN, &p.DescriptionJA, &p.DescriptionEN,
		&p.FreeAreaJA, &p.FreeAreaEN, &class, &p.Featured, &p.Brand, &p.CreatedAt, &p.UpdatedAt, &saleFrom, &saleUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.TaxClass = shop.TaxClass(class)
	p.SaleFrom, p.SaleUntil = nullTime(saleFrom), nullTime(saleUntil)
	return p, s.loadProductParts(ctx, p)
}

// loadProductParts reads a product's axes, active variants, images,
// categories and visible related products.
func (s *Store) loadProductParts(ctx context.Context, p *Product) error {
	var err error
	if p.Axes, err = s.axes(ctx, p.ID); err != nil {
		return err
	}
	if p.Variants, err = s.variants(ctx, p.ID, p.Axes); err != nil {
		return err
	}
	if p.Images, err = s.images(ctx, p.ID); err != nil {
		return err
	}
	if p.CategoryIDs, err = ids(ctx, s.DB, `SELECT category_id FROM product_categories WHERE product_id = ? ORDER BY category_id`, p.ID); err != nil {
		return err
	}
	related, err := ids(ctx, s.DB, `SELECT related_id FROM related_products WHERE product_id = ? ORDER BY sort_order, related_id`, p.ID)
	if err != nil {
		return err
	}
	p.Related, err = s.listItems(ctx, related) // only the visible ones
	return err
}

func (s *Store) axes(ctx context.Context, productID int64) ([]Axis, error) {
	rows, err := s.DB.Query(ctx, `SELECT a.id, a.position, a.name_ja, a.name_en, v.id, v.name_ja, v.name_en
		FROM variant_axes a JOIN axis_values v ON v.axis_id = a.id
		WHERE a.product_id = ? ORDER BY a.position, v.sort_order, v.id`, productID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var axes []Axis
	for rows.Next() {
		var a Axis
		var v AxisValue
		if err := rows.Scan(&a.ID, &a.Position, &a.NameJA, &a.NameEN, &v.ID, &v.NameJA, &v.NameEN); err != nil {
			return nil, err
		}
		if n := len(axes); n == 0 || axes[n-1].ID != a.ID {
			axes = append(axes, a)
		}
		last := &axes[len(axes)-1]
		last.Values = append(last.Values, v)
	}
	return axes, rows.Err()
}

func (s *Store) variants(ctx context.Context, productID int64, axes []Axis) ([]Variant, error) {
	values := map[int64]*AxisValue{}
	for i := range axes {
		for j := range axes[i].Values {
			values[axes[i].Values[j].ID] = &axes[i].Values[j]
		}
	}
	rows, err := s.DB.Query(ctx, `SELECT id, sku, value1_id, value2_id, price, list_price, sale_price, stock, sale_limit, lead_days, active, gtin
		FROM variants WHERE product_id = ? AND active = ? ORDER BY sort_order, id`, productID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Variant
	for rows.Next() {
		var v Variant
		var v1, v2, list, sale, stock, limit sql.NullInt64
		if err := rows.Scan(&v.ID, &v.SKU, &v1, &v2, &v.Price, &list, &sale, &stock, &limit, &v.LeadDays, &v.Active, &v.GTIN); err != nil {
			return nil, err
		}
		v.SalePrice = nullYen(sale)
		v.Value1, v.Value2 = values[v1.Int64], values[v2.Int64]
		v.ListPrice, v.Stock, v.SaleLimit = nullYen(list), nullInt(stock), nullInt(limit)
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) images(ctx context.Context, productID int64) ([]Image, error) {
	rows, err := s.DB.Query(ctx, `SELECT key, alt_ja, alt_en, width, height FROM product_images
		WHERE product_id = ? ORDER BY sort_order, id`, productID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Image
	for rows.Next() {
		var im Image
		if err := rows.Scan(&im.Key, &im.AltJA, &im.AltEN, &im.Width, &im.Height); err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// VariantForSale returns what checkout needs to sell variant id, read
// through q (a transaction, usually) with the tax rate in force at
// q.Now(). It returns shop.ErrNotFound unless the variant is active and
// its product public.
func (s *Store) VariantForSale(ctx context.Context, q db.Queryer, variantID int64) (VariantForSale, error) {
	var v VariantForSale
	var class string
	var stock, limit sql.NullInt64
	var img sql.NullString
	var a1ja, a1en, a2ja, a2en sql.NullString
	var sale sql.NullInt64
	var saleFrom, saleUntil sql.NullTime
	err := q.QueryRow(ctx, `SELECT p.id, v.id, p.slug, p.name_ja, p.name_en, v.sku, v.price, v.sale_price, p.sale_from, p.sale_until, p.tax_class,
			v.stock, v.sale_limit, v.lead_days,
			x1.name_ja, x1.name_en, x2.name_ja, x2.name_en,
			(SELECT i.key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort_order, i.id LIMIT 1)
		FROM variants v JOIN products p ON p.id = v.product_id
		LEFT JOIN axis_values x1 ON x1.id = v.value1_id
		LEFT JOIN axis_values x2 ON x2.id = v.value2_id
		WHERE v.id = ? AND v.active = ? AND `+visibleSQL, append([]any{variantID, true}, visibleArgs(q.Now())...)...).Scan(
		&v.ProductID, &v.VariantID, &v.ProductSlug, &v.ProductNameJA, &v.ProductNameEN, &v.SKU, &v.Price, &sale, &saleFrom, &saleUntil, &class,
		&stock, &limit, &v.LeadDays, &a1ja, &a1en, &a2ja, &a2en, &img)
	if errors.Is(err, sql.ErrNoRows) {
		return VariantForSale{}, shop.ErrNotFound
	}
	if err != nil {
		return VariantForSale{}, err
	}
	v.TaxClass = shop.TaxClass(class)
	v.Stock, v.SaleLimit, v.ImageKey = nullInt(stock), nullInt(limit), img.String
	// During the sale period the sale price is the price: the cart and
	// checkout charge it, with tax per rate as for any price.
	if sale.Valid && OnSale(nullTime(saleFrom), nullTime(saleUntil), q.Now()) {
		v.RegularPrice, v.Price = v.Price, shop.Yen(sale.Int64)
	}
	v.VariantNameJA = joinNames(a1ja.String, a2ja.String)
	v.VariantNameEN = joinNames(orJA(a1en.String, a1ja.String), orJA(a2en.String, a2ja.String))
	if v.TaxRate, err = s.TaxRate(ctx, q, v.ProductID, v.TaxClass, q.Now()); err != nil {
		return VariantForSale{}, err
	}
	return v, nil
}

// RefreshProducts recomputes price_min/price_max over active variants
// and search_text (names, search words, SKUs) and the search index
// (search_postings) for the given products, or for every product when
// ids is empty. Whoever writes products or
// variants calls it in the same transaction.
func RefreshProducts(ctx context.Context, q db.Queryer, ids ...int64) error {
	where, pwhere, args := "", "", []any{}
	if len(ids) > 0 {
		where = " WHERE id IN (" + placeholders(len(ids)) + ")"
		pwhere = " WHERE p.id IN (" + placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	_, err := q.Exec(ctx, `UPDATE products SET
		price_min = COALESCE((SELECT MIN(price) FROM variants v WHERE v.product_id = products.id AND v.active = ?), 0),
		price_max = COALESCE((SELECT MAX(price) FROM variants v WHERE v.product_id = products.id AND v.active = ?), 0)`+where,
		append([]any{true, true}, args...)...)
	if err != nil {
		return fmt.Errorf("catalog: refresh prices: %w", err)
	}
	idx, err := indexRows(ctx, q, pwhere, args)
	if err != nil {
		return err
	}
	for _, r := range idx {
		text := SearchText(append(append([]string{}, r.names...), r.others...)...)
		if _, err := q.Exec(ctx, `UPDATE products SET search_text = ? WHERE id = ?`, text, r.id); err != nil {
			return err
		}
	}
	return writePostings(ctx, q, idx)
}

// IndexProducts writes the search index rows of the given products, whose
// price range and search_text are already right (the demo loader writes
// them as it inserts); everyone else calls RefreshProducts.
func IndexProducts(ctx context.Context, q db.Queryer, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	idx, err := indexRows(ctx, q, " WHERE p.id IN ("+placeholders(len(ids))+")", args)
	if err != nil {
		return err
	}
	return writePostings(ctx, q, idx)
}

// indexRows reads what the search index needs of the products that
// pwhere selects.
func indexRows(ctx context.Context, q db.Queryer, pwhere string, args []any) ([]indexRow, error) {
	rows, err := q.Query(ctx, `SELECT p.id, p.name_ja, p.name_en, p.search_words, p.status, p.created_at, p.price_min, p.tax_class, v.sku
		FROM products p LEFT JOIN variants v ON v.product_id = p.id`+pwhere+` ORDER BY p.id, v.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var idx []indexRow
	for rows.Next() {
		var r indexRow
		var ja, en, words, status, class string
		var sku sql.NullString
		if err := rows.Scan(&r.id, &ja, &en, &words, &status, &r.created, &r.priceMin, &class, &sku); err != nil {
			return nil, err
		}
		if len(idx) == 0 || idx[len(idx)-1].id != r.id {
			r.public, r.reduced = status == "public", class == "reduced"
			r.names, r.others = []string{ja, en}, []string{words}
			idx = append(idx, r)
		}
		if sku.Valid {
			last := &idx[len(idx)-1]
			last.others = append(last.others, sku.String)
		}
	}
	return idx, rows.Err()
}

func placeholders(n int) string {
	b := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

func nullInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func nullYen(n sql.NullInt64) *shop.Yen {
	if !n.Valid {
		return nil
	}
	v := shop.Yen(n.Int64)
	return &v
}

func joinNames(a, b string) string {
	switch {
	case a != "" && b != "":
		return a + " / " + b
	case a != "":
		return a
	}
	return b
}

func orJA(en, ja string) string {
	if en != "" {
		return en
	}
	return ja
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func timeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}
