package admin

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

// sudoPasskeyBegin starts confirming with a passkey instead of the
// password. POST /{admin}/passkey/sudo/begin
func (h *Handlers) sudoPasskeyBegin(w http.ResponseWriter, r *http.Request, c *current) error {
	if !jsonOnly(w, r) {
		return nil
	}
	var in struct{ Next string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": web.T(r, "admin.json.malformed")})
		return nil
	}
	u, err := loadWAUser(r.Context(), h.DB, c.admin)
	if err != nil {
		return err
	}
	if len(u.creds) == 0 {
		writeJSON(w, http.StatusConflict, map[string]any{"error": web.T(r, "admin.passkey.none")})
		return nil
	}
	opts, sd, err := h.webauthn.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return err
	}
	if err := h.saveCeremony(r.Context(), w, r, "sudo", c.admin.ID, ceremony{Session: *sd, Name: h.safeNext(in.Next)}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, opts)
	return nil
}

// sudoPasskeyFinish opens sudo mode on a verified assertion.
// POST /{admin}/passkey/sudo/finish
func (h *Handlers) sudoPasskeyFinish(w http.ResponseWriter, r *http.Request, c *current) error {
	if !jsonOnly(w, r) {
		return nil
	}
	ctx := r.Context()
	cer, adminID, err := h.takeCeremony(ctx, w, r, "sudo")
	if err != nil {
		return err
	}
	if cer == nil || adminID != c.admin.ID {
		return h.ceremonyFailed(w, r, c.admin, "sudo.passkey_failure", errors.New("no pending ceremony for this admin"))
	}
	u, err := loadWAUser(ctx, h.DB, c.admin)
	if err != nil {
		return err
	}
	cred, err := h.webauthn.FinishLogin(u, cer.Session, r)
	if err != nil {
		return h.ceremonyFailed(w, r, c.admin, "sudo.passkey_failure", err)
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := touchPasskey(ctx, tx, cred); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE admin_sessions SET sudo_until = ? WHERE id_hash = ?`, tx.Now().Add(sudoFor), c.sess.IDHash); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, h.entry(r, c.admin, "sudo.confirmed", c.admin.Email, map[string]any{"factor": "passkey"}))
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"redirect": cer.Name})
	return nil
}
