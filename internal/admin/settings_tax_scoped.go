package admin

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// scopedTaxView is a product's or category's rule as the tax page lists it.
type scopedTaxView struct {
	catalog.ScopedRule
	Future bool
	Key    string // the from date as posted back to delete it (RFC 3339)
}

type taxCategory struct {
	ID   int64
	Name string
}

// loadScopedTax fills the tax page's product and category rules and the
// categories the form offers.
func (h *Handlers) loadScopedTax(ctx context.Context, p *settingsTaxPage) error {
	rules, err := catalog.ScopedRules(ctx, h.DB)
	if err != nil {
		return err
	}
	now := h.DB.Now()
	for _, r := range rules {
		p.Scoped = append(p.Scoped, scopedTaxView{ScopedRule: r, Future: r.From.After(now), Key: r.From.UTC().Format(time.RFC3339)})
	}
	rows, err := h.DB.Query(ctx, `SELECT id, name_ja FROM categories ORDER BY sort_order, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c taxCategory
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return err
		}
		p.Categories = append(p.Categories, c)
	}
	return rows.Err()
}

// settingsTaxScopedSave adds a dated rate for one category or one product
// (given by ID or SKU): from its date on, that product (or every product
// of the category without its own rule) is taxed at that rate whatever its
// class. POST /{admin}/settings/tax/scoped
func (h *Handlers) settingsTaxScopedSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := map[string]string{"scope": r.PostFormValue("scope"), "category": r.PostFormValue("category"),
		"product": strings.TrimSpace(r.PostFormValue("product")), "srate": strings.TrimSpace(r.PostFormValue("srate")),
		"sfrom": r.PostFormValue("sfrom")}
	fields := map[string]string{}
	var id int64
	switch form["scope"] {
	case "category":
		n, err := strconv.ParseInt(form["category"], 10, 64)
		if err != nil || n <= 0 {
			fields["category"] = "admin13.tax.bad_category"
		}
		id = n
	case "product":
		n, err := h.taxProductID(ctx, form["product"])
		if err != nil {
			return err
		}
		if n == 0 {
			fields["product"] = "admin13.tax.bad_product"
		}
		id = n
	default:
		fields["scope"] = "admin13.tax.bad_scope"
	}
	bp, from, ok := parseRate(form["srate"], form["sfrom"], fields, "srate", "sfrom")
	if !ok || len(fields) > 0 {
		return h.renderTax(w, r, http.StatusBadRequest, form, fields)
	}
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := catalog.SetScopedRule(ctx, tx, form["scope"], id, shop.TaxRate(bp), from); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "settings.tax_scoped", form["scope"]+":"+strconv.FormatInt(id, 10),
			map[string]any{"rate_bp": bp, "from": form["sfrom"]}))
		return err
	})
	if errors.Is(err, shop.ErrNotFound) {
		fields[map[string]string{"category": "category", "product": "product"}[form["scope"]]] = "admin13.tax.gone"
		return h.renderTax(w, r, http.StatusBadRequest, form, fields)
	}
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.settings.saved", "/settings/tax")
}

// settingsTaxScopedDelete removes one product or category rule. Orders
// already placed keep the rate they were placed with.
// POST /{admin}/settings/tax/scoped/delete
func (h *Handlers) settingsTaxScopedDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	scope := r.PostFormValue("scope")
	id, err1 := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	from, err2 := time.Parse(time.RFC3339, r.PostFormValue("from"))
	if (scope != "category" && scope != "product") || err1 != nil || err2 != nil {
		return &shop.Error{Kind: shop.Invalid, Key: "admin13.tax.bad_scope"}
	}
	var found bool
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if found, err = catalog.DeleteScopedRule(ctx, tx, scope, id, from); err != nil || !found {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "settings.tax_scoped_delete", scope+":"+strconv.FormatInt(id, 10),
			map[string]any{"from": from.Format(time.RFC3339)}))
		return err
	})
	if err != nil {
		return err
	}
	if !found {
		return shop.ErrNotFound
	}
	return h.flashBack(w, r, "admin13.tax.deleted", "/settings/tax")
}

// taxProductID finds a product by its ID or one of its SKUs; 0 when none.
func (h *Handlers) taxProductID(ctx context.Context, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	var id int64
	err := h.DB.QueryRow(ctx, `SELECT product_id FROM variants WHERE sku = ?`, s).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || n <= 0 {
			return 0, nil
		}
		err = h.DB.QueryRow(ctx, `SELECT id FROM products WHERE id = ?`, n).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
	}
	return id, err
}

// parseRate reads a rate in percent (0–100, up to two decimals) and a
// start date in JST, setting field errors under the given names.
func parseRate(rate, from string, fields map[string]string, rateField, fromField string) (int, time.Time, bool) {
	f, err := strconv.ParseFloat(rate, 64)
	if err != nil || f < 0 || f > 100 {
		fields[rateField] = "admin.settings.bad_rate"
	}
	t, err := time.ParseInLocation("2006-01-02", from, jst)
	if err != nil {
		fields[fromField] = "admin.settings.bad_date"
	}
	return int(f*100 + 0.5), t, len(fields) == 0
}
