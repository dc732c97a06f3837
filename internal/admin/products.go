package admin

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/media"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// Catalog serves the admin's catalogue pages: products with their
// variants and images, categories, tags and the catalogue CSV. Build it
// with (*Handlers).Catalog and call Routes.
type Catalog struct {
	h     *Handlers
	store *catalog.Store
	media media.Store

	progress importProgress

	// Preview renders a product as its storefront page for an admin
	// (catalog.Handlers.Preview); without it previews are 404.
	Preview func(w http.ResponseWriter, r *http.Request, p *catalog.Product) error
}

// Catalog returns the catalogue pages, writing through store (whose
// caches every write invalidates) and keeping uploaded images in m.
func (h *Handlers) Catalog(store *catalog.Store, m media.Store) *Catalog {
	return &Catalog{h: h, store: store, media: m}
}

// CatalogUploadLimit is the body limit of the image upload route; the
// CSV import's is the operator's setting (csvUploadLimit). Every other
// request keeps the default 1 MiB.
const CatalogUploadLimit = 64 << 20

// BodyLimit raises the body limit for the upload routes (for
// web.Config.BodyLimit).
func (c *Catalog) BodyLimit(r *http.Request) int64 {
	p := r.URL.Path
	if r.Method != http.MethodPost || !strings.HasPrefix(p, c.h.base+"/") {
		return 0
	}
	if p == c.h.base+"/catalog-csv/import" {
		return c.csvUploadLimit(r.Context()) + multipartSlack
	}
	if strings.HasSuffix(p, "/images") || p == c.h.base+"/products/new" || productFormPath.MatchString(strings.TrimPrefix(p, c.h.base)) {
		return CatalogUploadLimit // the product form takes images too
	}
	return 0
}

// Routes mounts the catalogue pages under the admin path.
func (c *Catalog) Routes(mux *http.ServeMux) {
	m := c.h.Mount
	m(mux, "GET /products", AreaProducts, Read, false, c.productList)
	m(mux, "POST /products/stock", AreaProducts, Write, false, c.productBulk)
	m(mux, "POST /products/bulk", AreaProducts, Write, false, c.productBulkAction)
	m(mux, "GET /products/settings", AreaProducts, Read, false, c.productSettings)
	m(mux, "POST /products/settings", AreaProducts, Write, false, c.productSettingsSave)
	m(mux, "GET /products/new", AreaProducts, Read, false, c.productNew)
	m(mux, "POST /products/new", AreaProducts, Write, false, c.productCreate)
	m(mux, "GET /products/{id}", AreaProducts, Read, false, c.productEdit)
	m(mux, "POST /products/{id}", AreaProducts, Write, false, c.productUpdate)
	m(mux, "POST /products/{id}/copy", AreaProducts, Write, false, c.productCopy)
	m(mux, "GET /products/{id}/preview", AreaProducts, Read, false, c.productPreview)
	m(mux, "POST /products/{id}/status", AreaProducts, Write, false, c.productStatus)
	m(mux, "POST /products/{id}/images", AreaProducts, Write, false, c.imageUpload)
	m(mux, "POST /products/{id}/images/{image}", AreaProducts, Write, false, c.imageEdit)
	m(mux, "GET /categories", AreaProducts, Read, false, c.categoryList)
	m(mux, "POST /categories", AreaProducts, Write, false, c.categoryCreate)
	m(mux, "POST /categories/{id}", AreaProducts, Write, false, c.categoryUpdate)
	m(mux, "POST /categories/{id}/move", AreaProducts, Write, false, c.categoryMove)
	m(mux, "POST /categories/{id}/delete", AreaProducts, Write, false, c.categoryDelete)
	m(mux, "GET /classes", AreaProducts, Read, false, c.classList)
	m(mux, "POST /classes", AreaProducts, Write, false, c.classSave)
	m(mux, "POST /classes/{id}/delete", AreaProducts, Write, false, c.classDelete)
	m(mux, "POST /classes/{id}/values/{value}/delete", AreaProducts, Write, false, c.classValueDelete)
	m(mux, "GET /tags", AreaProducts, Read, false, c.tagList)
	m(mux, "POST /tags", AreaProducts, Write, false, c.tagSave)
	m(mux, "POST /tags/{id}/delete", AreaProducts, Write, false, c.tagDelete)
	c.csvRoutes(mux)
}

// write runs fn in a transaction with the audit entry of the change and
// drops the catalogue caches after the commit.
func (c *Catalog) write(r *http.Request, action string, fn func(tx *db.Tx) (target string, details map[string]any, err error)) error {
	err := c.h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		target, details, err := fn(tx)
		if err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, action, target, details))
		return err
	})
	if err == nil {
		c.store.Invalidate()
	}
	return err
}

type productListPage struct {
	Rows                  []catalog.AdminRow
	Total, Page, Pages    int
	Q, Status, Stock      string
	Category, Tag         int64
	Categories            []categoryOption
	Tags                  []catalog.Tag
	Query                 string
	Fields                map[string]string
	Error                 string
	Statuses, StockStates []string
	// Bulk actions and the result of the last one when it skipped some.
	Actions    []string
	BulkDone   int
	BulkAction string
	Skipped    []catalog.Skipped
	PageLinks  []int // 0 is a gap
	Now        time.Time
}

// productList lists products with search and filters, and the bulk
// stock and price form. GET /{admin}/products
func (c *Catalog) productList(w http.ResponseWriter, r *http.Request) error {
	return c.renderList(w, r, http.StatusOK, nil, "")
}

