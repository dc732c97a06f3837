package admin

import (
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/konbini"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

type settingsPaymentPage struct {
	KeyMasked     string // "sk_live_…abcd" or ""
	WebhookMasked string // "whsec_…abcd" or ""
	WebhookURL    string // where to point the provider's webhook
	Error         string
}

// settingsPayment lists the payment methods and shows the card key
// masked. Sudo. GET /{admin}/settings/payment
func (h *Handlers) settingsPayment(w http.ResponseWriter, r *http.Request) error {
	return h.renderPayment(w, r, http.StatusOK, "")
}

func (h *Handlers) renderPayment(w http.ResponseWriter, r *http.Request, status int, errKey string) error {
	ctx := r.Context()
	p := &settingsPaymentPage{}
	if errKey != "" {
		p.Error = web.T(r, errKey)
	}
	key, err := h.Settings.CardKey(ctx, h.Config.Secret)
	if err != nil {
		return err
	}
	p.KeyMasked = maskKey(key)
	hook, err := konbini.WebhookSecret(ctx, h.Settings, h.Config.Secret)
	if err != nil {
		return err
	}
	p.WebhookMasked = maskKey(hook)
	p.WebhookURL = strings.TrimRight(h.Config.BaseURL, "/") + konbini.WebhookPath
	return h.page(w, r, status, "admin_settings_payment", "admin.settings.payment_title", p)
}

// maskKey shows a secret's prefix and last four characters only.
func maskKey(k string) string {
	if k == "" {
		return ""
	}
	prefix := ""
	if i := strings.LastIndex(k, "_"); i >= 0 && i < 12 {
		prefix = k[:i+1]
	}
	if len(k) <= len(prefix)+4 {
		return prefix + "…"
	}
	return prefix + "…" + k[len(k)-4:]
}

// settingsCardKeySave stores the card provider's secret key sealed
// (settings.SealCardKey); an empty value removes it. The key itself never
// reaches the audit log, only its masked form. Sudo.
// POST /{admin}/settings/payment-key
func (h *Handlers) settingsCardKeySave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	key := strings.TrimSpace(r.PostFormValue("key"))
	if key != "" && (len(key) < 16 || len(key) > 255 || strings.ContainsAny(key, " \t\r\n")) {
		return h.renderPayment(w, r, http.StatusBadRequest, "admin.settings.bad_key")
	}
	stored := ""
	if key != "" {
		var err error
		if stored, err = settings.SealCardKey(h.Config.Secret, key); err != nil {
			return err
		}
	}
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := h.Settings.Set(ctx, tx, map[string]string{settings.PaymentCardKeySealed: stored}); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "settings.payment_key", "card", map[string]any{"key": maskKey(key)}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings/payment")
}

// settingsWebhookSecretSave stores the provider's webhook signing secret
// ("whsec_…", which authenticates the konbini payment events) sealed like
// the card key; an empty value removes it. Only the masked form reaches
// the audit log. Sudo. POST /{admin}/settings/payment-webhook
func (h *Handlers) settingsWebhookSecretSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	secret := strings.TrimSpace(r.PostFormValue("secret"))
	if secret != "" && (len(secret) < 16 || len(secret) > 255 || strings.ContainsAny(secret, " \t\r\n")) {
		return h.renderPayment(w, r, http.StatusBadRequest, "admin.settings.bad_key")
	}
	stored := ""
	if secret != "" {
		var err error
		if stored, err = konbini.SealWebhookSecret(h.Config.Secret, secret); err != nil {
			return err
		}
	}
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := h.Settings.Set(ctx, tx, map[string]string{konbini.WebhookSecretSealed: stored}); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "settings.payment_webhook_secret", "stripe", map[string]any{"secret": maskKey(secret)}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings/payment")
}
