package magazine

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Admin serves the mail magazine screens: the list with each send's
// figures, compose (text and HTML, a sandboxed preview), the segment with
// its count, a test send, scheduling and cancelling.
type Admin struct {
	Store  *Store
	Shell  *admin.Handlers
	Tokens Tokens
	// BaseURL is the shop's public URL (the unsubscribe link in previews
	// and test sends).
	BaseURL string
}

// Mount registers the pages and the sidebar group メルマガ管理.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/admin_*.html"); err != nil {
		return err
	}
	a.Shell.AddNav("magazine.nav.group", admin.NavItem{Area: admin.AreaMail, Path: "/magazine", Label: "magazine.nav.list"})
	a.Shell.AddNav("magazine.nav.group", admin.NavItem{Area: admin.AreaMail, Path: "/magazine/new", Label: "magazine.nav.new"})
	h := a.Shell
	h.Mount(mux, "GET /magazine", admin.AreaMail, admin.Read, false, a.list)
	h.Mount(mux, "GET /magazine/new", admin.AreaMail, admin.Write, false, a.newForm)
	h.Mount(mux, "POST /magazine/new", admin.AreaMail, admin.Write, false, a.save)
	h.Mount(mux, "POST /magazine/preview", admin.AreaMail, admin.Read, false, a.previewPost)
	h.Mount(mux, "GET /magazine/{id}", admin.AreaMail, admin.Read, false, a.show)
	h.Mount(mux, "GET /magazine/{id}/preview", admin.AreaMail, admin.Read, false, a.previewSaved)
	h.Mount(mux, "POST /magazine/{id}", admin.AreaMail, admin.Write, false, a.save)
	h.Mount(mux, "POST /magazine/{id}/test", admin.AreaMail, admin.Write, false, a.test)
	h.Mount(mux, "POST /magazine/{id}/schedule", admin.AreaMail, admin.Write, false, a.schedule)
	h.Mount(mux, "POST /magazine/{id}/cancel", admin.AreaMail, admin.Write, false, a.cancel)
	return nil
}

type listRow struct {
	*Magazine
	Stats Stats
}

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	ms, err := a.Store.Magazines(r.Context(), 100)
	if err != nil {
		return err
	}
	rows := make([]listRow, 0, len(ms))
	for _, m := range ms {
		s, err := a.Store.Stats(r.Context(), m.ID)
		if err != nil {
			return err
		}
		rows = append(rows, listRow{m, s})
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_magazines", "magazine.nav.list", rows)
}

// option is one choice of a select.
type option struct {
	Value int64
	Label string
}

// formPage is what admin_magazine.html shows.
type formPage struct {
	M        *Magazine
	Fields   map[string]string // field → i18n key of its problem
	Error    string            // i18n key of a refusal of the whole form
	Matching int               // customers the segment selects now
	Counted  bool
	Stats    Stats
	Failures []Failure
	Prefs    []option
	Ranks    []option
	Cats     []option
	TestTo   string
	Now      string // the schedule field's default, JST
}

func (a *Admin) newForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, &formPage{M: &Magazine{Status: Draft, Rate: DefaultRate}})
}

func (a *Admin) render(w http.ResponseWriter, r *http.Request, status int, p *formPage) error {
	ctx := r.Context()
	if err := a.options(ctx, p, web.Lang(r) == "en"); err != nil {
		return err
	}
	if p.M.ID != 0 {
		var err error
		if p.Stats, err = a.Store.Stats(ctx, p.M.ID); err != nil {
			return err
		}
		if p.Failures, err = a.Store.Failures(ctx, p.M.ID, 50); err != nil {
			return err
		}
		if p.M.Editable() && p.Fields == nil {
			if p.Matching, err = a.Store.Count(ctx, p.M.Segment); err != nil {
				return err
			}
			p.Counted = true
		}
	}
	if _, email := a.shellActor(r); p.TestTo == "" {
		p.TestTo = email
	}
	p.Now = time.Now().In(jst).Add(time.Hour).Truncate(time.Hour).Format("2006-01-02T15:04")
	title := "magazine.nav.new"
	if p.M.ID != 0 {
		title = "magazine.title"
	}
	return a.Shell.Page(w, r, status, "admin_magazine", title, p)
}

func (a *Admin) shellActor(r *http.Request) (int64, string) {
	return a.Shell.Section(admin.AreaMail).Actor(r)
}

func (a *Admin) options(ctx context.Context, p *formPage, en bool) error {
	for _, pr := range jp.Prefectures() {
		label := pr.Name
		if en {
			label = pr.NameEn
		}
		p.Prefs = append(p.Prefs, option{int64(pr.Code), label})
	}
	var err error
	if p.Ranks, err = a.Store.names(ctx, `SELECT id, name_ja, name_en FROM customer_ranks ORDER BY sort_order, id`, en); err != nil {
		return err
	}
	p.Cats, err = a.Store.names(ctx, `SELECT id, name_ja, name_en FROM categories ORDER BY sort_order, id`, en)
	return err
}

