package admin

import (
	"net/http"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
)

// setTypedCodes turns the admin's own "only a passkey signs me in" off
// (allow=1: authenticator and recovery codes sign in again, which a
// look-alike site can relay) or back on (allow=0).
// POST /{admin}/account/typed-codes (sudo)
//
// Turning it off needs sudo, an explicit confirmation that names the cost,
// a passkey to begin with and no shop-wide requirement; it is audited and
// mailed to the account either way.
func (h *Handlers) setTypedCodes(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	allow := r.PostFormValue("allow") == "1"
	p, err := h.policyFor(ctx, h.DB, c.admin)
	if err != nil {
		return err
	}
	if allow {
		switch {
		case p.ShopWide:
			return h.renderAccount(w, r, c, http.StatusConflict, map[string]string{"typed_codes": "admin_signin.typed.shop_wide"})
		case p.Passkeys == 0:
			return h.renderAccount(w, r, c, http.StatusConflict, map[string]string{"typed_codes": "admin_signin.typed.no_passkey"})
		case r.PostFormValue("confirm") != "1":
			return h.renderAccount(w, r, c, http.StatusUnprocessableEntity, map[string]string{"typed_codes": "admin_signin.typed.confirm_needed"})
		}
	}
	if allow == c.admin.TypedCodesAllowed {
		return h.flashBack(w, r, "admin.saved", "/account")
	}
	what := map[bool]string{true: "admin_signin.change.typed_codes_allowed", false: "admin_signin.change.passkeys_only"}[allow]
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE admins SET typed_codes_allowed = ?, updated_at = ? WHERE id = ?`, allow, tx.Now(), c.admin.ID); err != nil {
			return err
		}
		if _, err := audit.Append(ctx, tx, h.entry(r, c.admin, "security.typed_codes", c.admin.Email, map[string]any{"allowed": allow})); err != nil {
			return err
		}
		return h.alertChange(ctx, tx, r, c.admin, what)
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/account")
}
