package customer

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// Passkeys are optional for customers: a customer who adds one can sign
// in with it instead of the password (discoverable credential, user
// verification required). The password stays as the fallback, so a
// customer account is not phishing-resistant the way an admin's
// passkeys-only account is; the passkey spares the customer typing a
// password into a page that might be a copy.

const (
	ceremonyCookie  = "customer_ceremony"
	ceremonyTTL     = 5 * time.Minute
	maxCeremonyBody = 64 << 10
)

// newWebAuthn configures WebAuthn for the shop's public URL: RP ID its
// host, the only accepted origin its scheme and host. It fails for a
// host the library refuses (an IP address); passkeys are then off.
func newWebAuthn(baseURL string) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("customer: passkeys need a base URL with a host: %q", baseURL)
	}
	return webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "Akinai", RPOrigins: []string{u.Scheme + "://" + u.Host}})
}

// PasskeysEnabled reports whether the shop offers passkeys (a base URL
// with a domain name).
func (h *Handlers) PasskeysEnabled() bool { return h.wa != nil }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// jsonRequest refuses a ceremony request that is not JSON of sane size,
// or arrives while passkeys are off.
func (h *Handlers) jsonRequest(w http.ResponseWriter, r *http.Request) bool {
	if h.wa == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": web.T(r, "customer.passkey.off")})
		return false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]any{"error": web.T(r, "customer.passkey.failed")})
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCeremonyBody)
	return true
}

func (h *Handlers) startCeremony(w http.ResponseWriter, r *http.Request, kind string, customerID int64, c ceremony) error {
	tok, err := saveCeremony(r.Context(), h.Store.DB, kind, customerID, c)
	if err != nil {
		return err
	}
	web.SetCookie(w, r, ceremonyCookie, tok, ceremonyTTL, http.SameSiteStrictMode)
	return nil
}

func (h *Handlers) endCeremony(w http.ResponseWriter, r *http.Request, kind string) (*ceremony, int64, error) {
	tok := web.Cookie(r, ceremonyCookie)
	web.SetCookie(w, r, ceremonyCookie, "", -1, http.SameSiteStrictMode)
	return takeCeremony(r.Context(), h.Store.DB, tok, kind)
}

// failed answers a failed ceremony with one localised message; the cause
// is logged with the request's ID only (no customer data).
func (h *Handlers) failed(w http.ResponseWriter, r *http.Request, cause error) error {
	h.Log.Info("customer: passkey ceremony failed", "request_id", web.Info(r).ID, "err", cause)
	status := http.StatusBadRequest
	var tooLarge *http.MaxBytesError
	if errors.As(cause, &tooLarge) {
		status = http.StatusRequestEntityTooLarge
	}
	writeJSON(w, status, map[string]any{"error": web.T(r, "customer.passkey.failed")})
	return nil
}

// passkeyRegisterBegin: POST /mypage/passkeys/begin {"name": "…"}
func (h *Handlers) passkeyRegisterBegin(w http.ResponseWriter, r *http.Request, c *Customer) error {
	if !h.jsonRequest(w, r) {
		return nil
	}
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	var in struct{ Name string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return h.failed(w, r, err)
	}
	name, problem := web.Text(strings.TrimSpace(in.Name))
	if problem != "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": web.T(r, problem), "field": "name"})
		return nil
	}
	if name == "" || utf8.RuneCountInString(name) > 60 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": web.T(r, "customer.passkey.bad_name"), "field": "name"})
		return nil
	}
	u, err := loadWAUser(r.Context(), h.Store.DB, c, true)
	if err != nil {
		return err
	}
	exclude := make([]protocol.CredentialDescriptor, len(u.creds))
	for i, cr := range u.creds {
		exclude[i] = cr.Descriptor()
	}
	opts, sd, err := h.wa.BeginRegistration(u, webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
		ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
		UserVerification: protocol.VerificationRequired,
	}), webauthn.WithExclusions(exclude))
	if err != nil {
		return err
	}
	if err := h.startCeremony(w, r, "register", c.ID, ceremony{Session: *sd, Name: name}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, opts)
	return nil
}

