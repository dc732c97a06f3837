package points

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed panels/*.html
var panelFS embed.FS

// Shell is what the point screens need of the admin shell;
// admin.Section satisfies it.
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Sudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Actor(r *http.Request) (int64, string)
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
	Base() string
}

// Admin serves the point settings (settings area) and a customer's
// points: the card on the customer's page and the adjustment page
// (customers area, behind sudo: points are money).
type Admin struct {
	DB        *db.DB
	Settings  *settings.Store
	Shell     Shell // the settings area's
	Customers Shell // the customers area's
	panel     *template.Template
}

// Mount registers the pages; add Panel to the customer page with
// admin.Handlers.AddPanel("admin_customer", a.Panel).
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	t, err := template.New("panel").Funcs(web.Funcs(nil)).ParseFS(panelFS, "panels/*.html")
	if err != nil {
		return err
	}
	a.panel = t
	a.Shell.Read(mux, "GET /points/settings", a.settingsPage)
	a.Shell.Write(mux, "POST /points/settings", a.settingsSave)
	a.Shell.Write(mux, "POST /points/products", a.productSave)
	a.Customers.Sudo(mux, "GET /customers/{id}/points", a.customerPage)
	a.Customers.Sudo(mux, "POST /customers/{id}/points", a.adjust)
	return nil
}

// ProductRate is a product's own earn rate, for the settings page.
type ProductRate struct {
	Slug, Name string
	Rate       int
}

type settingsPage struct {
	S        Settings
	F        map[string]string
	Fields   map[string]string
	Products []ProductRate
	PF       map[string]string
}

func (a *Admin) productRates(r *http.Request) ([]ProductRate, error) {
	rows, err := a.DB.Query(r.Context(), `SELECT p.slug, p.name_ja, pp.rate FROM product_points pp JOIN products p ON p.id = pp.product_id ORDER BY p.slug LIMIT 1000`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProductRate
	for rows.Next() {
		var p ProductRate
		if err := rows.Scan(&p.Slug, &p.Name, &p.Rate); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (a *Admin) renderSettings(w http.ResponseWriter, r *http.Request, status int, d *settingsPage) error {
	var err error
	if d.Products, err = a.productRates(r); err != nil {
		return err
	}
	return a.Shell.Page(w, r, status, "admin_points_settings", "points.settings_title", d)
}

func (a *Admin) settingsPage(w http.ResponseWriter, r *http.Request) error {
	m, err := a.Settings.All(r.Context())
	if err != nil {
		return err
	}
	s := SettingsFrom(m)
	return a.renderSettings(w, r, http.StatusOK, &settingsPage{S: s, F: s.Map()})
}

// ReadSettings checks the settings form; field → message key for every
// wrong field.
func ReadSettings(r *http.Request) (Settings, map[string]string, map[string]string) {
	f := map[string]string{}
	for _, k := range []string{KeyEnabled, KeyRate, KeyGrantAt, KeyMin, KeyMax, KeyExpiry} {
		f[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	errs := map[string]string{}
	s := Settings{Enabled: f[KeyEnabled] == "1", GrantAt: f[KeyGrantAt]}
	num := func(k string, lo, hi int64) int64 {
		n, err := strconv.ParseInt(f[k], 10, 64)
		if err != nil || n < lo || n > hi {
			errs[k] = "points.bad_setting"
		}
		return n
	}
	s.Rate = int(num(KeyRate, 0, 100))
	s.Min = num(KeyMin, 1, 10_000_000)
	s.Max = num(KeyMax, 0, 10_000_000)
	s.ExpiryMonths = int(num(KeyExpiry, 0, 120))
	if s.GrantAt != GrantPaid && s.GrantAt != GrantShipped {
		errs[KeyGrantAt] = "points.bad_setting"
	}
	if s.Max != 0 && s.Max < s.Min && errs[KeyMax] == "" {
		errs[KeyMax] = "points.max_below_min"
	}
	return s, f, errs
}

func (a *Admin) settingsSave(w http.ResponseWriter, r *http.Request) error {
	s, f, errs := ReadSettings(r)
	if len(errs) > 0 {
		return a.renderSettings(w, r, http.StatusUnprocessableEntity, &settingsPage{S: s, F: f, Fields: errs})
	}
	ctx := r.Context()
	err := a.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := a.Settings.Set(ctx, tx, s.Map()); err != nil {
			return err
		}
		details := map[string]any{}
		for k, v := range s.Map() {
			details[k] = v
		}
		_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "points.settings", "", details))
		return err
	})
	if err != nil {
		return err
	}
	a.Settings.Invalidate()
	return a.Shell.Done(w, r, "admin.saved", "/points/settings")
}

// productSave sets a product's own rate, or with an empty rate removes
// it (the product earns the shop's rate again).
func (a *Admin) productSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug, rate := strings.TrimSpace(r.PostFormValue("slug")), strings.TrimSpace(r.PostFormValue("rate"))
	pf := map[string]string{"slug": slug, "rate": rate}
	fields := map[string]string{}
	var pid int64
	if err := a.DB.QueryRow(ctx, `SELECT id FROM products WHERE slug = ?`, slug).Scan(&pid); err != nil {
		fields["slug"] = "points.bad_product"
	}
	n, err := strconv.Atoi(rate)
	if rate != "" && (err != nil || n < 0 || n > 100) {
		fields["rate"] = "points.bad_setting"
	}
	if len(fields) > 0 {
		m, err := a.Settings.All(ctx)
		if err != nil {
			return err
		}
		s := SettingsFrom(m)
		return a.renderSettings(w, r, http.StatusUnprocessableEntity, &settingsPage{S: s, F: s.Map(), Fields: fields, PF: pf})
	}
	err = a.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if rate == "" {
			_, err = tx.Exec(ctx, `DELETE FROM product_points WHERE product_id = ?`, pid)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO product_points (product_id, rate) VALUES (?, ?) ON CONFLICT (product_id) DO UPDATE SET rate = excluded.rate`, pid, n)
		}
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, a.Shell.Audit(r, "points.product_rate", slug, map[string]any{"rate": rate}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "admin.saved", "/points/settings")
}

type customerPage struct {
	ID      int64
	Name    string
	Balance int64
	Ledger  []Entry
	F       map[string]string
	Fields  map[string]string
}

func (a *Admin) customer(r *http.Request) (*customerPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, shop.ErrNotFound
	}
	d := &customerPage{ID: id, F: map[string]string{}}
	var fam, giv string
	if err := a.DB.QueryRow(r.Context(), `SELECT family_name, given_name FROM customers WHERE id = ?`, id).Scan(&fam, &giv); err != nil {
		return nil, shop.ErrNotFound
	}
	d.Name = strings.TrimSpace(fam + " " + giv)
	if d.Balance, err = Balance(r.Context(), a.DB, id); err != nil {
		return nil, err
	}
	if d.Ledger, err = Ledger(r.Context(), a.DB, id, 200); err != nil {
		return nil, err
	}
	return d, nil
}

// customerPage shows a customer's whole ledger and the adjustment form.
func (a *Admin) customerPage(w http.ResponseWriter, r *http.Request) error {
	d, err := a.customer(r)
	if err != nil {
		return err
	}
	return a.Customers.Page(w, r, http.StatusOK, "admin_points_customer", "points.customer_title", d)
}

// adjust adds or takes points with a reason, audited.
func (a *Admin) adjust(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := a.customer(r)
	if err != nil {
		return err
	}
	d.F["delta"], d.F["reason"] = strings.TrimSpace(r.PostFormValue("delta")), strings.TrimSpace(r.PostFormValue("reason"))
	delta, perr := strconv.ParseInt(strings.Replace(d.F["delta"], "+", "", 1), 10, 64)
	d.Fields = map[string]string{}
	if perr != nil || delta == 0 || delta > 10_000_000 || delta < -10_000_000 {
		d.Fields["delta"] = "points.bad_adjust"
	}
	if d.F["reason"] == "" || utf8.RuneCountInString(d.F["reason"]) > 200 {
		d.Fields["reason"] = "points.bad_reason"
	}
	if len(d.Fields) == 0 {
		_, actor := a.Customers.Actor(r)
		err = a.DB.Tx(ctx, func(tx *db.Tx) error {
			if err := Adjust(ctx, tx, d.ID, delta, d.F["reason"], actor); err != nil {
				return err
			}
			_, err := audit.Append(ctx, tx, a.Customers.Audit(r, "points.adjusted", strconv.FormatInt(d.ID, 10), map[string]any{"points": delta, "reason": d.F["reason"]}))
			return err
		})
		if se, ok := err.(*shop.Error); ok && se.Fields != nil {
			d.Fields = se.Fields
		} else if err != nil {
			return err
		}
	}
	if len(d.Fields) > 0 {
		return a.Customers.Page(w, r, http.StatusUnprocessableEntity, "admin_points_customer", "points.customer_title", d)
	}
	return a.Customers.Done(w, r, "points.adjusted", "/customers/"+strconv.FormatInt(d.ID, 10)+"/points")
}

type panelData struct {
	Lang    i18n.Lang
	Base    string
	ID      int64
	Balance int64
	Ledger  []Entry
}

func (d *panelData) T(key string, args ...any) string { return i18n.T(d.Lang, key, args...) }

// Panel is the points card of the admin's customer page: the balance,
// the latest ledger rows and the link to the adjustment page.
func (a *Admin) Panel(r *http.Request) (template.HTML, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return "", nil
	}
	d := &panelData{Lang: web.Info(r).Lang, Base: a.Customers.Base(), ID: id}
	if d.Balance, err = Balance(r.Context(), a.DB, id); err != nil {
		return "", err
	}
	if d.Ledger, err = Ledger(r.Context(), a.DB, id, 10); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := a.panel.ExecuteTemplate(&b, "points_panel.html", d); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
