package admin

import (
	"net/http"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/web"
)

// Section is the admin shell as a feature package sees it when it owns
// its screens (internal/order/admin_*.go): pages mounted under one area's
// permission, rendered in the admin layout, audit entries in the admin's
// name, and the flash-and-redirect that ends a form post. The feature
// package declares the interface it needs; Section satisfies it, so the
// feature never imports this package.
type Section struct {
	h    *Handlers
	area Area
}

// Section returns the shell for pages of area.
func (h *Handlers) Section(area Area) Section { return Section{h: h, area: area} }

// Read mounts a page that needs read access to the area.
func (s Section) Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc) {
	s.h.Mount(mux, pattern, s.area, Read, false, fn)
}

// Write mounts a form post that needs write access to the area.
func (s Section) Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc) {
	s.h.Mount(mux, pattern, s.area, Write, false, fn)
}

// Sudo mounts a page or form post that needs write access to the area
// and a recent re-authentication (money-like changes: a GET without it
// goes to the sudo page and back, a POST is refused).
func (s Section) Sudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc) {
	s.h.Mount(mux, pattern, s.area, Write, true, fn)
}

// Page renders a page in the admin layout.
func (s Section) Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error {
	return s.h.page(w, r, status, name, titleKey, data)
}

// Audit is the audit entry of a change made by the signed-in admin.
func (s Section) Audit(r *http.Request, action, target string, details map[string]any) audit.Entry {
	return AuditEntry(r, action, target, details)
}

// Actor returns the signed-in admin's ID and e-mail address.
func (s Section) Actor(r *http.Request) (int64, string) {
	if a := Current(r); a != nil {
		return a.ID, a.Email
	}
	return 0, ""
}

// Done ends a successful form post: a flash message and a redirect to
// path under the admin.
func (s Section) Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error {
	return s.h.flashBack(w, r, flashKey, path)
}

// Base is the admin's URL path prefix.
func (s Section) Base() string { return s.h.base }

// Permits reports whether the signed-in admin may read area (or, with
// write, change it): a screen of one area that touches another (an order
// taken by phone that registers a customer) asks before it does.
func (s Section) Permits(r *http.Request, area string, write bool) bool {
	a := Current(r)
	if a == nil {
		return false
	}
	need := Read
	if write {
		need = Write
	}
	return a.Can(Area(area), need)
}

// ReadSudo mounts a page that needs read access and a recent
// re-authentication (settings with secrets or money rules).
func (s Section) ReadSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc) {
	s.h.Mount(mux, pattern, s.area, Read, true, fn)
}

// WriteSudo mounts a form post that needs write access and a recent
// re-authentication.
func (s Section) WriteSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc) {
	s.h.Mount(mux, pattern, s.area, Write, true, fn)
}
