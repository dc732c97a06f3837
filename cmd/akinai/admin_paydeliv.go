package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/payment"
)

// payDeliveryAdmin mounts the payment-method screens the payment
// package owns and the delivery-method screens the delivery package
// owns, in the admin's settings area.
func (a *shopApp) payDeliveryAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	p, err := payment.NewAdmin(a.db, a.render, h.Section(admin.AreaSettings))
	if err != nil {
		return err
	}
	p.Routes(mux)
	d, err := delivery.NewAdmin(a.db, a.settings, a.render, h.Section(admin.AreaSettings))
	if err != nil {
		return err
	}
	d.Routes(mux)
	return nil
}
