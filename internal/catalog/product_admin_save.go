package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// Error keys of the product save (internal/i18n/locales/admin_products.json).
const (
	ErrKeyRequired     = "admin_products.error.required"
	ErrKeyTooLong      = "admin_products.error.too_long"
	ErrKeySlug         = "admin_products.error.slug"
	ErrKeySlugTaken    = "admin_products.error.slug_taken"
	ErrKeyChoice       = "admin_products.error.choice"
	ErrKeyRange        = "admin_products.error.range"
	ErrKeySKUTwice     = "admin_products.error.sku_twice"
	ErrKeySKUTaken     = "admin_products.error.sku_taken"
	ErrKeyValueTwice   = "admin_products.error.value_twice"
	ErrKeyTooMany      = "admin_products.error.too_many"
	ErrKeyMatrix       = "admin_products.error.matrix"
	ErrKeyNoVariant    = "admin_products.error.no_variant"
	ErrKeyUnknown      = "admin_products.error.unknown"
	ErrKeyVersion      = "admin_products.error.version"
	ErrKeyStockChanged = "admin_products.error.stock_changed"
	ErrKeyPeriod       = "catalog13.error.period"
	ErrKeySalePrice    = "catalog13.error.sale_price"
	ErrKeyRelatedSelf  = "catalog13.error.related_self"
)

