package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/orderentry"
)

// orderEntry mounts 受注登録 (orders taken by the shop) in the orders
// area, on a checkout service wired as the storefront's is (the shop
// calendar edited in the admin; no card provider: the admin takes no
// cards).
func (a *shopApp) orderEntry(h *admin.Handlers, mux *http.ServeMux) error {
	cal, err := calendar.New(nil, nil)
	if err != nil {
		return err
	}
	svc := &checkout.Service{DB: a.db, Settings: a.settings, Calendar: cal, Calendars: content.Calendars{}, Log: a.log, Rules: a.b2bService()}
	p := &orderentry.Admin{
		Service:   &orderentry.Service{DB: a.db, Checkout: svc, Carts: cart.NewStore(a.db)},
		Customers: customer.NewStore(a.db, a.cfg.BaseURL),
		Shell:     h.Section(admin.AreaOrders),
	}
	return p.Mount(a.render, mux)
}
