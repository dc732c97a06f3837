package review

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// Shell is what the review screens need of the admin shell
// (admin.Section satisfies it).
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Actor(r *http.Request) (int64, string)
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the moderation screens (レビュー管理): the reviews by status,
// one review with publish, reject and reply. Every change is audited and
// renews the product's page.
type Admin struct {
	Store *Store
	Shell Shell
	// Touch renews the cached pages of a product (catalog.Store
	// .TouchProducts).
	Touch func(ids ...int64)
}

// Path of the review list under the admin.
const Path = "/reviews"

// Mount registers the templates and routes.
func (a *Admin) Mount(r *web.Renderer, mux *http.ServeMux) error {
	if err := r.AddPages("admin", templateFS, "templates/admin_*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET "+Path, a.list)
	a.Shell.Read(mux, "GET "+Path+"/{id}", a.show)
	a.Shell.Write(mux, "POST "+Path+"/{id}/status", a.status)
	a.Shell.Write(mux, "POST "+Path+"/{id}/reply", a.reply)
	return nil
}

type listView struct {
	Status   string
	Statuses []string
	Counts   map[string]int
	Reviews  []Review
	Page     int
	More     bool
}

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	st := r.URL.Query().Get("status")
	if !slices.Contains(Statuses, st) {
		st = Pending
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	list, counts, err := a.Store.List(r.Context(), st, page)
	if err != nil {
		return err
	}
	v := &listView{Status: st, Statuses: Statuses, Counts: counts, Reviews: list, Page: page, More: counts[st] > page*PageSize}
	return a.Shell.Page(w, r, http.StatusOK, "admin_reviews", "review.admin.title", v)
}

type showView struct {
	R        *Review
	MaxReply int
	Error    string
}

func (a *Admin) load(r *http.Request) (*Review, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, shop.ErrNotFound
	}
	return a.Store.Review(r.Context(), id)
}

func (a *Admin) show(w http.ResponseWriter, r *http.Request) error {
	rv, err := a.load(r)
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_review", "review.admin.title", &showView{R: rv, MaxReply: MaxReply})
}

// status serves POST /{admin}/reviews/{id}/status: publish, reject or
// back to pending.
func (a *Admin) status(w http.ResponseWriter, r *http.Request) error {
	rv, err := a.load(r)
	if err != nil {
		return err
	}
	to := r.PostFormValue("status")
	if !slices.Contains(Statuses, to) {
		return &shop.Error{Kind: shop.Invalid, Key: "review.err.status"}
	}
	_, actor := a.Shell.Actor(r)
	entry := a.Shell.Audit(r, "review.status", strconv.FormatInt(rv.ID, 10), nil)
	if _, err := a.Store.Moderate(r.Context(), rv.ID, to, actor, entry); err != nil {
		return err
	}
	a.Touch(rv.ProductID)
	return a.Shell.Done(w, r, "review.admin.done_"+to, Path+"/"+strconv.FormatInt(rv.ID, 10))
}

// reply serves POST /{admin}/reviews/{id}/reply: the shop's answer,
// shown under the review (empty removes it).
func (a *Admin) reply(w http.ResponseWriter, r *http.Request) error {
	rv, err := a.load(r)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(r.PostFormValue("reply"))
	errs := web.FieldErrors(r, nil)
	if utf8.RuneCountInString(text) > MaxReply {
		errs["reply"] = "review.err.reply_too_long"
	}
	if len(errs) > 0 {
		v := &showView{R: rv, MaxReply: MaxReply, Error: messages(r, errs)["reply"]}
		v.R.Reply = text
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "admin_review", "review.admin.title", v)
	}
	entry := a.Shell.Audit(r, "review.reply", strconv.FormatInt(rv.ID, 10), nil)
	if _, err := a.Store.SetReply(r.Context(), rv.ID, text, entry); err != nil {
		return err
	}
	a.Touch(rv.ProductID)
	return a.Shell.Done(w, r, "review.admin.replied", Path+"/"+strconv.FormatInt(rv.ID, 10))
}
