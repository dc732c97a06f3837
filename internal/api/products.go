package api

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// Product is a product with its variants and category IDs.
type Product struct {
	ID            int64     `json:"id"`
	Slug          string    `json:"slug"`
	Status        string    `json:"status"`
	NameJA        string    `json:"name_ja"`
	NameEN        string    `json:"name_en"`
	DescriptionJA string    `json:"description_ja"`
	DescriptionEN string    `json:"description_en"`
	TaxClass      string    `json:"tax_class"`
	Brand         string    `json:"brand"`
	PriceMin      int64     `json:"price_min"`
	PriceMax      int64     `json:"price_max"`
	CategoryIDs   []int64   `json:"category_ids"`
	Variants      []Variant `json:"variants"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Variant is a SKU. Stock null is unlimited; prices exclude tax.
type Variant struct {
	ID        int64     `json:"id"`
	ProductID int64     `json:"product_id"`
	SKU       string    `json:"sku"`
	Price     int64     `json:"price"`
	ListPrice *int64    `json:"list_price"`
	SalePrice *int64    `json:"sale_price"`
	Stock     *int      `json:"stock"`
	Active    bool      `json:"active"`
	GTIN      string    `json:"gtin"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (h *Handler) productRoutes() {
	h.handle("GET /api/v1/products", "products", "read", h.listProducts)
	h.handle("GET /api/v1/products/{id}", "products", "read", h.getProduct)
	h.handle("PATCH /api/v1/products/{id}", "products", "write", h.patchProduct)
	h.handle("GET /api/v1/variants/{id}", "products", "read", h.getVariant)
	h.handle("PATCH /api/v1/variants/{id}", "products", "write", h.patchVariant)
	h.handle("GET /api/v1/categories", "products", "read", h.listCategories)
}

const productCols = `p.id, p.slug, p.status, p.name_ja, p.name_en, p.description_ja, p.description_en, p.tax_class, p.brand, p.price_min, p.price_max, p.created_at, p.updated_at`

// products loads products (with variants and categories) by a WHERE …
// clause on alias p.
func products(ctx context.Context, q db.Queryer, tail string, args ...any) ([]Product, error) {
	rows, err := q.Query(ctx, `SELECT `+productCols+` FROM products p`+tail, args...)
	if err != nil {
		return nil, err
	}
	var out []Product
	index := map[int64]int{}
	for rows.Next() {
		var p Product
		if err := rows.Scan(&p.ID, &p.Slug, &p.Status, &p.NameJA, &p.NameEN, &p.DescriptionJA, &p.DescriptionEN, &p.TaxClass, &p.Brand, &p.PriceMin, &p.PriceMax, &p.CreatedAt, &p.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		p.CategoryIDs, p.Variants = []int64{}, []Variant{}
		index[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, p := range out {
		ids[i] = p.ID
	}
	vs, err := variants(ctx, q, ` WHERE product_id IN (`+placeholders(len(ids))+`) ORDER BY product_id, sort_order, id`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		p := &out[index[v.ProductID]]
		p.Variants = append(p.Variants, v)
	}
	crows, err := q.Query(ctx, `SELECT product_id, category_id FROM product_categories WHERE product_id IN (`+placeholders(len(ids))+`) ORDER BY product_id, category_id`, idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var pid, cid int64
		if err := crows.Scan(&pid, &cid); err != nil {
			return nil, err
		}
		p := &out[index[pid]]
		p.CategoryIDs = append(p.CategoryIDs, cid)
	}
	return out, crows.Err()
}

func variants(ctx context.Context, q db.Queryer, tail string, args ...any) ([]Variant, error) {
	rows, err := q.Query(ctx, `SELECT id, product_id, sku, price, list_price, sale_price, stock, active, gtin, updated_at FROM variants`+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Variant
	for rows.Next() {
		var v Variant
		if err := rows.Scan(&v.ID, &v.ProductID, &v.SKU, &v.Price, &v.ListPrice, &v.SalePrice, &v.Stock, &v.Active, &v.GTIN, &v.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func product(ctx context.Context, q db.Queryer, id int64) (Product, error) {
	ps, err := products(ctx, q, ` WHERE p.id = ?`, id)
	if err == nil && len(ps) == 0 {
		err = shop.ErrNotFound
	}
	if err != nil {
		return Product{}, err
	}
	return ps[0], nil
}

func variant(ctx context.Context, q db.Queryer, id int64) (Variant, error) {
	vs, err := variants(ctx, q, ` WHERE id = ?`, id)
	if err == nil && len(vs) == 0 {
		err = shop.ErrNotFound
	}
	if err != nil {
		return Variant{}, err
	}
	return vs[0], nil
}

func (h *Handler) listProducts(w http.ResponseWriter, r *http.Request, _ *Token) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	var conds []string
	var args []any
	if s := r.URL.Query().Get("status"); s != "" {
		conds, args = append(conds, "p.status = ?"), append(args, s)
	}
	tail, args := p.where("p.", conds, args)
	ps, err := products(r.Context(), h.cfg.DB, tail, args...)
	if err != nil {
		return err
	}
	ps, more, next := cut(p, ps, func(x Product) int64 { return x.ID })
	return writeList(w, r, ps, more, next)
}

func (h *Handler) getProduct(w http.ResponseWriter, r *http.Request, _ *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := product(r.Context(), h.cfg.DB, id)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, p)
}

// productPatch is what PATCH /products/{id} may change.
type productPatch struct {
	Status        *string `json:"status"`
	NameJA        *string `json:"name_ja"`
	NameEN        *string `json:"name_en"`
	DescriptionJA *string `json:"description_ja"`
	DescriptionEN *string `json:"description_en"`
}

func (h *Handler) patchProduct(w http.ResponseWriter, r *http.Request, t *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in productPatch
	if err := readJSON(r, &in); err != nil {
		return err
	}
	var out Product
	err = h.cfg.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ctx := r.Context()
		if err := lockRow(ctx, tx, "products", id); err != nil {
			return err
		}
		cur, err := product(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, cur); err != nil {
			return err
		}
		next := cur
		set(&next.Status, in.Status)
		set(&next.NameJA, in.NameJA)
		set(&next.NameEN, in.NameEN)
		set(&next.DescriptionJA, in.DescriptionJA)
		set(&next.DescriptionEN, in.DescriptionEN)
		errs := map[string]string{}
		if next.Status != catalog.StatusPublic && next.Status != catalog.StatusPrivate && next.Status != catalog.StatusArchived {
			errs["status"] = "api.error.status"
		}
		if next.NameJA == "" || len([]rune(next.NameJA)) > 200 || len([]rune(next.NameEN)) > 200 {
			errs["name_ja"] = "api.error.name"
		}
		if next.Status == catalog.StatusPublic && !anyActive(cur.Variants) {
			errs["status"] = "api.error.no_variant"
		}
		if len(errs) > 0 {
			return shop.Invalidf(errs)
		}
		if _, err := tx.Exec(ctx, `UPDATE products SET status = ?, name_ja = ?, name_en = ?, description_ja = ?, description_en = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			next.Status, next.NameJA, next.NameEN, next.DescriptionJA, next.DescriptionEN, tx.Now(), id); err != nil {
			return err
		}
		if err := catalog.RefreshProducts(ctx, tx, id); err != nil {
			return err
		}
		if err := webhook.Emit(ctx, tx, webhook.ProductUpdated, map[string]any{"id": id, "slug": next.Slug, "status": next.Status}); err != nil {
			return err
		}
		if err := h.audit(ctx, tx, r, t, "api.product.update", strconv.FormatInt(id, 10), map[string]any{"status": next.Status}); err != nil {
			return err
		}
		out, err = product(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	h.cfg.CatalogChanged()
	return writeOne(w, r, http.StatusOK, out)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func anyActive(vs []Variant) bool {
	for _, v := range vs {
		if v.Active {
			return true
		}
	}
	return false
}

func (h *Handler) getVariant(w http.ResponseWriter, r *http.Request, _ *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := variant(r.Context(), h.cfg.DB, id)
	if err != nil {
		return err
	}
	return writeOne(w, r, http.StatusOK, v)
}

// variantPatch is what PATCH /variants/{id} may change; stock is set
// through /stock (it may be null: unlimited).
type variantPatch struct {
	Price     *int64 `json:"price"`
	SalePrice *int64 `json:"sale_price"`
	Active    *bool  `json:"active"`
}

func (h *Handler) patchVariant(w http.ResponseWriter, r *http.Request, t *Token) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in variantPatch
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if (in.Price != nil && (*in.Price < 0 || *in.Price > 100_000_000)) || (in.SalePrice != nil && (*in.SalePrice < 0 || *in.SalePrice > 100_000_000)) {
		return shop.Invalidf(map[string]string{"price": "api.error.price"})
	}
	var out Variant
	err = h.cfg.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ctx := r.Context()
		if err := lockRow(ctx, tx, "variants", id); err != nil {
			return err
		}
		cur, err := variant(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, cur); err != nil {
			return err
		}
		next := cur
		set(&next.Price, in.Price)
		set(&next.Active, in.Active)
		if in.SalePrice != nil {
			next.SalePrice = in.SalePrice
		}
		if _, err := tx.Exec(ctx, `UPDATE variants SET price = ?, sale_price = ?, active = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			next.Price, next.SalePrice, next.Active, tx.Now(), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE products SET version = version + 1, updated_at = ? WHERE id = ?`, tx.Now(), cur.ProductID); err != nil {
			return err
		}
		if err := catalog.RefreshProducts(ctx, tx, cur.ProductID); err != nil {
			return err
		}
		if err := webhook.Emit(ctx, tx, webhook.ProductUpdated, map[string]any{"id": cur.ProductID, "variant_id": id}); err != nil {
			return err
		}
		if err := h.audit(ctx, tx, r, t, "api.variant.update", cur.SKU, map[string]any{"price": next.Price, "active": next.Active}); err != nil {
			return err
		}
		out, err = variant(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	h.cfg.CatalogChanged()
	return writeOne(w, r, http.StatusOK, out)
}

// Category is a node of the category tree.
type Category struct {
	ID        int64  `json:"id"`
	ParentID  *int64 `json:"parent_id"`
	Slug      string `json:"slug"`
	NameJA    string `json:"name_ja"`
	NameEN    string `json:"name_en"`
	SortOrder int    `json:"sort_order"`
}

func (h *Handler) listCategories(w http.ResponseWriter, r *http.Request, _ *Token) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	tail, args := p.where("", nil, nil)
	rows, err := h.cfg.DB.Query(r.Context(), `SELECT id, parent_id, slug, name_ja, name_en, sort_order FROM categories`+tail, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var out []Category
	for rows.Next() {
		var c Category
		var parent sql.NullInt64
		if err := rows.Scan(&c.ID, &parent, &c.Slug, &c.NameJA, &c.NameEN, &c.SortOrder); err != nil {
			return err
		}
		if parent.Valid {
			c.ParentID = &parent.Int64
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out, more, next := cut(p, out, func(c Category) int64 { return c.ID })
	return writeList(w, r, out, more, next)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
