package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/throttle"
)

// contentRoutes mounts the contact form, the news pages and feed.
func (a *shopApp) contentRoutes(mux *http.ServeMux) error {
	limits := a.cfg.Limits
	if limits == nil {
		limits = throttle.DefaultLimits()
	}
	h, err := content.NewHandlers(a.db, a.settings, a.render, limits, a.cfg.BaseURL, a.log)
	if err != nil {
		return err
	}
	h.Routes(mux)
	a.content = h
	return nil
}

// maintenance puts next behind the maintenance page while the owner has
// switched it on; signed-in admins, the admin path, the health checks and
// static assets pass.
func (a *shopApp) maintenance(next http.Handler) http.Handler {
	m := &content.Maintenance{Settings: a.settings, Render: a.render}
	if a.admin != nil {
		m.AdminBase, m.SignedIn = a.admin.Base(), a.admin.SignedIn
	}
	return m.Wrap(next)
}
