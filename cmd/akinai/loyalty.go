package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/points"
)

// loyaltyShop mounts what customers see of points (the balance slot of
// My Page and the cart, the ledger page) and starts the points worker
// (grants at the chosen status, take-backs on cancellation and return,
// expiry).
func (a *shopApp) loyaltyShop(mux *http.ServeMux, customers *customer.Handlers) error {
	s := &points.Storefront{DB: a.db, Settings: a.settings.All, Render: a.render, Customer: customers.CustomerID}
	if err := s.Mount(mux); err != nil {
		return err
	}
	a.workers = append(a.workers, (&points.Worker{DB: a.db, Settings: a.settings.All, Log: a.log}).Run)
	return nil
}

// loyaltyAdmin mounts the coupon screens and the point settings (販促),
// and the points card of the customer page.
func (a *shopApp) loyaltyAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	if err := (&coupon.Admin{DB: a.db, Shell: h.Section(admin.AreaSettings)}).Mount(a.render, mux); err != nil {
		return err
	}
	pa := &points.Admin{DB: a.db, Settings: a.settings, Shell: h.Section(admin.AreaSettings), Customers: h.Section(admin.AreaCustomers)}
	if err := pa.Mount(a.render, mux); err != nil {
		return err
	}
	h.AddNav("loyalty.nav.group", admin.NavItem{Area: admin.AreaSettings, Path: "/coupons", Label: "coupon.nav"})
	h.AddNav("loyalty.nav.group", admin.NavItem{Area: admin.AreaSettings, Path: "/points/settings", Label: "points.nav"})
	h.AddPanel("admin_customer", pa.Panel)
	return nil
}
