package checkout

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// Settings keys for the card provider, read per request (Cards).
const (
	// StripeKey is the older plain secret key, used only when the admin
	// has not stored a sealed one (settings.PaymentCardKeySealed).
	StripeKey = "payment.stripe_secret_key"
	StripeURL = "payment.stripe_api_url" // "" for Stripe itself
	// CardCapture is "shipment" to authorise cards at the order and
	// capture at shipment (Service.Capture), anything else to capture at
	// the order.
	CardCapture = "payment.card_capture"
)

// Mount wires the cart and the checkout on mux: the one call cmd/akinai
// makes. Cards are offered while a card secret key is set: the one the
// admin sealed with the master secret (WithCardMaster; read per request,
// so no restart is needed), else the older plain StripeKey. limits holds
// the checkout's rate limits (nil: throttle.DefaultLimits).
func Mount(ctx context.Context, mux *http.ServeMux, d *db.DB, st *settings.Store, render *web.Renderer, log *slog.Logger, limits throttle.Limits, opts ...Option) error {
	if limits == nil {
		limits = throttle.DefaultLimits()
	}
	carts := cart.NewStore(d)
	ch := &cart.Handlers{Store: carts, Settings: st, Render: render, Log: log}
	if err := ch.Routes(mux); err != nil {
		return err
	}
	// The shop calendar: closed weekdays and holidays edited in the admin,
	// read for every quote.
	cal, err := calendar.New(nil, nil)
	if err != nil {
		return err
	}
	svc := &Service{DB: d, Settings: st, Calendar: cal, Calendars: content.Calendars{}, Log: log, Cards: &Cards{Settings: st}}
	h := &Handlers{Service: svc, Carts: carts, Render: render, Limits: limits}
	for _, o := range opts {
		o(h)
	}
	ch.Customer = h.Customer // the cart page shows the member's rank discount
	return h.Routes(mux)
}

// WithCardMaster gives the checkout the master secret that opens the card
// key the admin sealed (settings.Store.CardKey).
func WithCardMaster(master []byte) Option {
	return func(h *Handlers) { h.Service.Cards.Master = master }
}

// WithOrderProof binds the completion page to the browser that placed
// the order (see order.Proof).
func WithOrderProof(p *order.Proof) Option {
	return func(h *Handlers) { h.Proof = p }
}

// WithPlugins runs the enabled plugins' checkout hooks (plugins.go).
func WithPlugins(ps *plugin.Plugins) Option {
	return func(h *Handlers) { h.Service.Plugins = ps }
}
