package recommend

import (
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

// Shell is what the screen needs of the admin shell (admin.Section).
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the おすすめ商品 screen: the picks with their order and
// period, a form to add one, and the time "also bought" was computed.
// Every change is audited and renews the pages that show the picks.
type Admin struct {
	Store *Store
	Shell Shell
	// Changed renews the top page and the product pages (where picks
	// show); Touch renews some product pages.
	Changed func()
	Touch   func(ids ...int64)
	Now     func() time.Time
}

// Path of the screen under the admin.
const Path = "/recommendations"

var jst = time.FixedZone("JST", 9*3600)

// Mount registers the template and routes.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET "+Path, a.page)
	a.Shell.Write(mux, "POST "+Path, a.add)
	a.Shell.Write(mux, "POST "+Path+"/refresh", a.refresh)
	a.Shell.Write(mux, "POST "+Path+"/{id}", a.update)
	a.Shell.Write(mux, "POST "+Path+"/{id}/remove", a.remove)
	return nil
}

type pickRow struct {
	Pick
	StateKey      string
	StateName     string // now, later, over
	Starts, Until string // YYYY-MM-DD in JST; Until inclusive
}

type pageView struct {
	Picks     []pickRow
	Form      map[string]string
	Errors    map[string]string
	Error     string
	Refreshed string // when also_bought was last computed, JST
}

func (a *Admin) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Admin) render(w http.ResponseWriter, r *http.Request, status int, v *pageView) error {
	picks, err := a.Store.Picks(r.Context())
	if err != nil {
		return err
	}
	now := a.now()
	for _, p := range picks {
		row := pickRow{Pick: p, StateKey: "recommend.admin.state_" + p.State(now), StateName: p.State(now)}
		if p.Starts != nil {
			row.Starts = p.Starts.In(jst).Format(time.DateOnly)
		}
		if p.End != nil {
			row.Until = p.End.In(jst).AddDate(0, 0, -1).Format(time.DateOnly)
		}
		v.Picks = append(v.Picks, row)
	}
	at, err := a.Store.RefreshedAt(r.Context())
	if err != nil {
		return err
	}
	if at != nil {
		v.Refreshed = at.In(jst).Format("2006-01-02 15:04")
	}
	if v.Form == nil {
		v.Form = map[string]string{"order": strconv.Itoa(len(picks) * 10)}
	}
	return a.Shell.Page(w, r, status, "admin_recommendations", "recommend.admin.title", v)
}

func (a *Admin) page(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, &pageView{})
}

// period reads the order and the JST dates of a form (the end date is
// inclusive, stored as the next midnight), or the field errors.
func period(r *http.Request) (order int, starts, end *time.Time, errs map[string]string) {
	errs = web.FieldErrors(r, nil)
	order, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("order")))
	if err != nil || order < 0 || order > 9999 {
		errs["order"] = "recommend.err.order"
	}
	date := func(field string) *time.Time {
		v := strings.TrimSpace(r.PostFormValue(field))
		if v == "" {
			return nil
		}
		t, err := time.ParseInLocation(time.DateOnly, v, jst)
		if err != nil || t.Year() < 2000 || t.Year() > 2999 {
			errs[field] = "recommend.err.date"
			return nil
		}
		return &t
	}
	starts, until := date("starts"), date("until")
	if until != nil {
		e := until.AddDate(0, 0, 1)
		end = &e
	}
	if starts != nil && until != nil && until.Before(*starts) {
		errs["until"] = "recommend.err.period"
	}
	return order, starts, end, errs
}

func formOf(r *http.Request) map[string]string {
	return map[string]string{"slug": r.PostFormValue("slug"), "order": r.PostFormValue("order"),
		"starts": r.PostFormValue("starts"), "until": r.PostFormValue("until")}
}

// add serves POST /{admin}/recommendations.
func (a *Admin) add(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := strings.TrimSpace(r.PostFormValue("slug"))
	order, starts, end, errs := period(r)
	if slug == "" || len(slug) > 200 {
		errs["slug"] = "recommend.err.product"
	}
	if len(errs) > 0 {
		return a.render(w, r, http.StatusUnprocessableEntity, &pageView{Form: formOf(r), Errors: errs, Error: web.T(r, "error.invalid")})
	}
	err := a.Store.DB.Tx(ctx, func(tx *db.Tx) error {
		pid, err := a.Store.Add(ctx, tx, slug, order, starts, end)
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, a.Shell.Audit(r, "recommend.add", slug, map[string]any{"product_id": pid, "order": order,
			"starts": r.PostFormValue("starts"), "until": r.PostFormValue("until")}))
		return err
	})
	if se, ok := err.(*shop.Error); ok && se.Fields != nil {
		return a.render(w, r, web.Status(err), &pageView{Form: formOf(r), Errors: se.Fields, Error: web.Message(r, err)})
	}
	if err != nil {
		return err
	}
	a.Changed()
	return a.Shell.Done(w, r, "recommend.admin.added", Path)
}

// update serves POST /{admin}/recommendations/{id}: order and period.
func (a *Admin) update(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	order, starts, end, errs := period(r)
	if len(errs) > 0 {
		msg := ""
		for _, k := range errs {
			msg = web.T(r, k)
		}
		return a.render(w, r, http.StatusUnprocessableEntity, &pageView{Error: msg})
	}
	err = a.Store.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := a.Store.Update(ctx, tx, id, order, starts, end); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "recommend.update", strconv.FormatInt(id, 10), map[string]any{"order": order,
			"starts": r.PostFormValue("starts"), "until": r.PostFormValue("until")}))
		return err
	})
	if err != nil {
		return err
	}
	a.Changed()
	return a.Shell.Done(w, r, "recommend.admin.saved", Path)
}

// remove serves POST /{admin}/recommendations/{id}/remove.
func (a *Admin) remove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	err = a.Store.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := a.Store.Remove(ctx, tx, id); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, a.Shell.Audit(r, "recommend.remove", strconv.FormatInt(id, 10), nil))
		return err
	})
	if err != nil {
		return err
	}
	a.Changed()
	return a.Shell.Done(w, r, "recommend.admin.removed", Path)
}

// refresh serves POST /{admin}/recommendations/refresh: "also bought"
// computed now instead of at the worker's next round (after an import of
// past orders, say). Another instance's refresh under way makes it a
// no-op.
func (a *Admin) refresh(w http.ResponseWriter, r *http.Request) error {
	changed, err := a.Store.Refresh(r.Context())
	if len(changed) > 0 {
		a.Touch(changed...)
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "recommend.admin.refreshed", Path)
}
