package admin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// importProgress counts the rows a running check or import has read, on
// the instance running it (the import's transaction holds SQLite's only
// writer, so the count cannot go to the database meanwhile).
type importProgress struct{ m sync.Map } // token → *atomic.Int64

func (p *importProgress) start(token string) *atomic.Int64 {
	n := &atomic.Int64{}
	p.m.Store(token, n)
	return n
}

func (p *importProgress) get(token string) (int64, bool) {
	v, ok := p.m.Load(token)
	if !ok {
		return 0, false
	}
	return v.(*atomic.Int64).Load(), true
}

// importTimeout bounds a check or an import running in the background.
const importTimeout = 30 * time.Minute

func (c *Catalog) csvRoutes(mux *http.ServeMux) {
	m := c.h.Mount
	m(mux, "GET /catalog-csv", AreaProducts, Read, false, c.csvPage)
	m(mux, "GET /catalog-csv/products.csv", AreaProducts, Read, false, c.csvExportProducts)
	m(mux, "GET /catalog-csv/categories.csv", AreaProducts, Read, false, c.csvExportCategories)
	m(mux, "GET /catalog-csv/template.csv", AreaProducts, Read, false, c.csvTemplate)
	m(mux, "POST /catalog-csv/import", AreaProducts, Write, false, c.csvUpload)
	m(mux, "GET /catalog-csv/import/{token}", AreaProducts, Read, false, c.csvImportPage)
	m(mux, "POST /catalog-csv/import/{token}", AreaProducts, Write, false, c.csvConfirm)
	m(mux, "POST /catalog-csv/limit", AreaSettings, Write, false, c.csvLimitSave)
}

type csvPage struct {
	Error     string
	ErrorArgs []any
	ErrorText string // Error with ErrorArgs
	Kind      string
	// The upload limit: in force, as typed in its form, its range, and
	// whether this admin may change it.
	MaxMB, MinMB, CapMB int
	LimitMB, LimitError string
	CanSet              bool
}

// csvPage shows the export links, the templates and the upload form.
// GET /{admin}/catalog-csv
func (c *Catalog) csvPage(w http.ResponseWriter, r *http.Request) error {
	return c.page(w, r, http.StatusOK, &csvPage{Kind: "products"})
}

func csvWriter(w http.ResponseWriter, r *http.Request, name string) (*csvfile.Writer, error) {
	enc, ok := csvfile.ParseEncoding(r.URL.Query().Get("enc"))
	if !ok {
		return nil, shop.Errorf(shop.Invalid, "error.invalid")
	}
	ct := "text/csv; charset=utf-8"
	if enc == csvfile.ShiftJIS {
		ct = "text/csv; charset=Shift_JIS"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return csvfile.NewWriter(w, enc)
}

// csvExportProducts streams every variant as a row.
// GET /{admin}/catalog-csv/products.csv?enc=utf8|sjis
func (c *Catalog) csvExportProducts(w http.ResponseWriter, r *http.Request) error {
	cw, err := csvWriter(w, r, "products.csv")
	if err != nil {
		return err
	}
	c.h.audit(r, Current(r), "catalog.exported", "products", nil)
	sel, err := csvcols.NewWriter(r.Context(), c.h.DB, cw, catalog.ProductExport, func(k string) string { return web.T(r, k) })
	if err != nil {
		return err
	}
	return catalog.ExportProducts(r.Context(), c.h.DB, sel)
}

// csvExportCategories writes the category tree.
// GET /{admin}/catalog-csv/categories.csv?enc=utf8|sjis
func (c *Catalog) csvExportCategories(w http.ResponseWriter, r *http.Request) error {
	cw, err := csvWriter(w, r, "categories.csv")
	if err != nil {
		return err
	}
	sel, err := csvcols.NewWriter(r.Context(), c.h.DB, cw, catalog.CategoryExport, func(k string) string { return web.T(r, k) })
	if err != nil {
		return err
	}
	return catalog.ExportCategories(r.Context(), c.store, sel)
}

// csvTemplate is the header row of an import file.
// GET /{admin}/catalog-csv/template.csv?kind=products|categories&enc=…
func (c *Catalog) csvTemplate(w http.ResponseWriter, r *http.Request) error {
	cols := catalog.ProductColumns
	name := "products_template.csv"
	if r.URL.Query().Get("kind") == "categories" {
		cols, name = catalog.CategoryColumns, "categories_template.csv"
	}
	cw, err := csvWriter(w, r, name)
	if err != nil {
		return err
	}
	if err := cw.Write(cols); err != nil {
		return err
	}
	return cw.Flush()
}

// csvUpload keeps an uploaded file and starts its dry run in the
// background, then shows its progress page. Nothing of the catalogue is
// written. A file over the operator's limit is refused with 413 (a body
// far over it already by the middleware). POST /{admin}/catalog-csv/import
// (multipart: kind, file)
func (c *Catalog) csvUpload(w http.ResponseWriter, r *http.Request) error {
	limit := c.csvUploadLimit(r.Context())
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return c.page(w, r, http.StatusRequestEntityTooLarge, &csvPage{Kind: "products", Error: "ops.csv.too_large", ErrorArgs: []any{limit >> 20}})
		}
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	kind := r.PostFormValue("kind")
	if kind != "products" && kind != "categories" {
		kind = "products"
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		return c.page(w, r, http.StatusUnprocessableEntity, &csvPage{Kind: kind, Error: "admin_products.csv.no_file"})
	}
	if fhs[0].Size > limit {
		return c.page(w, r, http.StatusRequestEntityTooLarge, &csvPage{Kind: kind, Error: "ops.csv.too_large", ErrorArgs: []any{limit >> 20}})
	}
	f, err := fhs[0].Open()
	if err != nil {
		return err
	}
	defer f.Close()
	token := auth.NewToken()
	if err := catalog.SaveUpload(r.Context(), c.h.DB, token, kind, Current(r).ID, filepath.Base(fhs[0].Filename), f); err != nil {
		return err
	}
	n := c.progress.start(token)
	go c.runCheck(token, kind, n)
	http.Redirect(w, r, c.h.base+"/catalog-csv/import/"+token, http.StatusSeeOther)
	return nil
}

