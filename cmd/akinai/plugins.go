package main

import (
	"context"
	"html/template"
	"net/http"

	"github.com/tetratelabs/wazero"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/web"
)

// pluginSet returns the shop's plugin set, made on first use: one wazero
// host per process (each module compiled once, kept in its compilation
// cache), the enabled set read from the database every few seconds, and
// the order.placed worker. The Admin API handler is given to the host
// (Host.API) where the API is wired; until then api_call answers an
// error to the plugin.
func (a *shopApp) pluginSet(ctx context.Context) (*plugin.Plugins, error) {
	if a.plugins != nil {
		return a.plugins, nil
	}
	h, err := plugin.NewHost(ctx, plugin.DefaultLimits, wazero.NewCompilationCache())
	if err != nil {
		return nil, err
	}
	h.Log = a.log
	a.plugins = plugin.New(a.db, h, a.log)
	a.workers = append(a.workers, (&plugin.Worker{Plugins: a.plugins}).Run)
	return a.plugins, nil
}

// pluginBlocks adds the plugins' storefront blocks to the top page's
// other blocks.
func (a *shopApp) pluginBlocks(ctx context.Context, others func(context.Context, i18n.Lang) (template.HTML, error)) (func(context.Context, i18n.Lang) (template.HTML, error), error) {
	ps, err := a.pluginSet(ctx)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, lang i18n.Lang) (template.HTML, error) {
		var out template.HTML
		if others != nil {
			var err error
			if out, err = others(ctx, lang); err != nil {
				return "", err
			}
		}
		for _, b := range ps.Blocks(ctx, a.db, string(lang)) {
			out += `<section class="plugin-block">` + b + `</section>`
		}
		return out, nil
	}, nil
}

// pluginAdmin mounts the plugin screens (internal/plugin) under their own
// sidebar group プラグイン: the plugins in the settings area, the trusted
// publisher keys in the security area (the owner's alone), and the
// dashboard card that tells the owner when a plugin was stopped.
func (a *shopApp) pluginAdmin(ctx context.Context, h *admin.Handlers, mux *http.ServeMux) error {
	ps, err := a.pluginSet(ctx)
	if err != nil {
		return err
	}
	pa := &plugin.Admin{DB: a.db, Host: ps.Host, Plugins: ps, Shell: h.Section(admin.AreaSettings), Keys: h.Section(admin.AreaSecurity)}
	if err := pa.Mount(a.render, mux); err != nil {
		return err
	}
	for _, it := range []admin.NavItem{
		{Area: admin.AreaSettings, Path: plugin.Path, Label: "plugins.nav.plugins"},
		{Area: admin.AreaSettings, Path: plugin.Path + "/catalogue", Label: "plugins.nav.catalogue"},
		{Area: admin.AreaSecurity, Path: plugin.Path + "/keys", Label: "plugins.nav.keys"},
	} {
		h.AddNav("plugins.nav.group", it)
	}
	h.AddCard(func(r *http.Request) (*admin.Card, error) {
		st, err := plugin.HealthOf(r.Context(), a.db)
		if err != nil || st.Enabled+st.Stopped == 0 {
			return nil, err
		}
		c := &admin.Card{ID: "plugin-status", Title: web.T(r, "plugins.card.title"), State: "ok",
			Headline: web.T(r, "plugins.card.ok", st.Enabled), Link: "@" + plugin.Path, LinkText: web.T(r, "plugins.card.link")}
		if st.Failing > 0 {
			c.State, c.Lines = "warn", append(c.Lines, web.T(r, "plugins.card.failing", st.Failing))
		}
		if st.Stopped > 0 {
			c.State, c.Headline = "bad", web.T(r, "plugins.card.stopped", st.Stopped)
		}
		return c, nil
	})
	others, upload, catalogue := a.bodyLimit, h.Base()+plugin.Path+"/upload", h.Base()+plugin.Path+"/catalogue"
	a.bodyLimit = func(r *http.Request) int64 {
		if r.Method == http.MethodPost && r.URL.Path == upload {
			return plugin.MaxUploadBytes
		}
		if r.Method == http.MethodPost && r.URL.Path == catalogue {
			return plugin.MaxIndexBytes + 64<<10
		}
		if others != nil {
			return others(r)
		}
		return 0
	}
	return nil
}