func (a *Admin) load(r *http.Request) (*Magazine, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, shop.ErrNotFound
	}
	return a.Store.Magazine(r.Context(), id)
}

func (a *Admin) show(w http.ResponseWriter, r *http.Request) error {
	m, err := a.load(r)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, &formPage{M: m})
}

// parseForm reads the compose form into m; a number that is not one is
// reported by field.
func parseForm(r *http.Request, m *Magazine) map[string]string {
	bad := map[string]string{}
	m.Subject = r.PostFormValue("subject")
	m.Text = r.PostFormValue("text")
	m.HTML = r.PostFormValue("html")
	num := func(field string) int64 {
		v := strings.TrimSpace(r.PostFormValue(field))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(norm.NFKC.String(v), 10, 64)
		if err != nil || n < 0 {
			bad[field] = "magazine.err.number"
			return 0
		}
		return n
	}
	m.Rate = int(num("rate"))
	if _, ok := bad["rate"]; !ok && m.Rate == 0 {
		bad["rate"] = "magazine.err.rate"
	}
	m.Segment = Segment{
		Purchased: r.PostFormValue("purchased"), ProductID: num("product_id"), CategoryID: num("category_id"),
		MinTotal: shop.Yen(num("min_total")), MaxTotal: shop.Yen(num("max_total")),
		LastFrom: strings.TrimSpace(r.PostFormValue("last_from")), LastTo: strings.TrimSpace(r.PostFormValue("last_to")),
		Pref: int(num("pref")), RankID: num("rank_id"), MinAge: int(num("min_age")), MaxAge: int(num("max_age")),
	}
	return bad
}

// save creates or changes a draft. POST /magazine/new, /magazine/{id}
func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	m := &Magazine{Status: Draft}
	if r.PathValue("id") != "" {
		old, err := a.load(r)
		if err != nil {
			return err
		}
		m.ID, m.Status, m.CreatedBy = old.ID, old.Status, old.CreatedBy
	}
	bad := web.FieldErrors(r, parseForm(r, m))
	if m.ID == 0 {
		_, m.CreatedBy = a.shellActor(r)
	}
	if len(bad) == 0 {
		err := a.Store.Save(r.Context(), m, admin.AuditEntry(r, "", "", nil))
		var se *shop.Error
		switch {
		case err == nil:
			return a.Shell.Section(admin.AreaMail).Done(w, r, "magazine.saved", "/magazine/"+itoa(m.ID))
		case errors.As(err, &se) && se.Kind == shop.Invalid:
			bad = se.Fields
		case errors.As(err, &se) && se.Kind == shop.Conflict:
			return a.render(w, r, http.StatusConflict, &formPage{M: m, Error: se.Key})
		default:
			return err
		}
	}
	return a.render(w, r, http.StatusUnprocessableEntity, &formPage{M: m, Fields: bad})
}

// schedule queues the draft for a time (JST, "now" when empty).
// POST /magazine/{id}/schedule
func (a *Admin) schedule(w http.ResponseWriter, r *http.Request) error {
	m, err := a.load(r)
	if err != nil {
		return err
	}
	at := time.Now()
	if v := strings.TrimSpace(r.PostFormValue("at")); v != "" && r.PostFormValue("when") == "later" {
		t, perr := time.ParseInLocation("2006-01-02T15:04", v, jst)
		if perr != nil {
			return a.render(w, r, http.StatusUnprocessableEntity, &formPage{M: m, Fields: map[string]string{"at": "magazine.err.date"}})
		}
		at = t
	}
	err = a.Store.Schedule(r.Context(), m.ID, at, admin.AuditEntry(r, "", "", nil))
	var se *shop.Error
	if errors.As(err, &se) && (se.Kind == shop.Invalid || se.Kind == shop.Conflict) {
		status := http.StatusUnprocessableEntity
		if se.Kind == shop.Conflict {
			status = http.StatusConflict
		}
		return a.render(w, r, status, &formPage{M: m, Error: se.Key})
	}
	if err != nil {
		return err
	}
	return a.Shell.Section(admin.AreaMail).Done(w, r, "magazine.scheduled", "/magazine/"+itoa(m.ID))
}

// cancel stops a scheduled or running send. POST /magazine/{id}/cancel
func (a *Admin) cancel(w http.ResponseWriter, r *http.Request) error {
	m, err := a.load(r)
	if err != nil {
		return err
	}
	err = a.Store.Cancel(r.Context(), m.ID, admin.AuditEntry(r, "", "", nil))
	var se *shop.Error
	if errors.As(err, &se) && se.Kind == shop.Conflict {
		return a.render(w, r, http.StatusConflict, &formPage{M: m, Error: se.Key})
	}
	if err != nil {
		return err
	}
	return a.Shell.Section(admin.AreaMail).Done(w, r, "magazine.cancelled", "/magazine/"+itoa(m.ID))
}
