package system

import (
	"embed"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Admin serves the system screens: system information, login history and
// the recent warnings and errors. Owners and managers (the audit area)
// may read them.
type Admin struct {
	DB      *db.DB
	Shell   *admin.Handlers
	DataDir string    // shown with its disk's free space; "" on PostgreSQL without a data directory
	Started time.Time // process start, for the uptime
	Recent  *Recent   // nil when the logger does not keep records
	Now     func() time.Time
}

// Mount registers the pages and their menu entries with the admin shell.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.AddNav("admin_nav.group.security", admin.NavItem{Area: admin.AreaAudit, Path: "/system/logins", Label: "system.nav.logins"})
	a.Shell.AddNav("admin_nav.group.system", admin.NavItem{Area: admin.AreaAudit, Path: "/system", Label: "system.nav.info"})
	a.Shell.AddNav("admin_nav.group.system", admin.NavItem{Area: admin.AreaAudit, Path: "/system/logs", Label: "system.nav.logs"})
	a.Shell.Mount(mux, "GET /system", admin.AreaAudit, admin.Read, false, a.info)
	a.Shell.Mount(mux, "GET /system/logins", admin.AreaAudit, admin.Read, false, a.logins)
	a.Shell.Mount(mux, "GET /system/logins.csv", admin.AreaAudit, admin.Read, false, a.loginsCSV)
	a.Shell.Mount(mux, "GET /system/logs", admin.AreaAudit, admin.Read, false, a.logs)
	return nil
}

func (a *Admin) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Admin) info(w http.ResponseWriter, r *http.Request) error {
	in, err := Collect(r.Context(), a.DB, a.DataDir, a.Started, a.now())
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "system_info", "system.nav.info", in)
}

// loginsPage is what system_logins.html shows.
type loginsPage struct {
	Admin, Result, Address, From, To string
	Fields                           map[string]string
	Rows                             []Login
	Total, Page, Pages               int
	Query                            string // the filter as a query string, for the CSV link and paging
}

const loginsPerPage = 50

func (a *Admin) loginFilter(r *http.Request) (*loginsPage, LoginFilter, error) {
	v := r.URL.Query()
	p := &loginsPage{Admin: v.Get("admin"), Result: v.Get("result"), Address: v.Get("ip"), From: v.Get("from"), To: v.Get("to")}
	q := url.Values{}
	for k, s := range map[string]string{"admin": p.Admin, "result": p.Result, "ip": p.Address, "from": p.From, "to": p.To} {
		if s != "" {
			q.Set(k, s)
		}
	}
	p.Query = q.Encode()
	f, err := ParseLoginFilter(p.Admin, p.Result, p.Address, p.From, p.To)
	if se, ok := err.(*shop.Error); ok {
		p.Fields = se.Fields
	}
	return p, f, err
}

func (a *Admin) logins(w http.ResponseWriter, r *http.Request) error {
	p, f, err := a.loginFilter(r)
	if err != nil {
		if shop.KindOf(err) != shop.Invalid {
			return err
		}
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "system_logins", "system.nav.logins", p)
	}
	p.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	p.Page = max(p.Page, 1)
	f.Limit, f.Offset = loginsPerPage, (p.Page-1)*loginsPerPage
	if p.Rows, p.Total, err = Logins(r.Context(), a.DB, f); err != nil {
		return err
	}
	p.Pages = (p.Total + loginsPerPage - 1) / loginsPerPage
	return a.Shell.Page(w, r, http.StatusOK, "system_logins", "system.nav.logins", p)
}

// LoginExport is the login history's export for the operator's column
// settings.
var LoginExport = csvcols.Labelled("login", "admin13.csv.type.login", string(admin.AreaAudit), "system.logins.",
	"at", "admin", "ip", "factor", "result", "detail")

// loginsCSV exports the filtered history (up to 10,000 rows) as CSV,
// UTF-8 with BOM or Shift_JIS with ?enc=sjis; the export is audit-logged.
func (a *Admin) loginsCSV(w http.ResponseWriter, r *http.Request) error {
	p, f, err := a.loginFilter(r)
	if err != nil {
		return err
	}
	f.Limit = 10000
	rows, _, err := Logins(r.Context(), a.DB, f)
	if err != nil {
		return err
	}
	enc := csvfile.UTF8BOM
	if e, ok := csvfile.ParseEncoding(r.URL.Query().Get("enc")); ok {
		enc = e
	}
	if err := audit.Record(r.Context(), a.DB, admin.AuditEntry(r, "system.logins_export", "",
		map[string]any{"filter": p.Query, "rows": len(rows)})); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="logins-%s.csv"`, a.now().In(jst).Format("20060102-1504")))
	w.Header().Set("Cache-Control", "no-store")
	cw, err := csvfile.NewWriter(w, enc)
	if err != nil {
		return err
	}
	lang := web.Lang(r)
	t := func(k string) string { return i18n.T(lang, k) }
	sel, err := csvcols.NewWriter(r.Context(), a.DB, cw, LoginExport, t)
	if err != nil {
		return err
	}
	for _, l := range rows {
		res := t("system.result.failure")
		if l.OK {
			res = t("system.result.success")
		}
		sel.Write([]string{l.At.In(jst).Format("2006-01-02 15:04:05"), l.Admin, l.Address, FactorLabel(lang, l.Factor), res, t("system.action." + l.Action)})
	}
	return cw.Flush()
}

// FactorLabel names a factor in lang; an unknown one is shown as stored.
func FactorLabel(lang i18n.Lang, f string) string {
	switch f {
	case "password", "totp", "passkey", "recovery", "sudo":
		return i18n.T(lang, "system.factor."+f)
	case "":
		return "-"
	}
	return f
}

// logsPage is what system_logs.html shows.
type logsPage struct {
	Enabled  bool
	Capacity int
	Level    string // "", "warn" or "error"
	Records  []Record
	Kept     int
}

func (a *Admin) logs(w http.ResponseWriter, r *http.Request) error {
	p := &logsPage{Level: r.URL.Query().Get("level")}
	if p.Level != "error" {
		p.Level = ""
	}
	if a.Recent != nil {
		p.Enabled, p.Capacity = true, a.Recent.Capacity()
		all := a.Recent.Records()
		p.Kept = len(all)
		for _, rec := range all {
			if p.Level == "error" && rec.Level < slog.LevelError {
				continue
			}
			rec.Time = rec.Time.In(jst)
			p.Records = append(p.Records, rec)
		}
	}
	return a.Shell.Page(w, r, http.StatusOK, "system_logs", "system.nav.logs", p)
}