// MaxRelated bounds a product's related products.
const MaxRelated = 20

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,99}$`)

// MaxPrice bounds a price in yen (excluding tax).
const MaxPrice = 100_000_000

// Validate checks p's fields and returns an Invalid error naming each bad
// field ("name_ja", "axis1_values", "v3_sku" for the fourth variant…), or
// nil. It does not look at the database (SaveProduct does that).
func (p *Edit) Validate() error {
	f := map[string]string{}
	if strings.TrimSpace(p.NameJA) == "" {
		f["name_ja"] = ErrKeyRequired
	}
	for name, v := range map[string]string{"name_ja": p.NameJA, "name_en": p.NameEN} {
		if utf8.RuneCountInString(v) > 200 {
			f[name] = ErrKeyTooLong
		}
	}
	for name, v := range map[string]string{"description_ja": p.DescriptionJA, "description_en": p.DescriptionEN,
		"free_area_ja": p.FreeAreaJA, "free_area_en": p.FreeAreaEN, "search_words": p.SearchWords} {
		if utf8.RuneCountInString(v) > 20000 {
			f[name] = ErrKeyTooLong
		}
	}
	// Merchant Center takes a brand of up to 70 characters.
	if utf8.RuneCountInString(p.Brand) > 70 {
		f["brand"] = ErrKeyTooLong
	}
	if p.Slug != "" && !slugRE.MatchString(p.Slug) {
		f["slug"] = ErrKeySlug
	}
	if p.Status != StatusPublic && p.Status != StatusPrivate && p.Status != StatusArchived {
		f["status"] = ErrKeyChoice
	}
	if p.TaxClass != shop.TaxStandard && p.TaxClass != shop.TaxReduced {
		f["tax_class"] = ErrKeyChoice
	}
	if p.ParcelSize != 0 && !delivery.ValidSize(p.ParcelSize) {
		f["parcel_size"] = ErrKeyChoice
	}
	if p.PublishFrom != nil && p.PublishUntil != nil && !p.PublishUntil.After(*p.PublishFrom) {
		f["publish_until"] = ErrKeyPeriod
	}
	if p.SaleFrom != nil && p.SaleUntil != nil && !p.SaleUntil.After(*p.SaleFrom) {
		f["sale_until"] = ErrKeyPeriod
	}
	if len(p.RelatedIDs) > MaxRelated {
		f["related"] = ErrKeyTooMany
	}
	for _, id := range p.RelatedIDs {
		if id == p.ID && id != 0 {
			f["related"] = ErrKeyRelatedSelf
		}
	}
	if len(p.Axes) > MaxAxes {
		f["axes"] = ErrKeyTooMany
	}
	for i, a := range p.Axes {
		key := fmt.Sprintf("axis%d_", i+1)
		if strings.TrimSpace(a.NameJA) == "" {
			f[key+"name"] = ErrKeyRequired
		}
		if len(a.Values) == 0 {
			f[key+"values"] = ErrKeyRequired
		}
		if len(a.Values) > MaxAxisValues {
			f[key+"values"] = ErrKeyTooMany
		}
		seen := map[string]bool{}
		for _, v := range a.Values {
			if v.NameJA == "" || seen[v.NameJA] {
				f[key+"values"] = ErrKeyValueTwice
			}
			if utf8.RuneCountInString(v.NameJA) > 100 || utf8.RuneCountInString(v.NameEN) > 100 {
				f[key+"values"] = ErrKeyTooLong
			}
			seen[v.NameJA] = true
		}
	}
	if len(f) > 0 {
		return shop.Invalidf(f)
	}
	// The variants must be exactly the matrix of the axes.
	want := Matrix(p.Axes, nil)
	if len(want) > MaxVariants {
		f["variants"] = ErrKeyTooMany
		return shop.Invalidf(f)
	}
	have := map[string]bool{}
	for _, v := range p.Variants {
		have[v.Combo()] = true
	}
	if len(have) != len(p.Variants) || len(want) != len(p.Variants) {
		f["variants"] = ErrKeyMatrix
	}
	for _, w := range want {
		if !have[w.Combo()] {
			f["variants"] = ErrKeyMatrix
		}
	}
	skus := map[string]bool{}
	active := 0
	for i, v := range p.Variants {
		key := fmt.Sprintf("v%d_", i)
		switch {
		case v.SKU == "":
			f[key+"sku"] = ErrKeyRequired
		case len(v.SKU) > 64 || strings.ContainsAny(v.SKU, " \t\r\n"):
			f[key+"sku"] = ErrKeySlug
		case skus[v.SKU]:
			f[key+"sku"] = ErrKeySKUTwice
		}
		skus[v.SKU] = true
		if v.GTIN != "" && !ValidGTIN(v.GTIN) {
			f[key+"gtin"] = ErrKeyGTIN
		}
		if v.Price < 0 || v.Price > MaxPrice {
			f[key+"price"] = ErrKeyRange
		}
		if v.ListPrice != nil && (*v.ListPrice < 0 || *v.ListPrice > MaxPrice) {
			f[key+"list_price"] = ErrKeyRange
		}
		if v.Stock != nil && (*v.Stock < 0 || *v.Stock > 10_000_000) {
			f[key+"stock"] = ErrKeyRange
		}
		if v.SalePrice != nil && (*v.SalePrice < 0 || *v.SalePrice >= v.Price) {
			f[key+"sale_price"] = ErrKeySalePrice
		}
		if v.SaleLimit != nil && (*v.SaleLimit < 1 || *v.SaleLimit > 10_000) {
			f[key+"sale_limit"] = ErrKeyRange
		}
		if v.LeadDays < 0 || v.LeadDays > 365 {
			f[key+"lead_days"] = ErrKeyRange
		}
		if v.Active {
			active++
		}
	}
	if active == 0 && p.Status == StatusPublic && f["variants"] == "" {
		f["variants"] = ErrKeyNoVariant
	}
	if len(f) > 0 {
		return shop.Invalidf(f)
	}
	return nil
}

// SaveProduct creates p (p.ID == 0) or updates it, with its categories,
// tags, axes and variants, and refreshes its price range and search text.
// Images are not touched. It returns the product's ID.
//
// Errors: Invalid with per-field keys (see Validate; also "slug" taken,
// "v3_sku" used by another product, unknown "categories"/"tags");
// Conflict ErrKeyVersion when the product changed since p.Version was
// read; Conflict ErrKeyStockChanged when the admin changed a stock that
// also changed meanwhile (a sale); shop.ErrNotFound for an unknown ID.
func SaveProduct(ctx context.Context, tx *db.Tx, p *Edit) (int64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if err := checkRefs(ctx, tx, p); err != nil {
		return 0, err
	}
	now := tx.Now()
	if p.ID == 0 {
		slug := p.Slug
		if slug == "" {
			slug = "new-" + fmt.Sprint(now.UnixNano())
		}
		err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, name_en, description_ja, description_en,
				free_area_ja, free_area_en, search_words, tax_class, featured, brand, publish_from, publish_until, sale_from, sale_until,
				parcel_size, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			slug, p.Status, p.NameJA, p.NameEN, p.DescriptionJA, p.DescriptionEN, p.FreeAreaJA, p.FreeAreaEN,
			p.SearchWords, string(p.TaxClass), p.Featured, p.Brand, timeArg(p.PublishFrom), timeArg(p.PublishUntil),
			timeArg(p.SaleFrom), timeArg(p.SaleUntil), sizeArg(p.ParcelSize), now, now).Scan(&p.ID)
		if db.IsUniqueViolation(err) {
			return 0, shop.Invalidf(map[string]string{"slug": ErrKeySlugTaken})
		}
		if err != nil {
			return 0, err
		}
		if p.Slug == "" {
			p.Slug = fmt.Sprintf("p%d", p.ID)
			if _, err := tx.Exec(ctx, `UPDATE products SET slug = ? WHERE id = ?`, p.Slug, p.ID); err != nil {
				return 0, err
			}
		}
	} else {
		if p.Slug == "" {
			p.Slug = fmt.Sprintf("p%d", p.ID)
		}
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE products SET slug = ?, status = ?, name_ja = ?, name_en = ?,
				description_ja = ?, description_en = ?, free_area_ja = ?, free_area_en = ?, search_words = ?,
				tax_class = ?, featured = ?, brand = ?, publish_from = ?, publish_until = ?, sale_from = ?, sale_until = ?,
				parcel_size = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`,
			p.Slug, p.Status, p.NameJA, p.NameEN, p.DescriptionJA, p.DescriptionEN, p.FreeAreaJA, p.FreeAreaEN,
			p.SearchWords, string(p.TaxClass), p.Featured, p.Brand, timeArg(p.PublishFrom), timeArg(p.PublishUntil),
			timeArg(p.SaleFrom), timeArg(p.SaleUntil), sizeArg(p.ParcelSize), now, p.ID, p.Version))
		if db.IsUniqueViolation(err) {
			return 0, shop.Invalidf(map[string]string{"slug": ErrKeySlugTaken})
		}
		if err != nil {
			return 0, err
		}
		if n == 0 {
			var x int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM products WHERE id = ?`, p.ID).Scan(&x); err == sql.ErrNoRows {
				return 0, shop.ErrNotFound
			}
			return 0, shop.Errorf(shop.Conflict, ErrKeyVersion)
		}
		if err := webhook.Emit(ctx, tx, webhook.ProductUpdated, map[string]any{"id": p.ID, "slug": p.Slug, "status": string(p.Status)}); err != nil {
			return 0, err
		}
	}
	if err := saveLinks(ctx, tx, p); err != nil {
		return 0, err
	}
	if err := saveVariants(ctx, tx, p); err != nil {
		return 0, err
	}
	return p.ID, RefreshProducts(ctx, tx, p.ID)
}

// checkRefs refuses SKUs of other products and unknown categories or tags.
func checkRefs(ctx context.Context, tx *db.Tx, p *Edit) error {
	f := map[string]string{}
	for i, v := range p.Variants {
		var owner int64
		err := tx.QueryRow(ctx, `SELECT product_id FROM variants WHERE sku = ?`, v.SKU).Scan(&owner)
		if err == nil && owner != p.ID {
			f[fmt.Sprintf("v%d_sku", i)] = ErrKeySKUTaken
		} else if err != nil && err != sql.ErrNoRows {
			return err
		}
	}
	for _, c := range []struct {
		field, table string
		ids          []int64
	}{{"categories", "categories", p.CategoryIDs}, {"tags", "tags", p.TagIDs}, {"related", "products", p.RelatedIDs}} {
		for _, id := range c.ids {
			var x int
			err := tx.QueryRow(ctx, `SELECT 1 FROM `+c.table+` WHERE id = ?`, id).Scan(&x)
			if err == sql.ErrNoRows {
				f[c.field] = ErrKeyUnknown
			} else if err != nil {
				return err
			}
		}
	}
	if len(f) > 0 {
		return shop.Invalidf(f)
	}
	return nil
}

func saveLinks(ctx context.Context, tx *db.Tx, p *Edit) error {
	if _, err := tx.Exec(ctx, `DELETE FROM product_categories WHERE product_id = ?`, p.ID); err != nil {
		return err
	}
	for _, id := range uniq(p.CategoryIDs) {
		if _, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?)`, p.ID, id); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM product_tags WHERE product_id = ?`, p.ID); err != nil {
		return err
	}
	for _, id := range uniq(p.TagIDs) {
		if _, err := tx.Exec(ctx, `INSERT INTO product_tags (product_id, tag_id) VALUES (?, ?)`, p.ID, id); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM related_products WHERE product_id = ?`, p.ID); err != nil {
		return err
	}
	for i, id := range uniq(p.RelatedIDs) {
		if _, err := tx.Exec(ctx, `INSERT INTO related_products (product_id, related_id, sort_order) VALUES (?, ?, ?)`, p.ID, id, i); err != nil {
			return err
		}
	}
	return nil
}

func uniq(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// sizeArg is a parcel size class for SQL: NULL for none.
func sizeArg(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
