package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/gate"
	"github.com/akinai/akinai/internal/shop"
)

// gate puts the storefront behind the owner's block list and, when it is
// on, the members-only mode.
func (a *shopApp) gate(next http.Handler) http.Handler {
	g := &gate.Gate{Settings: a.settings, Render: a.render}
	if a.admin != nil {
		g.AdminBase = a.admin.Base()
	}
	g.Customer = func(w http.ResponseWriter, r *http.Request) (bool, error) {
		if a.customer == nil {
			return false, nil
		}
		c, err := a.customer.Current(w, r)
		if shop.KindOf(err) == shop.Unauthorized {
			return false, nil // nobody signed in, or a remember token that no longer holds
		}
		return c != nil, err
	}
	return g.Wrap(next)
}
