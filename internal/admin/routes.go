package admin

import (
	"context"
	"net/http"
)

// Routes mounts every admin route under the secret path. Each route names
// the area and access it needs; sudo routes also need a recent
// re-authentication. Anything else under the path, and the path itself
// when the address is blocked, answers the storefront's 404.
func (h *Handlers) Routes(mux *http.ServeMux) {
	p := h.base
	// Before sign-in.
	mux.Handle("GET "+p+"/setup/{token}", h.public(h.setupPage))
	mux.Handle("POST "+p+"/setup/{token}", h.public(h.setupSave))
	mux.Handle("GET "+p+"/login", h.public(h.loginPage))
	mux.Handle("POST "+p+"/login", h.public(h.login))
	mux.Handle("GET "+p+"/login/2fa", h.mfaStep(h.mfaPage))
	mux.Handle("POST "+p+"/login/totp", h.mfaStep(h.mfaTOTP))
	mux.Handle("POST "+p+"/login/recovery", h.mfaStep(h.mfaRecovery))
	mux.Handle("POST "+p+"/passkey/login/begin", h.public(h.passkeyLoginBegin))
	mux.Handle("POST "+p+"/passkey/login/finish", h.public(h.passkeyLoginFinish))
	mux.Handle("POST "+p+"/passkey/report", h.public(h.passkeyReport))
	// Enrolment (also open to signed-in admins adding a factor).
	mux.Handle("GET "+p+"/enrol", h.enrolling(h.enrolPage))
	mux.Handle("POST "+p+"/passkey/register/begin", h.enrolling(h.passkeyRegisterBegin))
	mux.Handle("POST "+p+"/passkey/register/finish", h.enrolling(h.passkeyRegisterFinish))
	mux.Handle("GET "+p+"/account/totp", h.enrolling(h.totpPage))
	mux.Handle("POST "+p+"/account/totp", h.enrolling(h.totpSave))
	// The panel.
	mux.Handle("GET "+p+"/{$}", h.panel(AreaDashboard, Read, h.dashboard))
	mux.Handle("POST "+p+"/logout", h.anyStage(h.logout))
	mux.Handle("GET "+p+"/sudo", h.panel(AreaAccount, Read, h.sudoPage))
	mux.Handle("POST "+p+"/sudo", h.panel(AreaAccount, Read, h.sudoConfirm))
	mux.Handle("POST "+p+"/passkey/sudo/begin", h.panel(AreaAccount, Read, h.sudoPasskeyBegin))
	mux.Handle("POST "+p+"/passkey/sudo/finish", h.panel(AreaAccount, Read, h.sudoPasskeyFinish))
	mux.Handle("GET "+p+"/account", h.panel(AreaAccount, Read, h.account))
	mux.Handle("POST "+p+"/account/password", h.panel(AreaAccount, Write, h.changePassword))
	mux.Handle("POST "+p+"/account/anti-phishing", h.panel(AreaAccount, Write, h.setAntiPhishing))
	mux.Handle("POST "+p+"/account/typed-codes", h.sudo(AreaAccount, Write, h.setTypedCodes))
	mux.Handle("POST "+p+"/account/passkeys/{id}/delete", h.sudo(AreaAccount, Write, h.deletePasskey))
	mux.Handle("POST "+p+"/account/totp/delete", h.sudo(AreaAccount, Write, h.deleteTOTP))
	mux.Handle("GET "+p+"/account/recovery", h.panel(AreaAccount, Read, h.recoveryPage))
	mux.Handle("POST "+p+"/account/recovery", h.sudo(AreaAccount, Write, h.recoveryNew))
	mux.Handle("GET "+p+"/account/sessions", h.panel(AreaAccount, Read, h.sessions))
	mux.Handle("POST "+p+"/account/sessions/end", h.panel(AreaAccount, Write, h.endSessions))
	mux.Handle("GET "+p+"/admins", h.panel(AreaAdmins, Read, h.admins))
	mux.Handle("POST "+p+"/admins", h.sudo(AreaAdmins, Write, h.createAdmin))
	mux.Handle("POST "+p+"/admins/{id}/role", h.sudo(AreaAdmins, Write, h.setRole))
	mux.Handle("POST "+p+"/admins/{id}/delete", h.sudo(AreaAdmins, Write, h.removeAdmin))
	mux.Handle("POST "+p+"/admins/{id}/reset-mfa", h.sudo(AreaAdmins, Write, h.resetFactors))
	mux.Handle("GET "+p+"/security", h.sudo(AreaSecurity, Read, h.security))
	mux.Handle("POST "+p+"/security/policy", h.sudo(AreaSecurity, Write, h.setPolicy))
	mux.Handle("POST "+p+"/security/ip", h.sudo(AreaSecurity, Write, h.setIPLists))
	mux.Handle("POST "+p+"/security/path", h.sudo(AreaSecurity, Write, h.setAdminPath))
	mux.Handle("GET "+p+"/audit", h.panel(AreaAudit, Read, h.auditLog))
	mux.Handle("GET "+p+"/audit.csv", h.panel(AreaAudit, Read, h.auditCSV))
	h.ordersRoutes(mux)
	h.settingsRoutes(mux)
	h.customerRoutes(mux)
	h.contentRoutes(mux)
	mux.Handle(p+"/", h.public(func(w http.ResponseWriter, r *http.Request) error {
		h.Render.NotFound(w, r)
		return nil
	}))
}

// mfaStep serves the second-factor step: a session past the password.
func (h *Handlers) mfaStep(fn handlerFunc) http.Handler {
	return h.public(func(w http.ResponseWriter, r *http.Request) error {
		c, err := h.signedIn(w, r, stageMFA)
		if c == nil || err != nil {
			return err
		}
		return fn(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, c)), c)
	})
}
