package admin

import (
	"context"
	"net/http"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// passkeysOnly reports whether the owner turned off TOTP and recovery
// codes for the whole shop.
func (h *Handlers) passkeysOnly(ctx context.Context) (bool, error) {
	v, err := h.Settings.Get(ctx, settings.AdminPasskeysOnly)
	return v == "1", err
}

type mfaPage struct {
	HasPasskey   bool
	HasTOTP      bool
	PasskeysOnly bool
	ShopWide     bool
	Message      string
}

// mfaPage offers the second factors the admin has. GET /{admin}/login/2fa
func (h *Handlers) mfaPage(w http.ResponseWriter, r *http.Request, c *current) error {
	return h.renderMFA(w, r, c, http.StatusOK, "")
}

func (h *Handlers) renderMFA(w http.ResponseWriter, r *http.Request, c *current, status int, msg string) error {
	p, err := h.policyFor(r.Context(), h.DB, c.admin)
	if err != nil {
		return err
	}
	page := &mfaPage{HasTOTP: c.admin.HasTOTP(), HasPasskey: p.Passkeys > 0, PasskeysOnly: p.PasskeysOnly, ShopWide: p.ShopWide, Message: msg}
	return h.page(w, r, status, "admin_mfa", "admin.mfa.title", page)
}

// mfaTOTP checks an authenticator-app code. POST /{admin}/login/totp
//
// A code is accepted once: the step it belongs to is stored with a
// conditional update, so the same code replayed (by a relay, or on another
// instance a millisecond later) finds the step used and fails.
func (h *Handlers) mfaTOTP(w http.ResponseWriter, r *http.Request, c *current) error {
	return h.secondFactor(w, r, c, "totp", func(tx *db.Tx) (bool, error) {
		if !c.admin.HasTOTP() {
			return false, nil
		}
		secret, err := h.totpSecret(c.admin)
		if err != nil {
			return false, err
		}
		step, ok := auth.VerifyTOTP(secret, r.PostFormValue("code"), c.admin.TOTPLastStep, tx.Now())
		if !ok {
			return false, nil
		}
		return useTOTPStep(r.Context(), tx, c.admin.ID, step)
	})
}

// mfaRecovery checks a recovery code. POST /{admin}/login/recovery
func (h *Handlers) mfaRecovery(w http.ResponseWriter, r *http.Request, c *current) error {
	return h.secondFactor(w, r, c, "recovery", func(tx *db.Tx) (bool, error) {
		return useRecoveryCode(r.Context(), tx, c.admin.ID, r.PostFormValue("code"))
	})
}

// secondFactor runs check for a typed factor with throttling, policy,
// audit and session promotion around it.
func (h *Handlers) secondFactor(w http.ResponseWriter, r *http.Request, c *current, factor string, check func(tx *db.Tx) (bool, error)) error {
	ctx := r.Context()
	addr := web.Info(r).ClientIP.String()
	p, err := h.policyFor(ctx, h.DB, c.admin)
	if err != nil {
		return err
	}
	if p.PasskeysOnly {
		reason, msg := "account_has_passkey", "admin_signin.mfa.account_passkeys_only"
		if p.ShopWide {
			reason, msg = "passkeys_only", "admin.mfa.passkeys_only"
		}
		h.audit(r, c.admin, "signin.factor_refused", c.admin.Email, map[string]any{"factor": factor, "reason": reason})
		return h.renderMFA(w, r, c, http.StatusForbidden, msg)
	}
	wait, err := throttle.Blocked(ctx, h.DB, h.DB.Now(), bucketMFA, c.admin.Email)
	if err != nil {
		return err
	}
	if wait > 0 {
		return tooMany(wait)
	}
	ok := false
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if ok, err = check(tx); err != nil || !ok {
			return err
		}
		if err := throttle.Reset(ctx, tx, bucketMFA, c.admin.Email); err != nil {
			return err
		}
		if factor == "recovery" || p.EnrolOnly {
			return h.restrictedWith(ctx, tx, w, r, c.admin, factor)
		}
		return h.signedInWith(ctx, tx, w, r, c.admin, factor)
	})
	if err != nil {
		return err
	}
	if !ok {
		err := h.DB.Tx(ctx, func(tx *db.Tx) error {
			if _, _, err := throttle.Fail(ctx, tx, h.Config.SignIn, bucketMFA, c.admin.Email); err != nil {
				return err
			}
			if _, _, err := throttle.Fail(ctx, tx, h.Config.SignIn, bucketAddress, addr); err != nil {
				return err
			}
			_, err := audit.Append(ctx, tx, h.entry(r, c.admin, "signin.failure", c.admin.Email, map[string]any{"step": factor}))
			return err
		})
		if err != nil {
			return err
		}
		return h.renderMFA(w, r, c, http.StatusUnauthorized, "admin.mfa.failed")
	}
	to := h.base + "/"
	if factor == "recovery" || p.EnrolOnly {
		to = h.base + "/enrol"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// signedInWith completes a sign-in inside tx: new session, audit entry,
// and an alert mail when the device or address is new to this admin. A
// complete sign-in (both factors) clears the address's failures, so an
// office behind one address is not kept waiting by a colleague's typos.
func (h *Handlers) signedInWith(ctx context.Context, tx *db.Tx, w http.ResponseWriter, r *http.Request, a *Admin, factor string) error {
	ip := web.Info(r).ClientIP
	if err := throttle.Reset(ctx, tx, bucketAddress, ip.String()); err != nil {
		return err
	}
	if err := rememberNetwork(ctx, tx, a.ID, ip); err != nil {
		return err
	}
	if err := h.alertIfNewDevice(ctx, tx, r, a, factor); err != nil {
		return err
	}
	if _, err := audit.Append(ctx, tx, h.entry(r, a, "signin.success", a.Email, map[string]any{"factor": factor})); err != nil {
		return err
	}
	return h.promote(ctx, tx, w, r, a.ID, factor)
}

var errNoFactor = &shop.Error{Kind: shop.Invalid, Key: "admin.mfa.failed"}
