package admin

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// maxCeremonyBody bounds a WebAuthn response: real ones are a few KiB.
const maxCeremonyBody = 64 << 10

// ceremony is the server-side state of one WebAuthn ceremony. The browser
// holds only a random ID for it (a short-lived cookie), so a client can
// neither read nor choose its challenge.
type ceremony struct {
	Session webauthn.SessionData `json:"session"`
	Name    string               `json:"name,omitempty"`
}

func (h *Handlers) saveCeremony(ctx context.Context, w http.ResponseWriter, r *http.Request, kind string, adminID int64, c ceremony) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tok := auth.NewToken()
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if old := web.Cookie(r, ceremonyCookie); old != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM admin_ceremonies WHERE id_hash = ?`, auth.HashToken(old)); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM admin_ceremonies WHERE expires_at < ?`, tx.Now()); err != nil {
			return err
		}
		var id any
		if adminID != 0 {
			id = adminID
		}
		_, err := tx.Exec(ctx, `INSERT INTO admin_ceremonies (id_hash, kind, admin_id, data, expires_at) VALUES (?, ?, ?, ?, ?)`,
			auth.HashToken(tok), kind, id, string(data), tx.Now().Add(ceremonyFor))
		return err
	})
	if err != nil {
		return err
	}
	web.SetCookie(w, r, ceremonyCookie, tok, ceremonyFor, http.SameSiteStrictMode)
	return nil
}

