package main

import (
	"context"
	"github.com/akinai/akinai/internal/api"
	"net/http"

	"github.com/akinai/akinai/internal/konbini"
	"github.com/akinai/akinai/internal/magazine"
)

// konbiniRoutes mounts the payment provider's webhook, which settles
// konbini orders (its signature, not a CSRF token, authenticates it),
// and starts the sweep that cancels konbini orders past their expiry.
func (a *shopApp) konbiniRoutes(mux *http.ServeMux) {
	h := &konbini.Webhook{DB: a.db, Log: a.log, Secret: func(ctx context.Context) (string, error) {
		return konbini.WebhookSecret(ctx, a.settings, a.cfg.Secret)
	}}
	h.Routes(mux)
	a.workers = append(a.workers, (&konbini.Sweeper{DB: a.db, Log: a.log}).Run)
}

// csrfExempt reports the requests that authenticate otherwise: the
// provider's signed webhook, and the one-click unsubscribe POST (RFC 8058)
// from mailbox providers, whose signed token is its authority.
func csrfExempt(r *http.Request) bool {
	return (r.Method == http.MethodPost && r.URL.Path == konbini.WebhookPath) || magazine.OneClick(r) || api.Match(r)
}
