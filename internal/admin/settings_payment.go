package admin

import (
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

type paymentMethodView struct {
	Code                   string
	NameJA, NameEN         string
	Fee, MinAmount, MaxAmt shop.Yen
	Active                 bool
}

type settingsPaymentPage struct {
	Methods   []paymentMethodView
	KeyMasked string // "sk_live_…abcd" or ""
	Error     string
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
	rows, err := h.DB.Query(ctx, `SELECT code, name_ja, name_en, fee, min_amount, max_amount, active FROM payment_methods ORDER BY sort_order, code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m paymentMethodView
		var fee, lo, hi int64
		if err := rows.Scan(&m.Code, &m.NameJA, &m.NameEN, &fee, &lo, &hi, &m.Active); err != nil {
			return err
		}
		m.Fee, m.MinAmount, m.MaxAmt = shop.Yen(fee), shop.Yen(lo), shop.Yen(hi)
		p.Methods = append(p.Methods, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	key, err := h.Settings.CardKey(ctx, h.Config.Secret)
	if err != nil {
		return err
	}
	p.KeyMasked = maskKey(key)
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

// settingsPaymentSave changes one payment method's fee, amount limits and
// whether it is offered. Sudo. POST /{admin}/settings/payment/{code}
func (h *Handlers) settingsPaymentSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	fee, ok1 := yenField(r.PostFormValue("fee"))
	lo, ok2 := yenField(r.PostFormValue("min_amount"))
	hi, ok3 := yenField(r.PostFormValue("max_amount"))
	if !ok1 || !ok2 || !ok3 || (hi != 0 && hi < lo) {
		return h.renderPayment(w, r, http.StatusBadRequest, "admin.settings.bad_limits")
	}
	active := r.PostFormValue("active") == "1"
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE payment_methods SET fee = ?, min_amount = ?, max_amount = ?, active = ? WHERE code = ?`,
			int64(fee), int64(lo), int64(hi), active, code))
		if err != nil {
			return err
		}
		if n != 1 {
			return shop.ErrNotFound
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "settings.payment", code, map[string]any{"fee": int64(fee), "min": int64(lo), "max": int64(hi), "active": active}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings/payment")
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
