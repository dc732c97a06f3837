package main

import (
	"context"
	"net/http"

	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/eccube"
)

// routes mounts every feature's routes on mux.
func (a *shopApp) routes(ctx context.Context, mux *http.ServeMux) error {
	if err := a.contentRoutes(mux); err != nil {
		return err
	}
	if err := a.catalogRoutes(mux); err != nil {
		return err
	}
	customers, err := a.customerRoutes(mux)
	if err != nil {
		return err
	}
	a.customer = customers
	if err := a.reviewRoutes(mux, customers); err != nil {
		return err
	}
	plugins, err := a.pluginSet(ctx)
	if err != nil {
		return err
	}
	if err := checkout.Mount(ctx, mux, a.db, a.settings, a.render, a.log, a.cfg.Limits, checkout.WithCustomers(customers), checkout.WithCardMaster(a.cfg.Secret), checkout.WithOrderProof(customers.OrderProof), a.b2bCheckout(), checkout.WithPlugins(plugins)); err != nil {
		return err
	}
	if err := a.loyaltyShop(mux, customers); err != nil {
		return err
	}
	if err := a.b2bShop(mux, customers); err != nil {
		return err
	}
	a.konbiniRoutes(mux)
	if err := a.adminRoutes(ctx, mux); err != nil {
		return err
	}
	if err := a.apiRoutes(mux); err != nil {
		return err
	}
	if err := a.opsRoutes(mux); err != nil {
		return err
	}
	// Last: the old EC-CUBE URLs are answered only where no page above is
	// (and /products/detail/{id} by the not-found fallback, shop.go).
	a.oldURLs = &eccube.Redirects{DB: a.db}
	a.oldURLs.Routes(mux)
	return nil
}
