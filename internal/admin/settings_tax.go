package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

type taxRuleView struct {
	Class  string
	Rate   shop.TaxRate
	From   time.Time
	Future bool
}

type settingsTaxPage struct {
	Rules    []taxRuleView
	Rounding shop.Rounding
	Modes    []shop.Rounding
	Form     map[string]string
	Fields   map[string]string
	Loc      *time.Location
	// Product and category rules (settings_tax_scoped.go).
	Scoped     []scopedTaxView
	Categories []taxCategory
}

// settingsTax lists the dated tax rules and the rounding mode.
// GET /{admin}/settings/tax
func (h *Handlers) settingsTax(w http.ResponseWriter, r *http.Request) error {
	return h.renderTax(w, r, http.StatusOK, nil, nil)
}

func (h *Handlers) renderTax(w http.ResponseWriter, r *http.Request, status int, form, fields map[string]string) error {
	ctx := r.Context()
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	p := &settingsTaxPage{Rounding: sh.Rounding, Modes: []shop.Rounding{shop.Floor, shop.HalfUp, shop.Ceiling}, Form: form, Fields: fields, Loc: jst}
	rows, err := h.DB.Query(ctx, `SELECT tax_class, rate_bp, effective_from FROM tax_rules ORDER BY effective_from DESC, tax_class`)
	if err != nil {
		return err
	}
	defer rows.Close()
	now := h.DB.Now()
	for rows.Next() {
		var v taxRuleView
		var bp int
		if err := rows.Scan(&v.Class, &bp, &v.From); err != nil {
			return err
		}
		v.Rate, v.Future = shop.TaxRate(bp), v.From.After(now)
		p.Rules = append(p.Rules, v)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if err := h.loadScopedTax(ctx, p); err != nil {
		return err
	}
	return h.page(w, r, status, "admin_settings_tax", "admin.settings.tax_title", p)
}

// settingsTaxSave sets the rounding mode and, when a rate is given, adds
// a rule (a class, a rate in percent, a start date in JST, which may be
// in the future to schedule a change). A rule for the same class and date
// replaces the rate. POST /{admin}/settings/tax
func (h *Handlers) settingsTaxSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := map[string]string{"class": r.PostFormValue("class"), "rate": strings.TrimSpace(r.PostFormValue("rate")), "from": r.PostFormValue("from"), "rounding": r.PostFormValue("rounding")}
	fields := map[string]string{}
	mode := shop.Rounding(form["rounding"])
	if !mode.Valid() {
		fields["rounding"] = "admin.settings.bad_rounding"
	}
	var bp int
	var from time.Time
	addRule := form["rate"] != ""
	if addRule {
		if form["class"] != string(shop.TaxStandard) && form["class"] != string(shop.TaxReduced) {
			fields["class"] = "admin.settings.bad_class"
		}
		bp, from, _ = parseRate(form["rate"], form["from"], fields, "rate", "from")
	}
	if len(fields) > 0 {
		return h.renderTax(w, r, http.StatusBadRequest, form, fields)
	}
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := h.Settings.Set(ctx, tx, map[string]string{settings.TaxRounding: string(mode)}); err != nil {
			return err
		}
		details := map[string]any{"rounding": string(mode)}
		if addRule {
			_, err := tx.Exec(ctx, `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)
				ON CONFLICT (tax_class, effective_from) DO UPDATE SET rate_bp = excluded.rate_bp`, form["class"], bp, from.UTC())
			if err != nil {
				return err
			}
			details["class"], details["rate_bp"], details["from"] = form["class"], bp, form["from"]
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "settings.tax", "", details))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings/tax")
}
