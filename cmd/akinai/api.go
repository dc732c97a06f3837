package main

import (
	"net/http"
	"net/netip"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/api"
	"github.com/akinai/akinai/internal/web"
	"github.com/akinai/akinai/internal/webhook"
)

// apiRoutes mounts the Admin API on /api/v1/ and its token screens, and
// the webhook screens and delivery worker (both under セキュリティ, owner
// area: a token or a webhook hands shop data to another system).
func (a *shopApp) apiRoutes(mux *http.ServeMux) error {
	h := api.New(api.Config{
		DB: a.db, Log: a.log,
		ClientIP: func(r *http.Request) netip.Addr {
			if ip := web.Info(r).ClientIP; ip.IsValid() {
				return ip
			}
			return web.SocketIP(r)
		},
		CatalogChanged: a.catalog.Invalidate,
	})
	mux.Handle(api.Prefix, h)
	a.api = h
	a.workers = append(a.workers, h.Worker, (&webhook.Worker{DB: a.db, Log: a.log}).Run)
	if a.admin == nil {
		return nil
	}
	sec := a.admin.Section(admin.AreaSecurity)
	if err := (&api.Admin{DB: a.db, Shell: sec, API: h}).Mount(a.render, mux); err != nil {
		return err
	}
	if err := (&webhook.Admin{DB: a.db, Shell: sec}).Mount(a.render, mux); err != nil {
		return err
	}
	a.admin.AddNav("admin_nav.group.security", admin.NavItem{Area: admin.AreaSecurity, Path: api.AdminPath, Label: "api.nav"})
	a.admin.AddNav("admin_nav.group.security", admin.NavItem{Area: admin.AreaSecurity, Path: webhook.AdminPath, Label: "webhook.nav"})
	return nil
}
