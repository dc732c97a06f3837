package admin

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/akinai/akinai/internal/shop"
)

// orderNumberLike matches what an operator types for an order number
// (letters, digits and hyphens, at least one digit).
var orderNumberLike = regexp.MustCompile(`^[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*$`)

// search answers the header's search box: it sends the query to the list
// of the chosen kind (orders, customers or products) with the filter that
// fits what was typed — an order number, an email address or a name.
func (h *Handlers) search(w http.ResponseWriter, r *http.Request, c *current) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	kind := r.URL.Query().Get("in")
	var area Area
	var path string
	v := url.Values{}
	switch kind {
	case "orders":
		area, path = AreaOrders, "/orders"
		switch {
		case strings.Contains(q, "@"):
			v.Set("email", q)
		case orderNumberLike.MatchString(q):
			v.Set("number", q)
		default:
			v.Set("name", q)
		}
	case "customers":
		area, path = AreaCustomers, "/customers"
		v.Set("q", q)
	case "products":
		area, path = AreaProducts, "/products"
		v.Set("q", q)
	default:
		return shop.Errorf(shop.Invalid, "admin_nav.search.kind")
	}
	if !c.admin.Can(area, Read) {
		return &shop.Error{Kind: shop.Forbidden, Key: "error.forbidden"}
	}
	if q == "" {
		v = url.Values{}
	}
	target := h.base + path
	if len(v) > 0 {
		target += "?" + v.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
