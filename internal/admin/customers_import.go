package admin

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/rank"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// customerImportRoutes mounts 会員CSV登録: upload → dry run with a
// line-by-line report → import. Every step needs write access: the
// upload holds personal data, and only its uploader may see it.
func (h *Handlers) customerImportRoutes(mux *http.ServeMux) {
	h.Mount(mux, "GET /customers/import", AreaCustomers, Write, false, h.customerImportForm)
	h.Mount(mux, "POST /customers/import", AreaCustomers, Write, false, h.customerImportUpload)
	h.Mount(mux, "GET /customer-imports/{id}", AreaCustomers, Write, false, h.customerImportReport)
	h.Mount(mux, "POST /customer-imports/{id}", AreaCustomers, Write, false, h.customerImportRun)
}

// importPreview bounds the rows the report lists (the problems are all
// listed).
const importPreview = 100

// customerImportData is admin_customer_import.html.
type customerImportData struct {
	ID       int64
	Filename string
	Status   string // "" before an upload
	Check    *customer.ImportCheck
	Preview  []customer.ImportRow
	Problems []importProblem
	Created  int
	Failed   int
	SendLink bool
	Error    string
	MaxRows  int
	MaxMB    int
	Ranks    map[int64]string // rank names for the preview
}

// importProblem is a problem in words.
type importProblem struct {
	Line    int
	Field   string
	Message string
}

func (h *Handlers) customerImportPage(w http.ResponseWriter, r *http.Request, status int, d *customerImportData) error {
	d.MaxRows, d.MaxMB = customer.MaxImportRows, customer.MaxImportBytes>>20
	if d.Check != nil {
		for _, p := range d.Check.Problems {
			field := ""
			if p.Field != "" {
				field = web.T(r, "customers13.import.field."+p.Field)
			}
			d.Problems = append(d.Problems, importProblem{Line: p.Line, Field: field, Message: web.T(r, p.Key, p.Args...)})
		}
		d.Preview = d.Check.Rows[:min(len(d.Check.Rows), importPreview)]
		list, err := rank.List(r.Context(), h.DB)
		if err != nil {
			return err
		}
		d.Ranks = map[int64]string{}
		for _, rk := range list {
			d.Ranks[rk.ID] = rk.Name(string(web.Info(r).Lang))
		}
	}
	return h.Page(w, r, status, "admin_customer_import", "customers13.import_title", d)
}

func (h *Handlers) customerImportForm(w http.ResponseWriter, r *http.Request) error {
	return h.customerImportPage(w, r, http.StatusOK, &customerImportData{})
}

// customerImportUpload keeps the file for its uploader (and drops uploads
// older than a day, which hold personal data), then shows the dry run.
// POST /{admin}/customers/import (multipart: file, send_links)
func (h *Handlers) customerImportUpload(w http.ResponseWriter, r *http.Request) error {
	d := &customerImportData{SendLink: r.FormValue("send_links") == "1"}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			d.Error = web.T(r, "customers13.import.too_large", customer.MaxImportBytes>>20)
			return h.customerImportPage(w, r, http.StatusRequestEntityTooLarge, d)
		}
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	d.SendLink = r.PostFormValue("send_links") == "1"
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		d.Error = web.T(r, "customers13.import.no_file")
		return h.customerImportPage(w, r, http.StatusUnprocessableEntity, d)
	}
	if fhs[0].Size > customer.MaxImportBytes {
		d.Error = web.T(r, "customers13.import.too_large", customer.MaxImportBytes>>20)
		return h.customerImportPage(w, r, http.StatusRequestEntityTooLarge, d)
	}
	f, err := fhs[0].Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, customer.MaxImportBytes+1))
	if err != nil {
		return err
	}
	var id int64
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		now := tx.Now()
		if _, err := tx.Exec(r.Context(), `DELETE FROM customer_imports WHERE created_at < ?`, now.Add(-customerImportKeep)); err != nil {
			return err
		}
		err := tx.QueryRow(r.Context(), `INSERT INTO customer_imports (admin_id, filename, data, status, send_links, created_at, updated_at)
			VALUES (?, ?, ?, 'checked', ?, ?, ?) RETURNING id`, Current(r).ID, filepath.Base(fhs[0].Filename), data, d.SendLink, now, now).Scan(&id)
		if err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, "customer.import_upload", strconv.FormatInt(id, 10), map[string]any{"bytes": len(data)}))
		return err
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s/customer-imports/%d", h.base, id), http.StatusSeeOther)
	return nil
}

// customerImport is a stored upload.
type customerImport struct {
	ID                int64
	Filename, Status  string
	Data              []byte
	SendLinks         bool
	Created, FailedAt int
}

