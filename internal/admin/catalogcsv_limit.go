package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

// multipartSlack is what a multipart body adds to the file it carries
// (boundaries, part headers, the CSRF token and the kind), so that a
// file of exactly the limit is accepted.
const multipartSlack = 64 << 10

// csvUploadLimit is the operator's CSV upload limit in bytes; when the
// settings cannot be read, the default.
func (c *Catalog) csvUploadLimit(ctx context.Context) int64 {
	n, err := c.h.Settings.CSVUploadLimit(ctx)
	if err != nil {
		c.h.Log.Warn("csv upload limit: settings unreadable, using the default", "err", err)
	}
	return n
}

// csvLimitSave sets the CSV upload limit in MB, within the allowed range.
// POST /{admin}/catalog-csv/limit (max_mb)
func (c *Catalog) csvLimitSave(w http.ResponseWriter, r *http.Request) error {
	v := strings.TrimSpace(r.PostFormValue("max_mb"))
	mb, err := strconv.Atoi(v)
	if err != nil || mb < settings.CSVUploadMinMB || mb > settings.CSVUploadMaxMBCap {
		p := &csvPage{Kind: "products", LimitMB: v, LimitError: "ops.csv.limit_invalid"}
		return c.page(w, r, http.StatusUnprocessableEntity, p)
	}
	err = c.h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := c.h.Settings.Set(r.Context(), tx, map[string]string{settings.CSVUploadMaxMB: strconv.Itoa(mb)}); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "settings.csv_limit", "", map[string]any{"max_mb": mb}))
		return err
	})
	if err != nil {
		return err
	}
	return c.h.flashBack(w, r, "admin.settings.saved", "/catalog-csv")
}

// page renders the CSV page with the current limit filled in.
func (c *Catalog) page(w http.ResponseWriter, r *http.Request, status int, p *csvPage) error {
	limit := c.csvUploadLimit(r.Context())
	p.MaxMB = int(limit >> 20)
	if p.LimitMB == "" {
		p.LimitMB = strconv.Itoa(p.MaxMB)
	}
	p.MinMB, p.CapMB = settings.CSVUploadMinMB, settings.CSVUploadMaxMBCap
	p.CanSet = Current(r).Can(AreaSettings, Write)
	if p.ErrorArgs != nil {
		p.ErrorText = web.T(r, p.Error, p.ErrorArgs...)
	}
	return c.h.Page(w, r, status, "admin_catalogcsv", "admin_products.csv.title", p)
}
