package coupon

import (
	"context"
	"embed"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Admin serves the coupon screens: the list, a coupon with its uses, the
// form for one code and the form that generates many. Coupons are money,
// so they belong to the settings area (owners and managers).
type Admin struct {
	DB    *db.DB
	Shell Shell
}

// Shell is what the coupon screens need of the admin shell;
// admin.Section satisfies it (the settings area's, wired in cmd/akinai,
// which also adds the menu entry).
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Mount registers the pages.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	s := a.Shell
	s.Read(mux, "GET /coupons", a.list)
	s.Write(mux, "GET /coupons/new", a.newForm)
	s.Write(mux, "POST /coupons/new", a.create)
	s.Write(mux, "GET /coupons/bulk", a.newForm)
	s.Write(mux, "POST /coupons/bulk", a.create)
	s.Read(mux, "GET /coupons/{id}", a.view)
	s.Write(mux, "POST /coupons/{id}/active", a.setActive)
	return nil
}

const pageSize = 50

type listPage struct {
	Q       string
	Coupons []Coupon
	Total   int
	Page    int
	Pages   int
}

// list shows the coupons, newest first, filtered by code, name or batch.
func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	cs, total, err := List(r.Context(), a.DB, q, pageSize, (page-1)*pageSize)
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_coupons", "coupon.title", &listPage{Q: q, Coupons: cs, Total: total, Page: page, Pages: (total + pageSize - 1) / pageSize})
}

// Rank is a customer rank to choose.
type Rank struct {
	ID   int64
	Name string
}

// Category is a category to choose.
type Category struct {
	ID   int64
	Name string
}

type formPage struct {
	Bulk       bool
	F          map[string]string
	Cats       map[int64]bool
	Fields     map[string]string
	Error      string
	Ranks      []Rank
	Categories []Category
}

func (a *Admin) choices(ctx context.Context, d *formPage, en bool) error {
	rows, err := a.DB.Query(ctx, `SELECT id, name_ja, name_en FROM customer_ranks ORDER BY sort_order, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rk Rank
		var ja, e string
		if err := rows.Scan(&rk.ID, &ja, &e); err != nil {
			rows.Close()
			return err
		}
		rk.Name = pick(en, ja, e)
		d.Ranks = append(d.Ranks, rk)
	}
	rows.Close()
	rows, err = a.DB.Query(ctx, `SELECT id, name_ja, name_en FROM categories ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c Category
		var ja, e string
		if err := rows.Scan(&c.ID, &ja, &e); err != nil {
			return err
		}
		c.Name = pick(en, ja, e)
		d.Categories = append(d.Categories, c)
	}
	return rows.Err()
}

func pick(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}

func (a *Admin) form(w http.ResponseWriter, r *http.Request, status int, d *formPage) error {
	if err := a.choices(r.Context(), d, web.Info(r).Lang == "en"); err != nil {
		return err
	}
	title := "coupon.new_title"
	if d.Bulk {
		title = "coupon.bulk_title"
	}
	return a.Shell.Page(w, r, status, "admin_coupon_form", title, d)
}

// newForm shows the empty form: one code, or (at /coupons/bulk) many.
func (a *Admin) newForm(w http.ResponseWriter, r *http.Request) error {
	d := &formPage{Bulk: strings.HasSuffix(r.URL.Path, "/bulk"), F: map[string]string{"kind": Fixed, "scope": ScopeOrder, "count": "100"}, Cats: map[int64]bool{}}
	return a.form(w, r, http.StatusOK, d)
}

// create stores the coupon of the form, or generates the batch, with an
// audit entry, and shows the form again with the reasons when it is
// wrong.
func (a *Admin) create(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	bulk := strings.HasSuffix(r.URL.Path, "/bulk")
	c, f, cats, fields := ReadForm(ctx, a.DB, r, bulk)
	d := &formPage{Bulk: bulk, F: f, Cats: cats, Fields: fields}
	if len(fields) > 0 {
		return a.form(w, r, http.StatusUnprocessableEntity, d)
	}
	var target string
	err := a.DB.Tx(ctx, func(tx *db.Tx) error {
		details := map[string]any{"kind": c.Kind, "amount": c.Amount, "scope": c.Scope, "max_uses": c.MaxUses}
		if bulk {
			n, _ := strconv.Atoi(f["count"])
			codes, err := Generate(ctx, tx, *c, f["prefix"], n)
			if err != nil {
				return err
			}
			details["count"] = len(codes)
			target = c.Batch
			_, err = audit.Append(ctx, tx, a.Shell.Audit(r, "coupon.generated", c.Batch, details))
			return err
		}
		if err := Create(ctx, tx, c); err != nil {
			return err
		}
		target = strconv.FormatInt(c.ID, 10)
		_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "coupon.created", c.Code, details))
		return err
	})
	if se, ok := err.(*shop.Error); ok && se.Fields != nil {
		d.Fields = se.Fields
		return a.form(w, r, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	if bulk {
		return a.Shell.Done(w, r, "coupon.generated", "/coupons?q="+target)
	}
	return a.Shell.Done(w, r, "admin.saved", "/coupons/"+target)
}

type viewPage struct {
	C    *Coupon
	Uses []Use
}

// view shows a coupon and the orders that used it.
func (a *Admin) view(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	c, err := ByID(r.Context(), a.DB, id)
	if err != nil {
		return err
	}
	uses, err := Uses(r.Context(), a.DB, id)
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_coupon", "coupon.view_title", &viewPage{C: c, Uses: uses})
}

// setActive enables or disables a coupon.
func (a *Admin) setActive(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	on := r.PostFormValue("active") == "1"
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := SetActive(r.Context(), tx, id, on); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "coupon.active", strconv.FormatInt(id, 10), map[string]any{"active": on}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "admin.saved", "/coupons/"+strconv.FormatInt(id, 10))
}

// jst is Japan time, in which the operator types the period.
var jst = time.FixedZone("JST", 9*60*60)
