package order

import (
	"net/http"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
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
	e, ok := ExportOf(exportType)
	if !ok {
		return shop.ErrNotFound
	}
	enc, ok := csvfile.ParseEncoding(q.Get("encoding"))
	if !ok {
		enc = csvfile.UTF8BOM
	}
	chosen, err := csvcols.ChosenColumns(ctx, p.DB, e)
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

// columnsForm sends the old address of the order exports' column
// settings to 設定 › CSV出力項目設定, which holds every export's.
// GET /{admin}/orders/csv-columns?type=order|line|shipment
func (p *AdminPages) columnsForm(w http.ResponseWriter, r *http.Request) error {
	t := r.URL.Query().Get("type")
	if t == "" {
		t = ExportOrders
	}
	if _, ok := ExportOf(t); !ok {
		return shop.ErrNotFound
	}
	http.Redirect(w, r, p.Shell.Base()+"/settings/csv?type="+t, http.StatusSeeOther)
	return nil
}
