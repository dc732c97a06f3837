package order

import (
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// ordersCSV streams the orders the list's filter (or ids=…) selects as
// CSV for Excel, in UTF-8 with a BOM or in Shift_JIS
// (?encoding=utf8|sjis): one row per order, per line or per parcel
// (?type=order|line|shipment) with the columns the operator chose for
// that type. Rows are read in keyset pages, so memory stays flat whatever
// the number of orders. The export is audit-logged before the first
// byte. GET /{admin}/orders.csv
func (p *AdminPages) ordersCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	exportType := q.Get("type")
	if exportType == "" {
		exportType = ExportOrders
	}
	if ExportColumns(exportType) == nil {
		return shop.ErrNotFound
	}
	enc, ok := csvfile.ParseEncoding(q.Get("encoding"))
	if !ok {
		enc = csvfile.UTF8BOM
	}
	chosen, err := ChosenColumns(ctx, p.DB, exportType)
	if err != nil {
		return err
	}
	f := ParseFilter(q, p.DB.Now())
	if err := audit.Record(ctx, p.DB, p.Shell.Audit(r, "order.exported", exportType, map[string]any{"encoding": string(enc), "filter": r.URL.RawQuery})); err != nil {
		return err
	}
	charset := "utf-8"
	if enc == csvfile.ShiftJIS {
		charset = "shift_jis"
	}
	w.Header().Set("Content-Type", "text/csv; charset="+charset)
	w.Header().Set("Content-Disposition", `attachment; filename="orders-`+exportType+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw, err := csvfile.NewWriter(w, enc)
	if err != nil {
		return err
	}
	lang := web.Info(r).Lang
	if err := WriteExport(ctx, p.DB, cw, exportType, f, chosen, lang == "en", func(k string) string { return web.T(r, k) }); err != nil {
		// Headers are gone; the truncated file is the only signal left.
		return nil
	}
	return cw.Flush()
}

type columnsPage struct {
	Type   string
	Types  []string
	Rows   []columnRow
	Error  string
	Fields map[string]string
}

type columnRow struct {
	ColumnChoice
	Label string // i18n key of the default heading
}

// columnsForm shows an export type's columns: ticked, numbered and named
// as the operator saved them; the others unticked after them.
// GET /{admin}/orders/csv-columns?type=order|line|shipment
func (p *AdminPages) columnsForm(w http.ResponseWriter, r *http.Request) error {
	t := r.URL.Query().Get("type")
	if t == "" {
		t = ExportOrders
	}
	defs := ExportColumns(t)
	if defs == nil {
		return shop.ErrNotFound
	}
	chosen, err := ChosenColumns(r.Context(), p.DB, t)
	if err != nil {
		return err
	}
	pg := &columnsPage{Type: t, Types: ExportTypes}
	labels := map[string]string{}
	for _, d := range defs {
		labels[d.Key] = d.Label
	}
	in := map[string]bool{}
	for i, c := range chosen {
		in[c.Key] = true
		pg.Rows = append(pg.Rows, columnRow{ColumnChoice{Key: c.Key, Include: true, Position: i + 1, Heading: c.Heading}, labels[c.Key]})
	}
	for _, d := range defs {
		if !in[d.Key] {
			pg.Rows = append(pg.Rows, columnRow{ColumnChoice{Key: d.Key, Position: len(pg.Rows) + 1}, d.Label})
		}
	}
	return p.Shell.Page(w, r, http.StatusOK, "admin_order_columns", "order.csv.title", pg)
}

// saveColumns saves an export type's columns (include_<key>, pos_<key>,
// heading_<key>). POST /{admin}/orders/csv-columns?type=…
func (p *AdminPages) saveColumns(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := r.URL.Query().Get("type")
	defs := ExportColumns(t)
	if defs == nil {
		return shop.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	pg := &columnsPage{Type: t, Types: ExportTypes}
	var choices []ColumnChoice
	for i, d := range defs {
		c := ColumnChoice{Key: d.Key, Include: r.PostFormValue("include_"+d.Key) != "", Heading: r.PostFormValue("heading_" + d.Key)}
		n, err := strconv.Atoi(r.PostFormValue("pos_" + d.Key))
		if err != nil {
			n = 1000 + i
		}
		c.Position = n
		choices = append(choices, c)
		pg.Rows = append(pg.Rows, columnRow{c, d.Label})
	}
	err := p.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := SaveColumns(ctx, tx, t, choices); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, p.Shell.Audit(r, "order.csv_columns", t, nil))
		return err
	})
	if se, ok := err.(*shop.Error); ok && se.Kind == shop.Invalid {
		pg.Error, pg.Fields = web.Message(r, err), se.Fields
		return p.Shell.Page(w, r, web.Status(err), "admin_order_columns", "order.csv.title", pg)
	}
	if err != nil {
		return err
	}
	return p.Shell.Done(w, r, "admin.saved", "/orders/csv-columns?type="+t)
}