// takeCeremony returns and deletes the request's ceremony of kind: each
// challenge can be answered once.
func (h *Handlers) takeCeremony(ctx context.Context, w http.ResponseWriter, r *http.Request, kind string) (*ceremony, int64, error) {
	tok := web.Cookie(r, ceremonyCookie)
	if tok == "" {
		return nil, 0, nil
	}
	web.SetCookie(w, r, ceremonyCookie, "", -1, http.SameSiteStrictMode)
	var k, data string
	var adminID sql.NullInt64
	var expires time.Time
	// A write: through a transaction, never the (read-only on SQLite) reader pool.
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM admin_ceremonies WHERE id_hash = ? RETURNING kind, admin_id, data, expires_at`, auth.HashToken(tok)).Scan(&k, &adminID, &data, &expires)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if k != kind || !h.DB.Now().Before(expires) {
		return nil, 0, nil
	}
	var c ceremony
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, 0, err
	}
	return &c, adminID.Int64, nil
}

// jsonOnly refuses a ceremony request that is not a JSON body of sane
// size, with 415 or 413 and a message in the admin's language.
func jsonOnly(w http.ResponseWriter, r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]any{"error": web.T(r, "admin.json.content_type")})
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCeremonyBody)
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// ceremonyFailed answers a failed ceremony: 400 (or 413) with a localised
// message; the cause goes to the audit log, never to the client.
func (h *Handlers) ceremonyFailed(w http.ResponseWriter, r *http.Request, a *Admin, action string, cause error) error {
	details := map[string]any{"origin": r.Header.Get("Origin")}
	if cause != nil {
		details["error"] = cause.Error()
		var pe *protocol.Error
		if errors.As(cause, &pe) && pe.DevInfo != "" {
			details["info"] = pe.DevInfo
		}
	}
	target := ""
	if a != nil {
		target = a.Email
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if _, _, err := throttle.Fail(r.Context(), tx, h.Config.SignIn, bucketAddress, web.Info(r).ClientIP.String()); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, h.entry(r, a, action, target, details))
		return err
	})
	if err != nil {
		return err
	}
	status := http.StatusBadRequest
	var tooLarge *http.MaxBytesError
	if errors.As(cause, &tooLarge) {
		status = http.StatusRequestEntityTooLarge
	}
	writeJSON(w, status, map[string]any{"error": web.T(r, "admin.passkey.failed")})
	return nil
}

// passkeyLoginBegin starts a passkey sign-in. POST /{admin}/passkey/login/begin
//
// After the password step it asks for one of that admin's passkeys; with
// no session it starts a passwordless sign-in with a discoverable passkey.
// User verification (PIN, fingerprint) is required either way.
func (h *Handlers) passkeyLoginBegin(w http.ResponseWriter, r *http.Request) error {
	if !jsonOnly(w, r) {
		return nil
	}
	ctx := r.Context()
	s, a, err := h.session(ctx, r)
	if err != nil {
		return err
	}
	uv := webauthn.WithUserVerification(protocol.VerificationRequired)
	var opts *protocol.CredentialAssertion
	var sd *webauthn.SessionData
	var adminID int64
	if s != nil && s.Stage == stageMFA {
		u, err := loadWAUser(ctx, h.DB, a)
		if err != nil {
			return err
		}
		if len(u.creds) == 0 {
			writeJSON(w, http.StatusConflict, map[string]any{"error": web.T(r, "admin.passkey.none")})
			return nil
		}
		opts, sd, err = h.webauthn.BeginLogin(u, uv)
		adminID = a.ID
	} else {
		opts, sd, err = h.webauthn.BeginDiscoverableLogin(uv)
	}
	if err != nil {
		return err
	}
	if err := h.saveCeremony(ctx, w, r, "login", adminID, ceremony{Session: *sd}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, opts)
	return nil
}

// passkeyLoginFinish verifies the assertion. POST /{admin}/passkey/login/finish
//
// The library checks the challenge, that clientDataJSON names exactly the
// shop's origin and that the authenticator signed for the shop's RP ID: a
// look-alike domain relaying the page gets an assertion for neither.
func (h *Handlers) passkeyLoginFinish(w http.ResponseWriter, r *http.Request) error {
	if !jsonOnly(w, r) {
		return nil
	}
	ctx := r.Context()
	// A passkey sign-in works during a password lock-out: an assertion
	// cannot be guessed, so the address's failures do not block it. While
	// the address is blocked, failed ceremonies reach the audit log only
	// at its flood-limited rate.
	wait, err := throttle.Blocked(ctx, h.DB, h.DB.Now(), bucketAddress, web.Info(r).ClientIP.String())
	if err != nil {
		return err
	}
	failed := func(a *Admin, cause error) error {
		if wait > 0 {
			h.auditLimited(r, a, "signin.passkey.failure", "", map[string]any{"origin": r.Header.Get("Origin"), "error": cause.Error(), "blocked": true})
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": web.T(r, "admin.passkey.failed")})
			return nil
		}
		return h.ceremonyFailed(w, r, a, "signin.passkey.failure", cause)
	}
	c, adminID, err := h.takeCeremony(ctx, w, r, "login")
	if err != nil {
		return err
	}
	if c == nil {
		return failed(nil, errors.New("no pending ceremony (expired, used or never started)"))
	}
	var a *Admin
	var cred *webauthn.Credential
	if adminID != 0 {
		s, sa, err := h.session(ctx, r)
		if err != nil {
			return err
		}
		if s == nil || s.Stage != stageMFA || sa.ID != adminID {
			return failed(nil, errors.New("session does not match the ceremony"))
		}
		a = sa
		u, err := loadWAUser(ctx, h.DB, a)
		if err != nil {
			return err
		}
		cred, err = h.webauthn.FinishLogin(u, c.Session, r)
		if err != nil {
			return failed(a, err)
		}
	} else {
		var u webauthn.User
		u, cred, err = h.webauthn.FinishPasskeyLogin(func(rawID, userHandle []byte) (webauthn.User, error) {
			a, err := adminByWebAuthnID(ctx, h.DB, userHandle)
			if err != nil {
				return nil, err
			}
			return loadWAUser(ctx, h.DB, a)
		}, c.Session, r)
		if err != nil {
			return failed(nil, err)
		}
		a = u.(*waUser).a
	}
	if a.Status != "active" {
		return failed(a, errors.New("account disabled"))
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := touchPasskey(ctx, tx, cred); err != nil {
			return err
		}
		// The account's password counter is left alone: the guesser
		// stays throttled while the owner is in.
		return h.signedInWith(ctx, tx, w, r, a, "passkey")
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"redirect": h.base + "/"})
	return nil
}

// passkeyReport records a ceremony the browser refused (the page is on
// the wrong origin, the user cancelled). POST /{admin}/passkey/report
func (h *Handlers) passkeyReport(w http.ResponseWriter, r *http.Request) error {
	if !jsonOnly(w, r) {
		return nil
	}
	var in struct{ Name, Message, Step string }
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": web.T(r, "admin.json.malformed")})
		return nil
	}
	h.auditLimited(r, nil, "signin.passkey.client_error", clip(in.Step, 20), map[string]any{"name": clip(in.Name, 40), "message": clip(in.Message, 200), "origin": r.Header.Get("Origin"), "host": r.Host})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// passkeyRegisterBegin starts adding a passkey. POST /{admin}/passkey/register/begin
func (h *Handlers) passkeyRegisterBegin(w http.ResponseWriter, r *http.Request, c *current) error {
	if !jsonOnly(w, r) {
		return nil
	}
	var in struct{ Name string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": web.T(r, "admin.json.malformed")})
		return nil
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": web.T(r, "admin.passkey.name_invalid"), "field": "name"})
		return nil
	}
	u, err := loadWAUser(r.Context(), h.DB, c.admin)
	if err != nil {
		return err
	}
	exclude := make([]protocol.CredentialDescriptor, len(u.creds))
	for i, cr := range u.creds {
		exclude[i] = cr.Descriptor()
	}
	opts, sd, err := h.webauthn.BeginRegistration(u,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationRequired,
		}),
		webauthn.WithExclusions(exclude))
	if err != nil {
		return err
	}
	if err := h.saveCeremony(r.Context(), w, r, "register", c.admin.ID, ceremony{Session: *sd, Name: name}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, opts)
	return nil
}

// passkeyRegisterFinish stores the new passkey. POST /{admin}/passkey/register/finish
func (h *Handlers) passkeyRegisterFinish(w http.ResponseWriter, r *http.Request, c *current) error {
	if !jsonOnly(w, r) {
		return nil
	}
	ctx := r.Context()
	cer, adminID, err := h.takeCeremony(ctx, w, r, "register")
	if err != nil {
		return err
	}
	if cer == nil || adminID != c.admin.ID {
		return h.ceremonyFailed(w, r, c.admin, "passkey.register_failure", errors.New("no pending ceremony for this admin"))
	}
	u, err := loadWAUser(ctx, h.DB, c.admin)
	if err != nil {
		return err
	}
	cred, err := h.webauthn.FinishRegistration(u, cer.Session, r)
	if err != nil {
		return h.ceremonyFailed(w, r, c.admin, "passkey.register_failure", err)
	}
	to := h.base + "/account"
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := addPasskey(ctx, tx, c.admin.ID, cer.Name, cred); err != nil {
			return err
		}
		var err error
		to, err = h.factorAdded(ctx, tx, w, r, c, "passkey", "admin.change.passkey_added", map[string]any{"name": cer.Name})
		return err
	})
	if db.IsUniqueViolation(err) {
		writeJSON(w, http.StatusConflict, map[string]any{"error": web.T(r, "admin.passkey.duplicate")})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"redirect": to})
	return nil
}
