package eccube

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/db"
)

// Redirects answers the old shop's URLs with a 301 to the Akinai page of
// the same product, category or function, so search rankings and
// bookmarks survive the move. Only paths Akinai does not serve itself
// are mounted: /entry, /contact, /mypage/login, /forgot, /cart and
// /mypage/withdraw are Akinai's own pages under the same paths and need
// nothing.
type Redirects struct {
	DB *db.DB
}

// Routes mounts the redirects on mux. Call it after every other route is
// mounted: the fixed paths are added only where mux has no page.
func (h *Redirects) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /products/list", h.list)
	mux.HandleFunc("GET /mypage/history/{no}", h.history)
	mux.HandleFunc("GET /user_data/{route}", h.userData)
	fixed := map[string]string{
		"/help/tradelaw":            "/pages/tokushoho",
		"/help/privacy":             "/pages/privacy",
		"/help/about":               "/pages/company",
		"/help/agreement":           "/pages/terms",
		"/help/guide":               "/pages/guide",
		"/guide":                    "/pages/guide",
		"/mypage/":                  "/mypage",
		"/mypage/favorite":          "/mypage/favorites",
		"/mypage/delivery":          "/mypage/addresses",
		"/mypage/change":            "/mypage/profile",
		"/shopping/login":           "/mypage/login",
		"/shopping":                 "/cart",
		"/entry/complete":           "/mypage/login",
		"/forgot/complete":          "/mypage/login",
		"/withdraw_complete":        "/",
		"/mypage/withdraw_complete": "/",
	}
	for from, to := range fixed {
		// Mounted last: a path Akinai serves itself keeps its page.
		if _, pattern := mux.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: from}}); pattern != "" {
			continue
		}
		p := from
		if strings.HasSuffix(p, "/") {
			p += "{$}"
		}
		mux.HandleFunc("GET "+p, func(w http.ResponseWriter, r *http.Request) { moved(w, r, to) })
	}
}

// Fallback answers /products/detail/{id} and passes every other request
// to next (the shop's "not found"). It is not a route of its own because
// the review form's /products/{slug}/review overlaps it
// (/products/detail/review), which ServeMux refuses.
func (h *Redirects) Fallback(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := strings.CutPrefix(r.URL.Path, "/products/detail/"); ok && r.Method == http.MethodGet && id != "" && !strings.Contains(id, "/") {
			h.product(w, r, id)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func moved(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}

// target looks up the Akinai row an EC-CUBE id became and returns its
// slug (or, for orders, number).
func (h *Redirects) target(ctx context.Context, kind, old, query string) (string, bool) {
	var s string
	err := h.DB.QueryRow(ctx, `SELECT `+query+` FROM eccube_map m WHERE m.kind = ? AND m.old_id = ?`, kind, old).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) || err != nil {
		return "", false
	}
	return s, true
}

// product: /products/detail/{id} → /products/{slug}; an id the import
// did not bring over goes to the product list rather than a 404 page.
func (h *Redirects) product(w http.ResponseWriter, r *http.Request, id string) {
	if _, err := strconv.ParseInt(id, 10, 64); err == nil {
		if slug, ok := h.target(r.Context(), "product", id, `(SELECT slug FROM products p WHERE p.id = m.new_id)`); ok && slug != "" {
			moved(w, r, "/products/"+url.PathEscape(slug))
			return
		}
	}
	moved(w, r, "/products")
}

// list: /products/list?category_id=N → /categories/{slug};
// ?name=… → /products?q=…; otherwise the product list.
func (h *Redirects) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if c := q.Get("category_id"); c != "" {
		if _, err := strconv.ParseInt(c, 10, 64); err == nil {
			if slug, ok := h.target(r.Context(), "category", c, `(SELECT slug FROM categories c WHERE c.id = m.new_id)`); ok && slug != "" {
				moved(w, r, "/categories/"+url.PathEscape(slug))
				return
			}
		}
	}
	if name := strings.TrimSpace(q.Get("name")); name != "" {
		moved(w, r, "/products?q="+url.QueryEscape(name))
		return
	}
	moved(w, r, "/products")
}

// history: /mypage/history/{order_no} → /mypage/orders/{number} (the
// page itself checks that the order is the signed-in customer's).
func (h *Redirects) history(w http.ResponseWriter, r *http.Request) {
	if n, ok := h.target(r.Context(), "order_no", r.PathValue("no"), `(SELECT number FROM orders o WHERE o.id = m.new_id)`); ok && n != "" {
		moved(w, r, "/mypage/orders/"+url.PathEscape(n))
		return
	}
	moved(w, r, "/mypage")
}

// userData: /user_data/{route} → the imported page.
func (h *Redirects) userData(w http.ResponseWriter, r *http.Request) {
	if slug, ok := h.target(r.Context(), "page_url", r.PathValue("route"), `(SELECT slug FROM pages p WHERE p.id = m.new_id)`); ok && slug != "" {
		moved(w, r, "/pages/"+url.PathEscape(slug))
		return
	}
	http.NotFound(w, r)
}
