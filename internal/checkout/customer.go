package checkout

import (
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/order"
)

// Customers is what the checkout needs from customer accounts: who is
// signed in, and the addresses to prefill the form with.
type Customers interface {
	// Buyer returns the signed-in customer's ID, email, own address and
	// saved delivery addresses; ok is false for a guest.
	Buyer(r *http.Request) (id int64, email string, own order.Address, saved []order.Address, ok bool)
}

// Option changes what Mount wires.
type Option func(*Handlers)

// WithCustomers lets signed-in customers check out with their saved
// addresses and records the order on their account.
func WithCustomers(c Customers) Option {
	return func(h *Handlers) {
		h.Customers = c
		h.Customer = func(r *http.Request) int64 {
			if id := h.customerID(r); id != nil {
				return *id
			}
			return 0
		}
	}
}

// customerID returns the signed-in customer's ID, nil for a guest.
func (h *Handlers) customerID(r *http.Request) *int64 {
	if h.Customers == nil {
		return nil
	}
	id, _, _, _, ok := h.Customers.Buyer(r)
	if !ok {
		return nil
	}
	return &id
}

// prefill fills an empty form for a signed-in customer: the buyer from
// the profile, and the recipient from saved address ?address=N (1-based)
// when chosen. It returns the saved addresses to offer.
func (h *Handlers) prefill(r *http.Request, f *Form) []order.Address {
	if h.Customers == nil {
		return nil
	}
	_, email, own, saved, ok := h.Customers.Buyer(r)
	if !ok {
		return nil
	}
	f.Email, f.Email2 = email, email
	setAddress(own, &f.FamilyName, &f.GivenName, &f.FamilyKana, &f.GivenKana, &f.Phone, &f.PostalCode, &f.Pref, &f.City, &f.Address1, &f.Address2)
	if n, err := strconv.Atoi(r.URL.Query().Get("address")); err == nil && n >= 1 && n <= len(saved) {
		f.ShipOther = true
		setAddress(saved[n-1], &f.SFamilyName, &f.SGivenName, &f.SFamilyKana, &f.SGivenKana, &f.SPhone, &f.SPostalCode, &f.SPref, &f.SCity, &f.SAddress1, &f.SAddress2)
	}
	return saved
}

func setAddress(a order.Address, fam, giv, fk, gk, phone, postal, pref, city, a1, a2 *string) {
	*fam, *giv, *fk, *gk, *phone, *postal, *city, *a1, *a2 = a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana, a.Phone, a.PostalCode, a.City, a.Address1, a.Address2
	if a.Pref > 0 {
		*pref = strconv.Itoa(a.Pref)
	}
}
