package admin

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

type accountPage struct {
	Admin        *Admin
	Passkeys     []Passkey
	RecoveryLeft int
	PasskeysOnly bool // typed codes do not sign this admin in
	ShopWide     bool // because the owner requires passkeys
	Sudo         bool // sudo mode is open: the opt-out form can be sent
	Fields       map[string]string
}

// account is the admin's own security page. GET /{admin}/account
func (h *Handlers) account(w http.ResponseWriter, r *http.Request, c *current) error {
	return h.renderAccount(w, r, c, http.StatusOK, nil)
}

func (h *Handlers) renderAccount(w http.ResponseWriter, r *http.Request, c *current, status int, fields map[string]string) error {
	ctx := r.Context()
	pks, err := Passkeys(ctx, h.DB, c.admin.ID)
	if err != nil {
		return err
	}
	left, err := recoveryCodesLeft(ctx, h.DB, c.admin.ID)
	if err != nil {
		return err
	}
	p, err := h.policyFor(ctx, h.DB, c.admin)
	if err != nil {
		return err
	}
	return h.page(w, r, status, "admin_account", "admin.account.title", &accountPage{Admin: c.admin, Passkeys: pks, RecoveryLeft: left,
		PasskeysOnly: p.PasskeysOnly || p.ShopWide, ShopWide: p.ShopWide, Sudo: h.DB.Now().Before(c.sess.SudoUntil), Fields: fields})
}

