package admin

import (
	"net/http"
)

// Routes mounts every admin route under the secret path. Each route names
// the area and access it needs; sudo routes also need a recent
// re-authentication. Anything else under the path, and the path itself
// when the address is blocked, answers the storefront's 404.
func (h *Handlers) Routes(mux *http.ServeMux) {
	p := h.base
	handle := func(pattern string, hd http.Handler) {
		h.patterns = append(h.patterns, pattern)
		mux.Handle(pattern, hd)
	}
	// Before sign-in.
	handle("GET "+p+"/setup/{token}", h.public(h.setupPage))
	handle("POST "+p+"/setup/{token}", h.public(h.setupSave))
	handle("GET "+p+"/login", h.public(h.loginPage))
	handle("POST "+p+"/login", h.public(h.login))
	handle("GET "+p+"/login/2fa", h.mfaStep(h.mfaPage))
	handle("POST "+p+"/login/totp", h.mfaStep(h.mfaTOTP))
	handle("POST "+p+"/login/recovery", h.mfaStep(h.mfaRecovery))
	handle("POST "+p+"/passkey/login/begin", h.public(h.passkeyLoginBegin))
	handle("POST "+p+"/passkey/login/finish", h.public(h.passkeyLoginFinish))
	handle("POST "+p+"/passkey/report", h.public(h.passkeyReport))
	// Enrolment (also open to signed-in admins adding a factor).
	handle("GET "+p+"/enrol", h.enrolling(h.enrolPage))
	handle("POST "+p+"/passkey/register/begin", h.enrolling(h.passkeyRegisterBegin))
	handle("POST "+p+"/passkey/register/finish", h.enrolling(h.passkeyRegisterFinish))
	handle("GET "+p+"/account/totp", h.enrolling(h.totpPage))
	handle("POST "+p+"/account/totp", h.enrolling(h.totpSave))
	// The panel.
	handle("GET "+p+"/{$}", h.panel(AreaDashboard, Read, h.dashboard))
	handle("GET "+p+"/search", h.panel(AreaDashboard, Read, h.search))
	handle("POST "+p+"/logout", h.anyStage(h.logout))
	handle("GET "+p+"/sudo", h.panel(AreaAccount, Read, h.sudoPage))
	handle("POST "+p+"/sudo", h.panel(AreaAccount, Read, h.sudoConfirm))
	handle("POST "+p+"/passkey/sudo/begin", h.panel(AreaAccount, Read, h.sudoPasskeyBegin))
	handle("POST "+p+"/passkey/sudo/finish", h.panel(AreaAccount, Read, h.sudoPasskeyFinish))
	handle("GET "+p+"/account", h.panel(AreaAccount, Read, h.account))
	handle("POST "+p+"/account/password", h.panel(AreaAccount, Write, h.changePassword))
	handle("POST "+p+"/account/anti-phishing", h.panel(AreaAccount, Write, h.setAntiPhishing))
	handle("POST "+p+"/account/typed-codes", h.sudo(AreaAccount, Write, h.setTypedCodes))
	handle("POST "+p+"/account/passkeys/{id}/delete", h.sudo(AreaAccount, Write, h.deletePasskey))
	handle("POST "+p+"/account/totp/delete", h.sudo(AreaAccount, Write, h.deleteTOTP))
	handle("GET "+p+"/account/recovery", h.panel(AreaAccount, Read, h.recoveryPage))
	handle("POST "+p+"/account/recovery", h.sudo(AreaAccount, Write, h.recoveryNew))
	handle("GET "+p+"/account/sessions", h.panel(AreaAccount, Read, h.sessions))
	handle("POST "+p+"/account/sessions/end", h.panel(AreaAccount, Write, h.endSessions))
	handle("GET "+p+"/admins", h.panel(AreaAdmins, Read, h.admins))
	handle("POST "+p+"/admins", h.sudo(AreaAdmins, Write, h.createAdmin))
	handle("GET "+p+"/admins/roles", h.panel(AreaAdmins, Read, h.roles))
	handle("POST "+p+"/admins/roles", h.sudo(AreaAdmins, Write, h.saveRoles))
	handle("POST "+p+"/admins/{id}/role", h.sudo(AreaAdmins, Write, h.setRole))
	handle("POST "+p+"/admins/{id}/delete", h.sudo(AreaAdmins, Write, h.removeAdmin))
	handle("POST "+p+"/admins/{id}/reset-mfa", h.sudo(AreaAdmins, Write, h.resetFactors))
	handle("GET "+p+"/security", h.sudo(AreaSecurity, Read, h.security))
	handle("POST "+p+"/security/policy", h.sudo(AreaSecurity, Write, h.setPolicy))
	handle("POST "+p+"/security/ip", h.sudo(AreaSecurity, Write, h.setIPLists))
	handle("POST "+p+"/security/path", h.sudo(AreaSecurity, Write, h.setAdminPath))
	handle("GET "+p+"/audit", h.panel(AreaAudit, Read, h.auditLog))
	handle("GET "+p+"/audit.csv", h.panel(AreaAudit, Read, h.auditCSV))
	h.ordersRoutes(mux)
	h.settingsRoutes(mux)
	h.customerRoutes(mux)
	h.contentRoutes(mux)
	handle(p+"/", h.public(func(w http.ResponseWriter, r *http.Request) error {
		h.Render.NotFound(w, r)
		return nil
	}))
}

// Patterns lists every admin route registered so far (by Routes and
// Mount), as ServeMux patterns: a test walks them all to prove the guard
// refuses what it must.
func (h *Handlers) Patterns() []string { return append([]string(nil), h.patterns...) }
