package content

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

// Maintenance puts the storefront behind the maintenance page while the
// owner has switched it on.
type Maintenance struct {
	Settings *settings.Store
	Render   *web.Renderer
	// AdminBase is the admin's path ("/admin-…"): always reachable.
	AdminBase string
	// SignedIn reports whether r carries a live admin session, checked on
	// the server: signed-in admins browse the storefront as usual. A
	// cookie by any other name, or a forged session token, does nothing.
	SignedIn func(r *http.Request) bool
}

// DefaultRetryMinutes is the Retry-After when the owner set none.
const DefaultRetryMinutes = 60

// On reports whether maintenance mode is on.
func (m *Maintenance) On(r *http.Request) bool {
	v, err := m.Settings.Get(r.Context(), MaintenanceOn)
	// If the settings cannot be read the storefront's own handlers fail
	// with a proper error; maintenance does not guess.
	return err == nil && v == "1"
}

// passes reports whether path stays reachable in maintenance: the admin,
// the health checks and static assets.
func (m *Maintenance) passes(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/favicon.ico" || strings.HasPrefix(path, "/static/") ||
		strings.HasPrefix(path, "/api/v1/") || // the Admin API: its own tokens, like the admin
		(m.AdminBase != "" && (path == m.AdminBase || strings.HasPrefix(path, m.AdminBase+"/")))
}

// Wrap serves next, or the maintenance page (503, Retry-After, the shop's
// layout, in the visitor's language) while maintenance is on.
func (m *Maintenance) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m.passes(r.URL.Path) || !m.On(r) || (m.SignedIn != nil && m.SignedIn(r)) {
			next.ServeHTTP(w, r)
			return
		}
		all, err := m.Settings.All(r.Context())
		if err != nil {
			m.Render.Error(w, r, err)
			return
		}
		mins, err := strconv.Atoi(all[MaintenanceRetry])
		if err != nil || mins <= 0 {
			mins = DefaultRetryMinutes
		}
		note := all[MaintenanceNote]
		if web.Lang(r) == i18n.English && all[MaintenanceNoteEN] != "" {
			note = all[MaintenanceNoteEN]
		}
		w.Header().Set("Retry-After", strconv.Itoa(mins*60))
		w.Header().Set("Cache-Control", "no-store")
		err = m.Render.Render(w, r, http.StatusServiceUnavailable, "content_maintenance", &web.Page{
			Title: web.T(r, "content.maintenance.title"), NoIndex: true, Data: note})
		if err != nil {
			m.Render.Error(w, r, err)
		}
	})
}
