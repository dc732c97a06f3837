package admin

import (
	"context"
	"net/http"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
)

// A restricted session is an enrolment-stage session opened by a typed
// code: a recovery code (phishable by nature), or an authenticator code
// of an admin who has no passkey yet while the owner requires passkeys.
// The guard lets it reach only the enrolment pages (add a passkey or an
// authenticator app) and sign-out; every panel page refuses it. Enrolling
// does not open the panel either: the session ends and the admin signs in
// again with the new factor.
func (s *Session) restricted() bool { return s.Stage == stageEnrol && s.Factor != "" }

// restrictedWith opens a restricted session for a inside tx after a typed
// code was accepted: audit entry and, for a recovery code, a mail to the
// account (which says that a code was used and from where).
func (h *Handlers) restrictedWith(ctx context.Context, tx *db.Tx, w http.ResponseWriter, r *http.Request, a *Admin, factor string) error {
	if _, err := audit.Append(ctx, tx, h.entry(r, a, "signin.restricted", a.Email, map[string]any{"factor": factor})); err != nil {
		return err
	}
	if factor == "recovery" {
		if err := h.queueAlert(ctx, tx, r, a, "admin_recovery_used", factor, ""); err != nil {
			return err
		}
	}
	if err := h.endSession(ctx, tx, w, r); err != nil {
		return err
	}
	return h.startSession(ctx, tx, w, r, a.ID, stageEnrol, factor)
}

type restrictedPage struct {
	Factor       string // "recovery" or "totp"
	PasskeysOnly bool   // only a passkey may be added
	HasTOTP      bool
	RecoveryLeft int
}

// restrictedPage is all a restricted session sees. GET /{admin}/enrol
func (h *Handlers) restrictedPage(w http.ResponseWriter, r *http.Request, c *current) error {
	p, err := h.policyFor(r.Context(), h.DB, c.admin)
	if err != nil {
		return err
	}
	left, err := recoveryCodesLeft(r.Context(), h.DB, c.admin.ID)
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_restricted", "admin_signin.restricted.title",
		&restrictedPage{Factor: c.sess.Factor, PasskeysOnly: p.PasskeysOnly || p.ShopWide, HasTOTP: c.admin.HasTOTP(), RecoveryLeft: left})
}

// restrictedEnrolled ends a restricted session after a factor was added:
// the admin signs in again with it. It returns where to go.
func (h *Handlers) restrictedEnrolled(ctx context.Context, tx *db.Tx, w http.ResponseWriter, r *http.Request) (string, error) {
	if err := h.endSession(ctx, tx, w, r); err != nil {
		return "", err
	}
	return h.base + "/login", nil
}
