package report

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Admin serves the sales reports in the admin panel.
type Admin struct {
	Store *Store
	Shell *admin.Handlers
	Now   func() time.Time // the clock for the default period; time.Now when nil
}

// Mount registers the report pages and their menu entry with the admin
// shell.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.AddNav("admin_nav.group.reports", admin.NavItem{Area: admin.AreaReports, Path: "/reports", Label: "admin_nav.reports"})
	a.Shell.Mount(mux, "GET /reports", admin.AreaReports, admin.Read, false, a.page)
	a.Shell.Mount(mux, "GET /reports.csv", admin.AreaReports, admin.Read, false, a.csv)
	return nil
}

func (a *Admin) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// pageData is what admin_report.html shows.
type pageData struct {
	Query   Query
	Kinds   []Kind
	Units   []Unit
	Fields  map[string]string
	Buckets []Bucket
	Rows    []Row
	Total   Figures
	Prev    Figures
	Change  float64
	HasPrev bool
	Chart   *Chart
	Stale   bool
	Ranges  []quickRange
}

type quickRange struct {
	Label, From, To string
}

// load parses the query, brings the summary up to date and reads the
// report. A query error comes back as shop.Invalid with the fields.
func (a *Admin) load(r *http.Request) (*pageData, error) {
	v := r.URL.Query()
	q, err := ParseQuery(v.Get("kind"), v.Get("from"), v.Get("to"), v.Get("unit"), a.now())
	d := &pageData{Query: q, Kinds: Kinds, Units: []Unit{Day, Week, Month}, Ranges: ranges(a.now())}
	if err != nil {
		var se *shop.Error
		if errors.As(err, &se) {
			d.Fields = se.Fields
		}
		return d, err
	}
	// A refresh that takes longer (the first one over years of orders)
	// goes on in the background worker; the page says the figures may lag.
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := a.Store.RefreshIfOlder(ctx, 30*time.Second); err != nil {
		a.Store.Log.Warn("sales summary refresh", "err", err)
		d.Stale = true
	}
	lang := web.Lang(r)
	if q.Kind == ByPeriod {
		d.Buckets, d.Total, d.Prev, err = a.Store.Period(r.Context(), q)
		d.Change, d.HasPrev = Change(d.Total.Amount, d.Prev.Amount)
		if err == nil && d.Total.Orders > 0 {
			c := PeriodChart(d.Buckets, i18n.T(lang, "report.chart_summary", len(d.Buckets), "¥"+d.Total.Amount.String()))
			d.Chart = &c
		}
		return d, err
	}
	d.Rows, d.Total, err = a.Store.Breakdown(r.Context(), q, lang)
	if err == nil && d.Total.Orders > 0 {
		c := BreakdownChart(d.Rows, i18n.T(lang, "report.chart_summary", len(d.Rows), "¥"+d.Total.Amount.String()))
		d.Chart = &c
	}
	return d, err
}

func (a *Admin) page(w http.ResponseWriter, r *http.Request) error {
	d, err := a.load(r)
	status := http.StatusOK
	if err != nil {
		if shop.KindOf(err) != shop.Invalid {
			return err
		}
		status = http.StatusUnprocessableEntity
	}
	return a.Shell.Page(w, r, status, "admin_report", "admin_nav.reports", d)
}

// PeriodExport (a report by day, week or month) and BreakdownExport (by
// product, category, attribute or payment) are the reports' exports for
// the operator's column settings.
var (
	PeriodExport = csvcols.Labelled("report_period", "admin13.csv.type.report_period", string(admin.AreaReports), "report.col.",
		"period", "orders", "qty", "amount", "prev_amount", "change")
	BreakdownExport = csvcols.Labelled("report_breakdown", "admin13.csv.type.report_breakdown", string(admin.AreaReports), "report.col.",
		"item", "orders", "qty", "amount", "share")
)

// csv exports the report on the page as CSV (UTF-8 with BOM, or
// Shift_JIS with ?enc=sjis); the export is audit-logged.
func (a *Admin) csv(w http.ResponseWriter, r *http.Request) error {
	d, err := a.load(r)
	if err != nil {
		return err
	}
	enc := csvfile.UTF8BOM
	if e, ok := csvfile.ParseEncoding(r.URL.Query().Get("enc")); ok {
		enc = e
	}
	q := d.Query
	if err := audit.Record(r.Context(), a.Store.DB, admin.AuditEntry(r, "report.export", string(q.Kind),
		map[string]any{"from": q.From.Format("2006-01-02"), "to": q.To.Format("2006-01-02"), "unit": string(q.Unit)})); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sales-%s-%s-%s.csv"`, q.Kind, q.From.Format("20060102"), q.To.Format("20060102")))
	w.Header().Set("Cache-Control", "no-store")
	cw, err := csvfile.NewWriter(w, enc)
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	t := func(k string) string { return i18n.T(lang, k) }
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	if q.Kind == ByPeriod {
		sel, err := csvcols.NewWriter(r.Context(), a.Store.DB, cw, PeriodExport, t)
		if err != nil {
			return err
		}
		for _, b := range d.Buckets {
			ch := ""
			if c, ok := Change(b.Figures.Amount, b.Previous.Amount); ok {
				ch = strconv.FormatFloat(c, 'f', 1, 64)
			}
			sel.Write([]string{b.Start.Format("2006-01-02"), n(b.Figures.Orders), n(b.Figures.Qty), n(int64(b.Figures.Amount)), n(int64(b.Previous.Amount)), ch})
		}
	} else {
		sel, err := csvcols.NewWriter(r.Context(), a.Store.DB, cw, BreakdownExport, t)
		if err != nil {
			return err
		}
		for _, row := range d.Rows {
			sel.Write([]string{row.Label, n(row.Figures.Orders), n(row.Figures.Qty), n(int64(row.Figures.Amount)), strconv.FormatFloat(row.Share*100, 'f', 1, 64)})
		}
	}
	return cw.Flush()
}

// ranges are the quick choices above the form: this month, last month,
// this year and the last twelve months.
func ranges(now time.Time) []quickRange {
	now = now.In(jst)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, jst)
	month := today.AddDate(0, 0, 1-today.Day())
	f := func(t time.Time) string { return t.Format("2006-01-02") }
	return []quickRange{
		{"report.range.this_month", f(month), f(today)},
		{"report.range.last_month", f(month.AddDate(0, -1, 0)), f(month.AddDate(0, 0, -1))},
		{"report.range.this_year", f(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, jst)), f(today)},
		{"report.range.last_12_months", f(month.AddDate(-1, 1, 0)), f(today)},
	}
}

// Worker keeps the summary up to date in the background, so the first
// report after a busy day, or after an upgrade over years of orders,
// finds it ready.
func (s *Store) Worker(every time.Duration) func(ctx context.Context) {
	return func(ctx context.Context) {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				s.Log.Warn("sales summary refresh", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
}