func (c *Catalog) importer(kind string) func(context.Context, db.Queryer, *db.Tx, io.Reader, func(int)) (*catalog.Report, error) {
	return func(ctx context.Context, q db.Queryer, tx *db.Tx, rd io.Reader, progress func(int)) (*catalog.Report, error) {
		if kind == "categories" {
			return catalog.ImportCategories(ctx, q, tx, rd, progress)
		}
		return catalog.ImportProducts(ctx, q, tx, rd, progress)
	}
}

// runCheck is the dry run: every row checked, nothing written.
func (c *Catalog) runCheck(token, kind string, n *atomic.Int64) {
	ctx, cancel := context.WithTimeout(context.Background(), importTimeout)
	defer cancel()
	rep, err := c.importer(kind)(ctx, c.h.DB, nil, catalog.UploadReader(ctx, c.h.DB, token), func(rows int) { n.Store(int64(rows)) })
	status := catalog.ImportChecked
	if err != nil {
		c.h.Log.Error("csv check failed", "token_prefix", token[:6], "err", err)
		status, rep = catalog.ImportFailed, &catalog.Report{Errors: []catalog.RowError{{Key: "admin_products.csv.error.internal"}}, Count: 1}
	}
	if err := catalog.SetImportResult(ctx, c.h.DB, token, status, rep); err != nil {
		c.h.Log.Error("csv check result", "err", err)
	}
}

type csvImportPage struct {
	Im       *catalog.Import
	Errors   []csvError
	Running  bool
	Progress int64
	Token    string
	More     int // errors counted past those kept
}

type csvError struct {
	Row             int
	Column, Message string
}

// csvImportPage shows a check's or an import's progress and result.
// GET /{admin}/catalog-csv/import/{token}
func (c *Catalog) csvImportPage(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	im, err := catalog.ImportByToken(r.Context(), c.h.DB, token)
	if err != nil {
		return err
	}
	// A run can never outlast importTimeout; one still "running" after it
	// died with its instance.
	if stale, err := catalog.AbandonStale(r.Context(), c.h.DB, token, c.h.DB.Now().Add(-importTimeout-time.Minute)); err != nil {
		return err
	} else if stale {
		if im, err = catalog.ImportByToken(r.Context(), c.h.DB, token); err != nil {
			return err
		}
	}
	p := &csvImportPage{Im: im, Token: token, Running: im.Status == catalog.ImportChecking || im.Status == catalog.ImportImporting}
	p.Progress, _ = c.progress.get(token)
	p.More = max(im.ErrorCount-len(im.Errors), 0)
	for _, e := range im.Errors {
		msg := web.T(r, e.Key)
		if strings.Contains(msg, "%") {
			msg = web.T(r, e.Key, e.Arg)
		}
		p.Errors = append(p.Errors, csvError{Row: e.Row, Column: e.Column, Message: msg})
	}
	return c.h.Page(w, r, http.StatusOK, "admin_catalogcsv_import", "admin_products.csv.import_title", p)
}

// csvConfirm imports a checked file without errors, all or nothing, in
// one transaction run in the background; the page shows its progress.
// POST /{admin}/catalog-csv/import/{token}
func (c *Catalog) csvConfirm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	im, err := catalog.ImportByToken(r.Context(), c.h.DB, token)
	if err != nil {
		return err
	}
	ok, err := catalog.ClaimImport(r.Context(), c.h.DB, token)
	if err != nil {
		return err
	}
	if !ok {
		return shop.Errorf(shop.Conflict, "admin_products.csv.not_ready")
	}
	entry := AuditEntry(r, "catalog.imported", im.Kind, map[string]any{"file": im.Filename, "rows": im.Rows})
	n := c.progress.start(token)
	go c.runImport(token, im.Kind, entry, n)
	http.Redirect(w, r, c.h.base+"/catalog-csv/import/"+token, http.StatusSeeOther)
	return nil
}

// errRolledBack undoes an import that found errors.
var errRolledBack = errors.New("import had errors")

func (c *Catalog) runImport(token, kind string, entry audit.Entry, n *atomic.Int64) {
	ctx, cancel := context.WithTimeout(context.Background(), importTimeout)
	defer cancel()
	var rep *catalog.Report
	err := c.h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		rep, err = c.importer(kind)(ctx, tx, tx, catalog.UploadReader(ctx, tx, token), func(rows int) { n.Store(int64(rows)) })
		if err != nil {
			return err
		}
		if rep.Count > 0 {
			return errRolledBack
		}
		entry.Details["products"] = rep.Products
		_, err = audit.Append(ctx, tx, entry)
		return err
	})
	status := catalog.ImportDone
	if err != nil {
		status = catalog.ImportFailed
		if !errors.Is(err, errRolledBack) {
			c.h.Log.Error("csv import failed", "token_prefix", token[:6], "err", err)
			rep = &catalog.Report{Errors: []catalog.RowError{{Key: "admin_products.csv.error.internal"}}, Count: 1}
		}
	}
	c.store.Invalidate()
	if err := catalog.SetImportResult(ctx, c.h.DB, token, status, rep); err != nil {
		c.h.Log.Error("csv import result", "err", err)
	}
}
