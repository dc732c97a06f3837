package admin

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
)

var pathRE = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// guessable are paths scanners try first; a secret path must not be one.
var guessable = []string{"administrator", "admin_panel", "adminpanel", "wp-admin", "wp-login", "dashboard", "backoffice", "management", "controlpanel"}

// ValidPath reports whether s can be the secret admin path: 8–64 letters,
// digits, "-" or "_", and not a name scanners try.
func ValidPath(s string) bool {
	if !pathRE.MatchString(s) {
		return false
	}
	for _, g := range guessable {
		if strings.EqualFold(s, g) {
			return false
		}
	}
	return true
}

// setAdminPath stores a new secret admin path. Routes are laid out at
// start, so the new path applies from the next start of every instance;
// until then the current one keeps working. A path set with --admin-path /
// AKINAI_ADMIN_PATH wins over the stored one, and the page says so. The
// path itself is kept out of the audit entry: the log is exported as CSV.
// POST /{admin}/security/path (sudo)
func (h *Handlers) setAdminPath(w http.ResponseWriter, r *http.Request, c *current) error {
	p := strings.TrimSpace(r.PostFormValue("path"))
	if h.Config.PathFromConfig {
		return h.renderSecurity(w, r, c, http.StatusConflict, "", "", false, map[string]string{"path": "admin.security.path_env"})
	}
	if !ValidPath(p) || "/"+p == h.base {
		return h.renderSecurity(w, r, c, http.StatusUnprocessableEntity, "", "", false, map[string]string{"path": "admin.security.path_bad"})
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := h.Settings.Set(r.Context(), tx, map[string]string{settings.AdminPath: p}); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, "security.admin_path", "", nil))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.security.path_saved", "/security")
}
