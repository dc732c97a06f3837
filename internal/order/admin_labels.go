package order

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// Settings keys of the carrier account codes the label exports need.
const (
	SettingYamatoBilling = "carrier.yamato_billing"
	SettingYamatoFreight = "carrier.yamato_freight"
)

var (
	billingRE = regexp.MustCompile(`^\d{10,12}$`)
	freightRE = regexp.MustCompile(`^\d{2}$`)
)

type labelsPage struct {
	Billing, Freight string
	Error            string
	Fields           map[string]string
}

// labelSettings shows the carrier account codes the label exports use.
// GET /{admin}/orders/labels
func (p *AdminPages) labelSettings(w http.ResponseWriter, r *http.Request) error {
	m, err := p.Settings.All(r.Context())
	if err != nil {
		return err
	}
	return p.Shell.Page(w, r, http.StatusOK, "admin_order_labels", "order.labels.title",
		&labelsPage{Billing: m[SettingYamatoBilling], Freight: m[SettingYamatoFreight]})
}

// saveLabelSettings saves the carrier account codes.
// POST /{admin}/orders/labels
func (p *AdminPages) saveLabelSettings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pg := &labelsPage{Billing: strings.TrimSpace(r.PostFormValue("yamato_billing")), Freight: strings.TrimSpace(r.PostFormValue("yamato_freight")),
		Fields: map[string]string{}}
	if !billingRE.MatchString(pg.Billing) {
		pg.Fields["yamato_billing"] = "order.labels.bad_billing"
	}
	if !freightRE.MatchString(pg.Freight) {
		pg.Fields["yamato_freight"] = "order.labels.bad_freight"
	}
	if len(pg.Fields) > 0 {
		err := shop.Invalidf(pg.Fields)
		pg.Error = web.Message(r, err)
		return p.Shell.Page(w, r, web.Status(err), "admin_order_labels", "order.labels.title", pg)
	}
	err := p.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := p.Settings.Set(ctx, tx, map[string]string{SettingYamatoBilling: pg.Billing, SettingYamatoFreight: pg.Freight}); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, p.Shell.Audit(r, "order.label_settings", "yamato", map[string]any{"billing": pg.Billing, "freight": pg.Freight}))
		return err
	})
	if err != nil {
		return err
	}
	p.Settings.Invalidate()
	return p.Shell.Done(w, r, "admin.saved", "/orders/labels")
}

// labelsCSV streams the label file of a carrier for the parcels still at
// the shop of the selected orders (ids=… or the search): Yamato B2
// Cloud's layout (format=yamato_b2) in Shift_JIS with CRLF, a header row
// and one row per parcel, read in pages so memory stays flat. The export
// is audit-logged before the first byte. Errors: Invalid
// "order.labels.bad_format" for an unknown format; Conflict
// "order.labels.no_billing" until the Yamato account codes are set.
// GET /{admin}/orders/labels.csv
func (p *AdminPages) labelsCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	if q.Get("format") != "yamato_b2" {
		return shop.Errorf(shop.Invalid, "order.labels.bad_format")
	}
	now := p.DB.Now().In(jst)
	shipDate, err := time.ParseInLocation("2006-01-02", q.Get("ship_date"), jst)
	if err != nil {
		shipDate = now
	}
	m, err := p.Settings.All(ctx)
	if err != nil {
		return err
	}
	sh, err := p.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	s := Sender{Name: sh.Company, Phone: sh.Phone, PostalCode: sh.PostalCode, Address: sh.Address,
		YamatoBilling: m[SettingYamatoBilling], YamatoFreight: m[SettingYamatoFreight]}
	if s.Name == "" {
		s.Name = sh.Name
	}
	if s.YamatoBilling == "" {
		return shop.Errorf(shop.Conflict, "order.labels.no_billing")
	}
	f := ParseFilter(q, now)
	if err := audit.Record(ctx, p.DB, p.Shell.Audit(r, "order.labels_exported", "yamato_b2", map[string]any{"filter": r.URL.RawQuery})); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=shift_jis")
	w.Header().Set("Content-Disposition", `attachment; filename="yamato-b2-`+now.Format("20060102")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	return p.writeLabels(w, r, f, s, shipDate)
}

func (p *AdminPages) writeLabels(w http.ResponseWriter, r *http.Request, f Filter, s Sender, shipDate time.Time) error {
	cw, err := csvfile.NewWriter(w, csvfile.ShiftJIS)
	if err != nil {
		return err
	}
	if err := cw.Write(B2Header); err != nil {
		return err
	}
	var rec []string
	err = EachLabelParcel(r.Context(), p.DB, f, func(lp *LabelParcel) error {
		rec = B2Record(rec, lp, s, shipDate)
		return cw.Write(rec)
	})
	if err != nil {
		// Headers are gone; a truncated file is the only signal left.
		return nil
	}
	return cw.Flush()
}
