package admin

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/settings"
)

// settingsRoutes mounts the settings area: shop information, tax, delivery
// methods and (in sudo mode) payment methods.
func (h *Handlers) settingsRoutes(mux *http.ServeMux) {
	h.Mount(mux, "GET /settings", AreaSettings, Read, false, h.settingsShop)
	h.Mount(mux, "POST /settings/shop", AreaSettings, Write, false, h.settingsShopSave)
	h.Mount(mux, "POST /settings/registration", AreaSettings, Write, false, h.settingsRegistrationSave)
	h.Mount(mux, "GET /settings/tax", AreaSettings, Read, false, h.settingsTax)
	h.Mount(mux, "POST /settings/tax", AreaSettings, Write, false, h.settingsTaxSave)
	h.Mount(mux, "POST /settings/tax/scoped", AreaSettings, Write, false, h.settingsTaxScopedSave)
	h.Mount(mux, "POST /settings/tax/scoped/delete", AreaSettings, Write, false, h.settingsTaxScopedDelete)
	h.Mount(mux, "GET /settings/csv", AreaSettings, Read, false, h.settingsCSV)
	h.Mount(mux, "POST /settings/csv", AreaSettings, Write, false, h.settingsCSVSave)
	h.Mount(mux, "GET /settings/payment", AreaSettings, Read, true, h.settingsPayment)
	h.Mount(mux, "POST /settings/payment-webhook", AreaSettings, Write, true, h.settingsWebhookSecretSave)
	h.Mount(mux, "POST /settings/payment-key", AreaSettings, Write, true, h.settingsCardKeySave)
}

// shopFields are the shop information settings the form edits, in order,
// with their maximum length.
var shopFields = []struct {
	Key string
	Max int
}{
	{settings.ShopName, 100}, {settings.ShopNameEN, 100}, {settings.ShopCompany, 100}, {settings.ShopCompanyEN, 100},
	{settings.ShopPostalCode, 8}, {settings.ShopAddress, 200}, {settings.ShopAddressEN, 200},
	{settings.ShopPhone, 20}, {settings.ShopEmail, 254}, {settings.ShopURL, 200}, {settings.ShopManager, 100},
	{settings.ShopHours, 100}, {settings.InvoiceNumber, 20},
}

type settingsShopPage struct {
	Keys   []string
	Values map[string]string
	Fields map[string]string
}

// settingsShop shows the shop information form. GET /{admin}/settings
func (h *Handlers) settingsShop(w http.ResponseWriter, r *http.Request) error {
	all, err := h.Settings.All(r.Context())
	if err != nil {
		return err
	}
	return h.renderShopSettings(w, r, http.StatusOK, all, nil)
}

func (h *Handlers) renderShopSettings(w http.ResponseWriter, r *http.Request, status int, values, fields map[string]string) error {
	p := &settingsShopPage{Values: values, Fields: fields}
	for _, f := range shopFields {
		p.Keys = append(p.Keys, f.Key)
	}
	return h.page(w, r, status, "admin_settings_shop", "admin.settings.shop_title", p)
}

// settingsShopSave validates and stores the shop information; the
// registration number is normalised (T + 13 digits, check digit) by
// invoice.RegistrationNumber. POST /{admin}/settings/shop
func (h *Handlers) settingsShopSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	values := map[string]string{}
	fields := map[string]string{}
	for _, f := range shopFields {
		v := strings.TrimSpace(r.PostFormValue(f.Key))
		if utf8.RuneCountInString(v) > f.Max || strings.ContainsAny(v, "\r\n") {
			fields[f.Key] = "admin.settings.too_long"
		}
		values[f.Key] = v
	}
	if values[settings.ShopName] == "" {
		fields[settings.ShopName] = "admin.settings.required"
	}
	if v := values[settings.InvoiceNumber]; v != "" {
		if n, err := invoice.RegistrationNumber(v); err != nil {
			fields[settings.InvoiceNumber] = "admin.settings.bad_registration"
		} else {
			values[settings.InvoiceNumber] = n
		}
	}
	if v := values[settings.ShopPostalCode]; v != "" {
		if pc, err := jp.PostalCode(v); err != nil {
			fields[settings.ShopPostalCode] = "admin.settings.bad_postal"
		} else {
			values[settings.ShopPostalCode] = pc
		}
	}
	if v := values[settings.ShopEmail]; v != "" && !strings.Contains(v, "@") {
		fields[settings.ShopEmail] = "admin.settings.bad_email"
	}
	if len(fields) > 0 {
		return h.renderShopSettings(w, r, http.StatusBadRequest, values, fields)
	}
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := h.Settings.Set(ctx, tx, values); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "settings.shop", "", map[string]any{"registration": values[settings.InvoiceNumber]}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings")
}

// settingsRegistrationSave turns provisional registration (仮会員登録:
// the account waits for the mailed confirmation link) on or off.
// POST /{admin}/settings/registration
func (h *Handlers) settingsRegistrationSave(w http.ResponseWriter, r *http.Request) error {
	v := "0"
	if r.PostFormValue("provisional") == "1" {
		v = "1"
	}
	ctx := r.Context()
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := h.Settings.Set(ctx, tx, map[string]string{settings.ProvisionalRegistration: v}); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "settings.registration", "", map[string]any{"provisional": v == "1"}))
		return err
	})
	if err != nil {
		return err
	}
	h.Settings.Invalidate()
	return h.flashBack(w, r, "admin.settings.saved", "/settings")
}
