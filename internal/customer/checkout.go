package customer

import (
	"net/http"

	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/web"
)

// Buyer tells the checkout who is signed in (checkout.Customers): the
// customer's ID, email, own address and saved delivery addresses.
func (h *Handlers) Buyer(r *http.Request) (int64, string, order.Address, []order.Address, bool) {
	c, err := h.Store.Session(r.Context(), web.Cookie(r, sessionCookie))
	if err != nil {
		return 0, "", order.Address{}, nil, false
	}
	saved, err := Addresses(r.Context(), h.Store.DB, c.ID)
	if err != nil {
		return 0, "", order.Address{}, nil, false
	}
	out := make([]order.Address, 0, len(saved))
	for _, a := range saved {
		out = append(out, a.Address)
	}
	return c.ID, c.Email, c.Address, out, true
}