// changePassword sets a new password after checking the current one, and
// signs out the admin's other sessions. POST /{admin}/account/password
func (h *Handlers) changePassword(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	cur, next := r.PostFormValue("current"), r.PostFormValue("password")
	if ok, _, err := auth.CheckPassword(c.admin.PasswordHash, cur); err != nil || !ok {
		h.audit(r, c.admin, "password.change_refused", c.admin.Email, nil)
		return h.renderAccount(w, r, c, http.StatusUnprocessableEntity, map[string]string{"current": "admin.field.current_password"})
	}
	if next != r.PostFormValue("password2") {
		return h.renderAccount(w, r, c, http.StatusUnprocessableEntity, map[string]string{"password2": "admin.field.password_mismatch"})
	}
	if err := auth.ValidateNewPassword(next, c.admin.Email, c.admin.Name); err != nil {
		return h.renderAccount(w, r, c, http.StatusUnprocessableEntity, map[string]string{"password": passwordKey(err)})
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := setPassword(ctx, tx, c.admin.ID, hash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM admin_sessions WHERE admin_id = ? AND id_hash <> ?`, c.admin.ID, c.sess.IDHash); err != nil {
			return err
		}
		if _, err := audit.Append(ctx, tx, h.entry(r, c.admin, "password.changed", c.admin.Email, nil)); err != nil {
			return err
		}
		return h.alertChange(ctx, tx, r, c.admin, "admin.change.password")
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.password.changed", "/account")
}

// setAntiPhishing saves the phrase shown at the top of every admin mail.
// POST /{admin}/account/anti-phishing
func (h *Handlers) setAntiPhishing(w http.ResponseWriter, r *http.Request, c *current) error {
	code := strings.TrimSpace(r.PostFormValue("code"))
	if utf8.RuneCountInString(code) > 40 || strings.ContainsAny(code, "\r\n") {
		return h.renderAccount(w, r, c, http.StatusUnprocessableEntity, map[string]string{"code": "admin.field.anti_phishing"})
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if _, err := tx.Exec(r.Context(), `UPDATE admins SET anti_phishing = ?, updated_at = ? WHERE id = ?`, code, tx.Now(), c.admin.ID); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, "anti_phishing.changed", c.admin.Email, nil))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/account")
}

// deletePasskey removes one of the admin's passkeys, unless it is their
// last factor. POST /{admin}/account/passkeys/{id}/delete (sudo)
func (h *Handlers) deletePasskey(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	n, err := h.factorCount(ctx, c.admin)
	if err != nil {
		return err
	}
	if n <= 1 {
		return &shop.Error{Kind: shop.Conflict, Key: "admin.factor.last"}
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		ok, err := deletePasskey(ctx, tx, c.admin.ID, id)
		if err != nil || !ok {
			if err == nil {
				err = shop.ErrNotFound
			}
			return err
		}
		if _, err := audit.Append(ctx, tx, h.entry(r, c.admin, "factor.passkey_removed", c.admin.Email, map[string]any{"passkey": id})); err != nil {
			return err
		}
		return h.alertChange(ctx, tx, r, c.admin, "admin.change.passkey_removed")
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/account")
}

// deleteTOTP removes the authenticator app, unless it is the last factor.
// POST /{admin}/account/totp/delete (sudo)
func (h *Handlers) deleteTOTP(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	n, err := h.factorCount(ctx, c.admin)
	if err != nil {
		return err
	}
	if n <= 1 || !c.admin.HasTOTP() {
		return &shop.Error{Kind: shop.Conflict, Key: "admin.factor.last"}
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := h.setTOTP(ctx, tx, c.admin.ID, "", 0); err != nil {
			return err
		}
		if _, err := audit.Append(ctx, tx, h.entry(r, c.admin, "factor.totp_removed", c.admin.Email, nil)); err != nil {
			return err
		}
		return h.alertChange(ctx, tx, r, c.admin, "admin.change.totp_removed")
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/account")
}

type recoveryPage struct {
	First bool
	Codes []string
	Left  int
}

// recoveryPage offers new recovery codes. GET /{admin}/account/recovery
func (h *Handlers) recoveryPage(w http.ResponseWriter, r *http.Request, c *current) error {
	left, err := recoveryCodesLeft(r.Context(), h.DB, c.admin.ID)
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_recovery", "admin.recovery.title", &recoveryPage{First: r.URL.Query().Get("first") == "1", Left: left})
}

// recoveryNew replaces the recovery codes and shows the new ones, once.
// POST /{admin}/account/recovery (sudo)
func (h *Handlers) recoveryNew(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	var codes []string
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if codes, err = replaceRecoveryCodes(ctx, tx, c.admin.ID); err != nil {
			return err
		}
		if _, err := audit.Append(ctx, tx, h.entry(r, c.admin, "factor.recovery_codes_renewed", c.admin.Email, nil)); err != nil {
			return err
		}
		return h.alertChange(ctx, tx, r, c.admin, "admin.change.recovery_codes")
	})
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_recovery", "admin.recovery.title", &recoveryPage{Codes: codes, Left: len(codes)})
}

type sessionsPage struct {
	Sessions []*Session
	Current  string
}

// sessions lists the admin's sessions. GET /{admin}/account/sessions
func (h *Handlers) sessions(w http.ResponseWriter, r *http.Request, c *current) error {
	ss, err := Sessions(r.Context(), h.DB, c.admin.ID, h.DB.Now())
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_sessions", "admin.sessions.title", &sessionsPage{Sessions: ss, Current: c.sess.IDHash})
}

// endSessions signs out one session ("id") or all others ("others").
// POST /{admin}/account/sessions/end
func (h *Handlers) endSessions(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	id := r.PostFormValue("id")
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if id == "others" {
			_, err = tx.Exec(ctx, `DELETE FROM admin_sessions WHERE admin_id = ? AND id_hash <> ?`, c.admin.ID, c.sess.IDHash)
		} else {
			_, err = tx.Exec(ctx, `DELETE FROM admin_sessions WHERE admin_id = ? AND id_hash = ?`, c.admin.ID, id)
		}
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, h.entry(r, c.admin, "session.ended", c.admin.Email, map[string]any{"which": map[bool]string{true: "others", false: "one"}[id == "others"]}))
		return err
	})
	if err != nil {
		return err
	}
	if id == c.sess.IDHash {
		http.Redirect(w, r, h.base+"/login", http.StatusSeeOther)
		return nil
	}
	return h.flashBack(w, r, "admin.sessions.ended", "/account/sessions")
}
