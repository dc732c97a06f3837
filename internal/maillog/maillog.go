// Package maillog is the admin's mail log: every mail in the outbox with
// its status, attempts and last error, filtered by order, customer,
// status or recipient; one mail as it is sent (headers and decoded body,
// shown as text); resending a copy; and the mails of an order or a
// customer on their admin pages. It reads the outbox (internal/mail) and
// writes to it only the copies it resends; the delivery worker sends them.
package maillog

import (
	"context"
	"embed"
	"html/template"
	"net/http"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed panels/*.html
var panelFS embed.FS

// Pages serves the mail log in the admin. Build it with New.
type Pages struct {
	Admin *admin.Handlers
	DB    *db.DB
	// Sender returns the shop's sender address and name as delivery uses
	// them, to show a mail's From as it leaves.
	Sender func(ctx context.Context) (from, name string, err error)

	panel *template.Template
}

// New registers the log's pages in the admin layout, its navigation entry
// and its blocks on the order and customer pages. Call Routes next.
func New(h *admin.Handlers, d *db.DB, r *web.Renderer, sender func(ctx context.Context) (string, string, error)) (*Pages, error) {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return nil, err
	}
	t, err := template.New("panel").Funcs(web.Funcs(nil)).ParseFS(panelFS, "panels/*.html")
	if err != nil {
		return nil, err
	}
	p := &Pages{Admin: h, DB: d, Sender: sender, panel: t}
	h.AddNav("admin_nav.group.settings", admin.NavItem{Area: admin.AreaMail, Path: "/mail/log", Label: "maillog.nav"})
	h.AddPanel("admin_order", p.orderPanel)
	h.AddPanel("admin_customer", p.customerPanel)
	return p, nil
}

// Routes mounts the log under the admin path: reading needs the mail
// area (owners and managers: bodies hold customers' data), resending
// writing in it.
func (p *Pages) Routes(mux *http.ServeMux) {
	h := p.Admin
	h.Mount(mux, "GET /mail/log", admin.AreaMail, admin.Read, false, p.list)
	h.Mount(mux, "GET /mail/log/{id}", admin.AreaMail, admin.Read, false, p.view)
	h.Mount(mux, "POST /mail/log/{id}/resend", admin.AreaMail, admin.Write, false, p.resend)
}