// loadImport returns the upload {id} if the signed-in admin made it;
// anyone else's is NotFound, as is one past customerImportKeep.
func (h *Handlers) loadImport(ctx context.Context, r *http.Request) (*customerImport, error) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var im customerImport
	err := h.DB.QueryRow(ctx, `SELECT id, filename, status, data, send_links, created, failed_line FROM customer_imports
		WHERE id = ? AND admin_id = ? AND created_at >= ?`, id, Current(r).ID, h.DB.Now().Add(-customerImportKeep)).
		Scan(&im.ID, &im.Filename, &im.Status, &im.Data, &im.SendLinks, &im.Created, &im.FailedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	return &im, err
}

// rankLookup finds a rank by ID or by its name in either language.
func (h *Handlers) rankLookup(ctx context.Context) (customer.RankLookup, error) {
	list, err := rank.List(ctx, h.DB)
	if err != nil {
		return nil, err
	}
	return func(v string) (int64, bool) {
		for _, rk := range list {
			if v == rk.NameJA || v == rk.NameEN || v == strconv.FormatInt(rk.ID, 10) {
				return rk.ID, true
			}
		}
		return 0, false
	}, nil
}

// checkImport runs the dry run on a stored upload.
func (h *Handlers) checkImport(ctx context.Context, im *customerImport) (*customer.ImportCheck, error) {
	ranks, err := h.rankLookup(ctx)
	if err != nil {
		return nil, err
	}
	return customer.CheckImport(ctx, h.DB, bytes.NewReader(im.Data), ranks)
}

// customerImportReport shows the dry run of an upload (checked again
// each time: the customers may have changed), or the import's outcome.
func (h *Handlers) customerImportReport(w http.ResponseWriter, r *http.Request) error {
	im, err := h.loadImport(r.Context(), r)
	if err != nil {
		return err
	}
	d := &customerImportData{ID: im.ID, Filename: im.Filename, Status: im.Status, SendLink: im.SendLinks, Created: im.Created, Failed: im.FailedAt}
	if im.Status == "checked" {
		if d.Check, err = h.checkImport(r.Context(), im); err != nil {
			return err
		}
	}
	return h.customerImportPage(w, r, http.StatusOK, d)
}

// customerImportRun imports a clean upload: checked once more, then
// written ImportBatch rows per transaction, each with its audit entry
// (line range and count, no personal data). The upload's data is emptied
// afterwards. A file with problems writes nothing (422).
func (h *Handlers) customerImportRun(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	im, err := h.loadImport(ctx, r)
	if err != nil {
		return err
	}
	d := &customerImportData{ID: im.ID, Filename: im.Filename, Status: im.Status, SendLink: im.SendLinks}
	if im.Status != "checked" {
		d.Error = web.T(r, "customers13.import.already")
		return h.customerImportPage(w, r, http.StatusConflict, d)
	}
	if d.Check, err = h.checkImport(ctx, im); err != nil {
		return err
	}
	if !d.Check.OK() {
		d.Error = web.T(r, "customers13.import.not_clean")
		return h.customerImportPage(w, r, http.StatusUnprocessableEntity, d)
	}
	// Claim the upload: a second click finds it taken.
	n, err := db.RowsAffected(h.DB.Exec(ctx, `UPDATE customer_imports SET status = 'importing', updated_at = ? WHERE id = ? AND status = 'checked'`, h.DB.Now(), im.ID))
	if err != nil {
		return err
	}
	if n == 0 {
		d.Error = web.T(r, "customers13.import.already")
		return h.customerImportPage(w, r, http.StatusConflict, d)
	}
	store := customer.NewStore(h.DB, h.Config.BaseURL)
	res := store.Import(ctx, d.Check, im.SendLinks, func(tx *db.Tx, first, last int, ids []int64) error {
		_, err := audit.Append(ctx, tx, AuditEntry(r, "customer.import", strconv.FormatInt(im.ID, 10),
			map[string]any{"lines": fmt.Sprintf("%d-%d", first, last), "count": len(ids), "first_id": ids[0], "password_links": im.SendLinks}))
		return err
	})
	status := "done"
	if res.Err != nil {
		status = "failed"
	}
	// Context-free: the outcome is recorded even if the admin left.
	if _, err := h.DB.Exec(context.WithoutCancel(ctx), `UPDATE customer_imports SET status = ?, created = ?, failed_line = ?, data = ?, updated_at = ? WHERE id = ?`,
		status, res.Created, res.Failed, []byte{}, h.DB.Now(), im.ID); err != nil {
		return err
	}
	if res.Err != nil {
		h.Log.Warn("customer import stopped", "import", im.ID, "line", res.Failed, "err", res.Err)
	}
	web.SetFlash(w, r, "customers13.import.finished")
	http.Redirect(w, r, fmt.Sprintf("%s/customer-imports/%d", h.base, im.ID), http.StatusSeeOther)
	return nil
}

// customerImportKeep is how long an upload is kept (it holds personal
// data): the dry run and the import must happen within it.
const customerImportKeep = 24 * time.Hour
