package admin

import (
	"context"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

type totpEnrolPage struct {
	Enrolling    bool
	PasskeysOnly bool
	HasTOTP      bool
	Secret       string       // grouped for typing
	QR           template.URL // data: URL of the PNG (our own bytes)
	Message      string
}

// enrolPage is where a new admin adds a first factor. GET /{admin}/enrol
func (h *Handlers) enrolPage(w http.ResponseWriter, r *http.Request, c *current) error {
	if c.sess.Stage == stageActive {
		http.Redirect(w, r, h.base+"/account", http.StatusSeeOther)
		return nil
	}
	if c.sess.restricted() {
		return h.restrictedPage(w, r, c)
	}
	return h.totpPage(w, r, c)
}

// totpPage shows a new TOTP secret as QR code and text. The secret waits,
// sealed, in the ceremony table until a first code proves the app has it.
// GET /{admin}/account/totp
func (h *Handlers) totpPage(w http.ResponseWriter, r *http.Request, c *current) error {
	return h.renderTOTP(w, r, c, http.StatusOK, "")
}

func (h *Handlers) renderTOTP(w http.ResponseWriter, r *http.Request, c *current, status int, msg string) error {
	only, err := h.typedCodesRefused(r.Context(), c.admin)
	if err != nil {
		return err
	}
	// A restricted session may replace a lost authenticator.
	replace := c.sess.restricted()
	p := &totpEnrolPage{Enrolling: c.sess.Stage == stageEnrol && !replace, PasskeysOnly: only, HasTOTP: c.admin.HasTOTP() && !replace, Message: msg}
	if !only && (!c.admin.HasTOTP() || replace) {
		sh, err := h.Settings.Shop(r.Context())
		if err != nil {
			return err
		}
		issuer := strings.ReplaceAll(sh.DisplayName(web.Lang(r)), ":", " ")
		if strings.TrimSpace(issuer) == "" {
			issuer = "Akinai"
		}
		secret, _, png, err := auth.NewTOTPSecret(issuer, c.admin.Email)
		if err != nil {
			return err
		}
		sealed, err := auth.Seal(h.totpKey, []byte(secret), totpAAD(c.admin.ID))
		if err != nil {
			return err
		}
		if err := h.saveCeremony(r.Context(), w, r, "totp", c.admin.ID, ceremony{Name: base64.StdEncoding.EncodeToString(sealed)}); err != nil {
			return err
		}
		p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		for i := 0; i < len(secret); i += 4 {
			p.Secret += secret[i:min(i+4, len(secret))] + " "
		}
	}
	return h.page(w, r, status, "admin_totp", "admin.totp.title", p)
}

// totpSave checks the first code and stores the secret. POST /{admin}/account/totp
func (h *Handlers) totpSave(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	only, err := h.typedCodesRefused(ctx, c.admin)
	if err != nil {
		return err
	}
	if only {
		return h.renderTOTP(w, r, c, http.StatusForbidden, "admin.mfa.passkeys_only")
	}
	restricted := c.sess.restricted()
	cer, adminID, err := h.takeCeremony(ctx, w, r, "totp")
	if err != nil {
		return err
	}
	if cer == nil || adminID != c.admin.ID {
		return h.renderTOTP(w, r, c, http.StatusUnprocessableEntity, "admin.totp.expired")
	}
	sealed, err := base64.StdEncoding.DecodeString(cer.Name)
	if err != nil {
		return err
	}
	secret, err := auth.Open(h.totpKey, sealed, totpAAD(c.admin.ID))
	if err != nil {
		return err
	}
	step, ok := auth.VerifyTOTP(string(secret), r.PostFormValue("code"), 0, h.DB.Now())
	if !ok {
		return h.renderTOTP(w, r, c, http.StatusUnprocessableEntity, "admin.totp.wrong_code")
	}
	to := ""
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := h.setTOTP(ctx, tx, c.admin.ID, string(secret), step); err != nil {
			return err
		}
		var err error
		to, err = h.factorAdded(ctx, tx, w, r, c, "totp", "admin.change.totp_added", nil)
		return err
	})
	if err != nil {
		return err
	}
	if !restricted {
		web.SetFlash(w, r, "admin.totp.added")
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// typedCodesRefused reports whether adding an authenticator app is
// pointless for a: its codes would not sign them in (the shop requires
// passkeys, or a has a passkey and did not allow typed codes).
func (h *Handlers) typedCodesRefused(ctx context.Context, a *Admin) (bool, error) {
	p, err := h.policyFor(ctx, h.DB, a)
	return p.PasskeysOnly || p.ShopWide, err
}

// factorAdded audits and announces a new factor; during enrolment it
// opens the panel (a new active session) and returns where to go next:
// the recovery codes page.
func (h *Handlers) factorAdded(ctx context.Context, tx *db.Tx, w http.ResponseWriter, r *http.Request, c *current, factor, what string, details map[string]any) (string, error) {
	if _, err := audit.Append(ctx, tx, h.entry(r, c.admin, "factor."+factor+"_added", c.admin.Email, details)); err != nil {
		return "", err
	}
	if err := h.alertChange(ctx, tx, r, c.admin, what); err != nil {
		return "", err
	}
	if c.sess.Stage != stageEnrol {
		return h.base + "/account", nil
	}
	if c.sess.restricted() {
		web.SetFlash(w, r, "admin_signin.restricted.enrolled")
		return h.restrictedEnrolled(ctx, tx, w, r)
	}
	if err := h.promote(ctx, tx, w, r, c.admin.ID, factor); err != nil {
		return "", err
	}
	return h.base + "/account/recovery?first=1", nil
}
