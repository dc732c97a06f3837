package admin

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/web"
)

type auditPage struct {
	Entries       []audit.Entry
	Total         int
	Actor, Action string
	From, To      string
	Page, Pages   int
	Query         string
}

var jst = time.FixedZone("JST", 9*3600)

// auditFilter reads the viewer's filters; dates are days in JST.
func auditFilter(r *http.Request) (audit.Filter, *auditPage) {
	q := r.URL.Query()
	p := &auditPage{Actor: q.Get("actor"), Action: q.Get("action"), From: q.Get("from"), To: q.Get("to")}
	f := audit.Filter{Actor: p.Actor, Action: p.Action, Limit: 100}
	if t, err := time.ParseInLocation("2006-01-02", p.From, jst); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", p.To, jst); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	p.Page, _ = strconv.Atoi(q.Get("page"))
	p.Page = max(p.Page, 1)
	f.Offset = (p.Page - 1) * f.Limit
	return f, p
}

// auditLog shows the audit log with filters. GET /{admin}/audit
func (h *Handlers) auditLog(w http.ResponseWriter, r *http.Request, c *current) error {
	f, p := auditFilter(r)
	var err error
	if p.Entries, p.Total, err = audit.List(r.Context(), h.DB, f); err != nil {
		return err
	}
	p.Pages = (p.Total + f.Limit - 1) / f.Limit
	p.Query = r.URL.RawQuery
	return h.page(w, r, http.StatusOK, "admin_audit", "admin.audit.title", p)
}

// AuditExport is the audit log's export for the operator's column
// settings; its headings are the entries' field names.
var AuditExport = csvcols.Of("audit", "admin13.csv.type.audit", string(AreaAudit),
	"id", "at", "actor", "action", "target", "address", "user_agent", "details", "hash")

// auditCSV exports the filtered log (up to 10,000 entries) as CSV.
// GET /{admin}/audit.csv
func (h *Handlers) auditCSV(w http.ResponseWriter, r *http.Request, c *current) error {
	f, _ := auditFilter(r)
	f.Limit, f.Offset = 10000, 0
	entries, _, err := audit.List(r.Context(), h.DB, f)
	if err != nil {
		return err
	}
	h.audit(r, c.admin, "audit.exported", "", map[string]any{"rows": len(entries)})
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit.csv"`)
	cw := csv.NewWriter(w)
	sel, err := csvcols.NewWriter(r.Context(), h.DB, cw, AuditExport, func(k string) string { return web.T(r, k) })
	if err != nil {
		return err
	}
	for _, e := range entries {
		d, _ := json.Marshal(e.Details)
		sel.Write([]string{strconv.FormatInt(e.ID, 10), e.At.In(jst).Format(time.RFC3339), csvSafe(e.Actor), csvSafe(e.Action), csvSafe(e.Target), e.Address, csvSafe(e.UserAgent), csvSafe(string(d)), e.Hash})
	}
	return sel.Flush()
}

// csvSafe defuses spreadsheet formulas in values an attacker may have
// typed (a user agent, an email tried at sign-in).
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