// passkeyRegisterFinish: POST /mypage/passkeys/finish (the browser's
// attestation). Stores the passkey and mails the notice.
func (h *Handlers) passkeyRegisterFinish(w http.ResponseWriter, r *http.Request, c *Customer) error {
	if !h.jsonRequest(w, r) {
		return nil
	}
	cer, owner, err := h.endCeremony(w, r, "register")
	if err != nil {
		return err
	}
	if cer == nil || owner != c.ID {
		return h.failed(w, r, errors.New("no pending registration for this customer"))
	}
	u, err := loadWAUser(r.Context(), h.Store.DB, c, false)
	if err != nil {
		return err
	}
	cred, err := h.wa.FinishRegistration(u, cer.Session, r)
	if err != nil {
		return h.failed(w, r, err)
	}
	err = h.Store.DB.Tx(r.Context(), func(tx *db.Tx) error { return addPasskey(r.Context(), tx, c, cer.Name, cred) })
	if db.IsUniqueViolation(err) {
		writeJSON(w, http.StatusConflict, map[string]any{"error": web.T(r, "customer.passkey.duplicate")})
		return nil
	}
	if shop.KindOf(err) == shop.Invalid {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": web.Message(r, err)})
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.passkey.added")
	writeJSON(w, http.StatusOK, map[string]any{"redirect": "/mypage/profile"})
	return nil
}

// passkeyDelete: POST /mypage/passkeys/{id}/delete (a form).
func (h *Handlers) passkeyDelete(w http.ResponseWriter, r *http.Request, c *Customer) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.Store.DeletePasskey(r.Context(), c.ID, id); err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.deleted")
	http.Redirect(w, r, "/mypage/profile", http.StatusSeeOther)
	return nil
}

// passkeyLoginBegin: POST /mypage/login/passkey/begin — a discoverable
// sign-in: the browser offers the shop's passkeys it holds.
func (h *Handlers) passkeyLoginBegin(w http.ResponseWriter, r *http.Request) error {
	if !h.jsonRequest(w, r) {
		return nil
	}
	opts, sd, err := h.wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return err
	}
	if err := h.startCeremony(w, r, "login", 0, ceremony{Session: *sd}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, opts)
	return nil
}

// passkeyLoginFinish: POST /mypage/login/passkey/finish. The library
// checks the challenge, the exact origin and the RP ID, so an assertion
// made on a look-alike site does not verify here.
func (h *Handlers) passkeyLoginFinish(w http.ResponseWriter, r *http.Request) error {
	if !h.jsonRequest(w, r) {
		return nil
	}
	ctx := r.Context()
	if err := h.allow(r, throttle.CustomerSignInIP, ip(r)); err != nil {
		return err
	}
	cer, _, err := h.endCeremony(w, r, "login")
	if err != nil {
		return err
	}
	if cer == nil {
		return h.failed(w, r, errors.New("no pending sign-in ceremony"))
	}
	var c *Customer
	_, cred, err := h.wa.FinishPasskeyLogin(func(rawID, handle []byte) (webauthn.User, error) {
		var err error
		if c, err = customerByHandle(ctx, h.Store.DB, handle); err != nil {
			return nil, err
		}
		return loadWAUser(ctx, h.Store.DB, c, false)
	}, cer.Session, r)
	if err != nil {
		return h.failed(w, r, err)
	}
	if c.Status != Active {
		return h.failed(w, r, errors.New("account not active"))
	}
	if err := h.Store.DB.Tx(ctx, func(tx *db.Tx) error { return touchPasskey(ctx, tx, c.ID, cred) }); err != nil {
		return err
	}
	_ = h.Store.EndSession(ctx, web.Cookie(r, sessionCookie))
	t, err := h.Store.StartSession(ctx, c.ID, false, deviceOf(r))
	if err != nil {
		return err
	}
	h.setCookies(w, r, t)
	if err := h.Carts.SignIn(w, r, c.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"redirect": "/mypage"})
	return nil
}
