package admin

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/clientip"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

type securityPage struct {
	PasskeysOnly bool
	HasPasskey   bool
	Allow, Deny  string
	ConfigAllow  []netip.Prefix
	ConfigDeny   []netip.Prefix
	Address      string
	NeedConfirm  bool
	Fields       map[string]string
	// Path is the admin path in use and Pending a stored one that applies
	// at the next start; FromConfig when the flag or env var sets it.
	Path, Pending string
	FromConfig    bool
	// WithoutPasskey lists the admins who could only enrol a passkey at
	// their next sign-in while passkeys are required shop-wide.
	WithoutPasskey string
}

// security shows the shop-wide sign-in policy and IP lists.
// GET /{admin}/security (sudo)
func (h *Handlers) security(w http.ResponseWriter, r *http.Request, c *current) error {
	rules, err := IPRules(r.Context(), h.DB)
	if err != nil {
		return err
	}
	var allow, deny []string
	for _, ru := range rules {
		if ru.Kind == "allow" {
			allow = append(allow, ru.Prefix.String())
		} else {
			deny = append(deny, ru.Prefix.String())
		}
	}
	return h.renderSecurity(w, r, c, http.StatusOK, strings.Join(allow, "\n"), strings.Join(deny, "\n"), false, nil)
}

func (h *Handlers) renderSecurity(w http.ResponseWriter, r *http.Request, c *current, status int, allow, deny string, confirm bool, fields map[string]string) error {
	only, err := h.passkeysOnly(r.Context())
	if err != nil {
		return err
	}
	pks, err := Passkeys(r.Context(), h.DB, c.admin.ID)
	if err != nil {
		return err
	}
	stored, err := h.Settings.Get(r.Context(), settings.AdminPath)
	if err != nil {
		return err
	}
	pending := ""
	if stored != "" && "/"+stored != h.base && !h.Config.PathFromConfig {
		pending = stored
	}
	var without []string
	rows, err := h.DB.Query(r.Context(), `SELECT email FROM admins WHERE NOT EXISTS (SELECT 1 FROM admin_passkeys p WHERE p.admin_id = admins.id) ORDER BY email`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return err
		}
		without = append(without, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return h.page(w, r, status, "admin_security", "admin.security.title", &securityPage{WithoutPasskey: strings.Join(without, ", "), PasskeysOnly: only, HasPasskey: len(pks) > 0, Allow: allow, Deny: deny,
		ConfigAllow: h.Config.Allow, ConfigDeny: h.Config.Deny, Address: web.Info(r).ClientIP.String(), NeedConfirm: confirm, Fields: fields,
		Path: strings.TrimPrefix(h.base, "/"), Pending: pending, FromConfig: h.Config.PathFromConfig})
}

// setPolicy turns "passkeys only" on or off. POST /{admin}/security/policy (sudo)
//
// Turning it on requires the owner to have a passkey: otherwise they
// would shut themselves out.
func (h *Handlers) setPolicy(w http.ResponseWriter, r *http.Request, c *current) error {
	on := r.PostFormValue("passkeys_only") == "1"
	if on {
		pks, err := Passkeys(r.Context(), h.DB, c.admin.ID)
		if err != nil {
			return err
		}
		if len(pks) == 0 {
			return h.renderSecurity(w, r, c, http.StatusUnprocessableEntity, r.PostFormValue("allow"), r.PostFormValue("deny"), false, map[string]string{"passkeys_only": "admin.security.need_passkey"})
		}
	}
	v := map[bool]string{true: "1", false: "0"}[on]
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := h.Settings.Set(r.Context(), tx, map[string]string{settings.AdminPasskeysOnly: v}); err != nil {
			return err
		}
		details := map[string]any{}
		if on {
			// Required from now on: sessions opened with a typed code end.
			n, err := endTypedCodeSessions(r.Context(), tx, 0, c.sess.IDHash)
			if err != nil {
				return err
			}
			details["sessions_ended"] = n
		}
		_, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, "security.passkeys_only", v, details))
		return err
	})
	if err != nil {
		return err
	}
	h.Settings.Invalidate()
	return h.flashBack(w, r, "admin.saved", "/security")
}

// setIPLists replaces the panel's allow and deny lists. Saving lists that
// would shut out the address making the request needs the "confirm" box.
// POST /{admin}/security/ip (sudo)
func (h *Handlers) setIPLists(w http.ResponseWriter, r *http.Request, c *current) error {
	allowText, denyText := r.PostFormValue("allow"), r.PostFormValue("deny")
	fields := map[string]string{}
	allow, err := clientip.ParsePrefixes(allowText)
	if err != nil {
		fields["allow"] = "admin.security.bad_list"
	}
	deny, err := clientip.ParsePrefixes(denyText)
	if err != nil {
		fields["deny"] = "admin.security.bad_list"
	}
	if len(fields) > 0 {
		return h.renderSecurity(w, r, c, http.StatusUnprocessableEntity, allowText, denyText, false, fields)
	}
	after := clientip.List{Allow: append(append([]netip.Prefix(nil), h.Config.Allow...), allow...), Deny: append(append([]netip.Prefix(nil), h.Config.Deny...), deny...)}
	if after.WouldLockOut(web.Info(r).ClientIP) && r.PostFormValue("confirm") != "1" {
		return h.renderSecurity(w, r, c, http.StatusConflict, allowText, denyText, true, map[string]string{"confirm": "admin.security.lockout"})
	}
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := ReplaceIPRules(r.Context(), tx, allow, deny); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, "security.ip_lists", "", map[string]any{"allow": prefixes(allow), "deny": prefixes(deny)}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/security")
}

func prefixes(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
