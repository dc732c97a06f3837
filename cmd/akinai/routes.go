package main

import (
	"context"
	"net/http"

	"github.com/akinai/akinai/internal/checkout"
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
	if err := checkout.Mount(ctx, mux, a.db, a.settings, a.render, a.log, a.cfg.Limits, checkout.WithCustomers(customers), checkout.WithCardMaster(a.cfg.Secret), checkout.WithOrderProof(customers.OrderProof), checkout.WithPlugins(plugins)); err != nil {
		return err
	}
	if err := a.loyaltyShop(mux, customers); err != nil {
		return err
	}
	a.konbiniRoutes(mux)
	if err := a.adminRoutes(ctx, mux); err != nil {
		return err
	}
	return a.opsRoutes(mux)
}
