package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

// switchesPage is the product settings screen: the storefront's stock
// switches.
type switchesPage struct {
	HideSoldOut    bool
	StockLeftUnder string
	Fields         map[string]string
}

// productSettings shows the switches. GET /{admin}/products/settings
func (c *Catalog) productSettings(w http.ResponseWriter, r *http.Request) error {
	m, err := c.h.Settings.All(r.Context())
	if err != nil {
		return err
	}
	p := &switchesPage{HideSoldOut: m[catalog.SettingHideSoldOut] == "1", StockLeftUnder: m[catalog.SettingStockLeftUnder], Fields: map[string]string{}}
	return c.h.Page(w, r, http.StatusOK, "admin_product_settings", "catalog13.switches.title", p)
}

// productSettingsSave saves the switches. POST /{admin}/products/settings
// hide_sold_out=1, stock_left_under=N (0 or blank: off; at most 1000).
func (c *Catalog) productSettingsSave(w http.ResponseWriter, r *http.Request) error {
	p := &switchesPage{HideSoldOut: r.PostFormValue("hide_sold_out") == "1", StockLeftUnder: strings.TrimSpace(r.PostFormValue("stock_left_under")),
		Fields: map[string]string{}}
	n := 0
	if s := normNumber(p.StockLeftUnder); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 0 || n > 1000 {
			p.Fields["stock_left_under"] = "catalog13.switches.error.range"
			return c.h.Page(w, r, http.StatusUnprocessableEntity, "admin_product_settings", "catalog13.switches.title", p)
		}
	}
	hide := ""
	if p.HideSoldOut {
		hide = "1"
	}
	kv := map[string]string{catalog.SettingHideSoldOut: hide, catalog.SettingStockLeftUnder: strconv.Itoa(n)}
	err := c.h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := c.h.Settings.Set(r.Context(), tx, kv); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "catalog.switches", "", map[string]any{"hide_sold_out": hide, "stock_left_under": n}))
		return err
	})
	if err != nil {
		return err
	}
	c.h.Settings.Invalidate()
	c.store.Invalidate() // cached listings and pages follow the switches
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/products/settings", http.StatusSeeOther)
	return nil
}
