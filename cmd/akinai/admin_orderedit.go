package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/orderedit"
	"github.com/akinai/akinai/internal/refund"
)

// orderEdit mounts 受注編集 and the returns/refunds screen in the orders
// area, and starts the worker that sends card refunds to the provider
// with the card key the admin stored (read per batch, as the capture
// worker does).
func (a *shopApp) orderEdit(h *admin.Handlers, mux *http.ServeMux) error {
	w := &refund.Worker{DB: a.db, Log: a.log, Cards: &checkout.Cards{Settings: a.settings, Master: a.cfg.Secret}}
	a.workers = append(a.workers, w.Run)
	e := &orderedit.Admin{DB: a.db, Settings: a.settings, Shell: h.Section(admin.AreaOrders), Refunds: w}
	if err := e.Mount(a.render, mux); err != nil {
		return err
	}
	r := &refund.Admin{DB: a.db, Settings: a.settings, Shell: h.Section(admin.AreaOrders), Worker: w, Font: a.cfg.InvoiceFont}
	return r.Mount(a.render, mux)
}
