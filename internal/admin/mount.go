package admin

import (
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/web"
)

// Mount registers another area's admin page under the secret path, behind
// the same guard as the admin's own pages: IP lists, a signed-in session,
// Permissions[area] ≥ need (403 and an audit entry otherwise) and, with
// sudo, a recent re-authentication. pattern is relative to the admin path:
// "GET /products" or "POST /orders/{id}/ship".
func (h *Handlers) Mount(mux *http.ServeMux, pattern string, area Area, need Access, sudo bool, fn web.HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	} else {
		method += " "
	}
	wrap := h.panel
	if sudo {
		wrap = h.sudo
	}
	h.patterns = append(h.patterns, method+h.base+path)
	mux.Handle(method+h.base+path, wrap(area, need, func(w http.ResponseWriter, r *http.Request, c *current) error {
		return fn(w, r)
	}))
}

// Current returns the signed-in admin of a request served through Mount
// (nil outside the admin).
func Current(r *http.Request) *Admin {
	if c := cur(r); c != nil {
		return c.admin
	}
	return nil
}

// AuditEntry is the audit entry for an admin write made in r: who (the
// signed-in admin), from where, what. Append it in the transaction of the
// write: audit.Append(ctx, tx, admin.AuditEntry(r, "product.updated", slug, nil)).
func AuditEntry(r *http.Request, action, target string, details map[string]any) audit.Entry {
	e := audit.Entry{Action: action, Target: target, Address: web.Info(r).ClientIP.String(), UserAgent: r.UserAgent(), Details: details}
	if a := Current(r); a != nil {
		e.ActorID, e.Actor = a.ID, a.Email
	}
	return e
}

// Page renders another area's page in the admin layout.
func (h *Handlers) Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error {
	return h.page(w, r, status, name, titleKey, data)
}
