package admin

import (
	"context"
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
		ended := int64(0)
		if !allow {
			var err error
			if ended, err = endTypedCodeSessions(ctx, tx, c.admin.ID, c.sess.IDHash); err != nil {
				return err
			}
		}
		if _, err := audit.Append(ctx, tx, h.entry(r, c.admin, "security.typed_codes", c.admin.Email, map[string]any{"allowed": allow, "sessions_ended": ended})); err != nil {
			return err
		}
		return h.alertChange(ctx, tx, r, c.admin, what)
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/account")
}

// endTypedCodeSessions ends the sessions that a typed code opened (all
// admins' when adminID is 0), except the one making the change: when
// passkeys-only applies again, a session a relay may hold ends with it.
func endTypedCodeSessions(ctx context.Context, tx *db.Tx, adminID int64, keep string) (int64, error) {
	q := `DELETE FROM admin_sessions WHERE factor IN ('totp', 'recovery') AND id_hash <> ?`
	args := []any{keep}
	if adminID != 0 {
		q += ` AND admin_id = ?`
		args = append(args, adminID)
	}
	return db.RowsAffected(tx.Exec(ctx, q, args...))
}