func (c *Catalog) renderList(w http.ResponseWriter, r *http.Request, status int, fields map[string]string, msg string) error {
	return c.renderListPage(w, r, status, &productListPage{Fields: fields, Error: msg})
}

// renderListResult shows the list with a bulk action's skipped products.
func (c *Catalog) renderListResult(w http.ResponseWriter, r *http.Request, status int, res *catalog.BulkResult, action string) error {
	return c.renderListPage(w, r, status, &productListPage{BulkDone: len(res.Done), BulkAction: action, Skipped: res.Skipped})
}

func (c *Catalog) renderListPage(w http.ResponseWriter, r *http.Request, status int, p *productListPage) error {
	q := r.URL.Query()
	p.Q, p.Status, p.Stock = catalog.CleanQuery(q.Get("q")), q.Get("status"), q.Get("stock")
	p.Statuses, p.StockStates, p.Actions, p.Now = productStatuses, []string{"in", "low", "out"}, catalog.BulkActions, c.h.DB.Now()
	p.Category, _ = strconv.ParseInt(q.Get("category"), 10, 64)
	p.Tag, _ = strconv.ParseInt(q.Get("tag"), 10, 64)
	p.Page, _ = strconv.Atoi(q.Get("page"))
	p.Page = max(p.Page, 1)
	const limit = 30
	var err error
	p.Rows, p.Total, err = c.store.AdminList(r.Context(), catalog.AdminQuery{Keywords: catalog.Keywords(p.Q), Status: p.Status,
		CategoryID: p.Category, TagID: p.Tag, Stock: p.Stock, Page: p.Page, Limit: limit})
	if err != nil {
		return err
	}
	p.Pages = max(1, (p.Total+limit-1)/limit)
	p.PageLinks = pageWindow(p.Page, p.Pages)
	if p.Categories, err = c.categoryOptions(r); err != nil {
		return err
	}
	if p.Tags, err = c.store.Tags(r.Context()); err != nil {
		return err
	}
	q.Del("page")
	p.Query = q.Encode()
	return c.h.Page(w, r, status, "admin_products", "admin_products.title", p)
}

// pageWindow returns the page numbers a list links to: the first, the
// last and two either side of the current one, with 0 for a gap (100,000
// products are 3,334 pages).
func pageWindow(page, pages int) []int {
	var out []int
	last := 0
	for _, n := range []int{1, page - 2, page - 1, page, page + 1, page + 2, pages} {
		if n <= last || n < 1 || n > pages {
			continue
		}
		if n > last+1 {
			out = append(out, 0)
		}
		out = append(out, n)
		last = n
	}
	return out
}

// productBulk saves the list's stock and price edits: for every variant
// on the page, v<id>_price/_stock (blank = unlimited) with the shown
// values in _price_was/_stock_was and _version. POST /{admin}/products/stock
func (c *Catalog) productBulk(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	var changes []catalog.StockPrice
	fields := map[string]string{}
	for _, sid := range r.PostForm["variant"] {
		id, err := strconv.ParseInt(sid, 10, 64)
		if err != nil {
			continue
		}
		k := "v" + sid + "_"
		sp := catalog.StockPrice{VariantID: id}
		sp.Version, _ = strconv.Atoi(r.PostFormValue(k + "version"))
		var ok bool
		if sp.Price, ok = parseYen(r.PostFormValue(k + "price")); !ok {
			fields[k+"price"] = "admin_products.error.number"
		}
		sp.PriceWas, _ = parseYen(r.PostFormValue(k + "price_was"))
		if sp.Stock, ok = parseOptInt(r.PostFormValue(k + "stock")); !ok {
			fields[k+"stock"] = "admin_products.error.number"
		}
		sp.StockWas, _ = parseOptInt(r.PostFormValue(k + "stock_was"))
		changes = append(changes, sp)
	}
	if len(fields) > 0 {
		return c.renderList(w, r, http.StatusUnprocessableEntity, fields, "admin_products.error.fix")
	}
	err := c.write(r, "product.stock_price", func(tx *db.Tx) (string, map[string]any, error) {
		ids, err := catalog.SaveStockPrices(r.Context(), tx, changes)
		return "", map[string]any{"products": ids}, err
	})
	switch k := shop.KindOf(err); {
	case err == nil:
	case k == shop.Invalid:
		return c.renderList(w, r, http.StatusUnprocessableEntity, err.(*shop.Error).Fields, "admin_products.error.fix")
	case k == shop.Conflict:
		return c.renderList(w, r, http.StatusConflict, nil, catalog.ErrKeyVersion)
	default:
		return err
	}
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/products?"+r.URL.RawQuery, http.StatusSeeOther)
	return nil
}

// parseYen reads a whole number of yen, allowing "1,980" and full-width
// digits.
func parseYen(s string) (shop.Yen, bool) {
	n, err := strconv.ParseInt(normNumber(s), 10, 64)
	return shop.Yen(n), err == nil
}

// parseOptInt reads an optional whole number: "" is nil.
func parseOptInt(s string) (*int, bool) {
	s = normNumber(s)
	if s == "" {
		return nil, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &n, true
}

func normNumber(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ',' || r == '，' || r == '¥' || r == '￥' || r == '円':
			return -1
		}
		return r
	}, s)
	return s
}

func optString(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// productFormPath is a product form's save route, which takes images.
var productFormPath = regexp.MustCompile(`^/products/[0-9]+$`)

var productStatuses = []string{catalog.StatusPublic, catalog.StatusPrivate, catalog.StatusArchived}
