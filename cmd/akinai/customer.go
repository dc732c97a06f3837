package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/eccube"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/throttle"
)

// customerRoutes mounts registration, sign-in and My Page, and returns
// the handlers so the checkout can recognise signed-in customers.
func (a *shopApp) customerRoutes(mux *http.ServeMux) (*customer.Handlers, error) {
	limits := a.cfg.Limits
	if limits == nil { // serve called without validate (tests)
		l, err := throttle.ParseLimits(a.cfg.RateLimits, throttle.DefaultLimits())
		if err != nil {
			return nil, err
		}
		limits = l
	}
	proof, err := order.NewProof(a.cfg.Secret)
	if err != nil {
		return nil, err
	}
	store := customer.NewStore(a.db, a.cfg.BaseURL)
	// Customers imported from EC-CUBE sign in with their old password once.
	store.Legacy = &eccube.Legacy{DB: a.db, Secret: a.cfg.Secret}
	h := &customer.Handlers{
		OrderProof: proof,
		Store:      store,
		Carts:      cart.NewStore(a.db),
		Render:     a.render,
		Settings:   a.settings,
		Limits:     limits,
		Log:        a.log,
	}
	return h, h.Routes(mux)
}
