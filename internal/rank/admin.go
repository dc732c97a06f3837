package rank

import (
	"embed"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Shell is the admin shell as the rank screens need it; admin.Section
// satisfies it.
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the rank master (会員ランク設定): list, create, edit, delete
// while unused, reorder. Mount it on a shell of the settings area: a rank
// sets prices.
type Admin struct {
	DB    *db.DB
	Shell Shell
}

// Path is the master's path under the admin.
const Path = "/customer-ranks"

// Mount registers the templates and routes.
func (a *Admin) Mount(render *web.Renderer, mux *http.ServeMux) error {
	if err := render.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET "+Path, a.list)
	a.Shell.Write(mux, "POST "+Path, a.create)
	a.Shell.Read(mux, "GET "+Path+"/{id}", a.edit)
	a.Shell.Write(mux, "POST "+Path+"/{id}", a.save)
	a.Shell.Write(mux, "POST "+Path+"/{id}/delete", a.remove)
	a.Shell.Write(mux, "POST "+Path+"/{id}/move", a.move)
	return nil
}

// listData is admin_ranks.html: the ranks, the new-rank form as typed
// and its errors, a message for a refused delete.
type listData struct {
	Ranks  []Rank
	F      Form
	Fields map[string]string
	Error  string
}

func (a *Admin) renderList(w http.ResponseWriter, r *http.Request, status int, d *listData) error {
	var err error
	if d.Ranks, err = List(r.Context(), a.DB); err != nil {
		return err
	}
	return a.Shell.Page(w, r, status, "admin_ranks", "rank.title", d)
}

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	return a.renderList(w, r, http.StatusOK, &listData{})
}

func readForm(r *http.Request) Form {
	return Form{NameJA: r.PostFormValue("name_ja"), NameEN: r.PostFormValue("name_en"), Percent: r.PostFormValue("percent")}
}

func (a *Admin) create(w http.ResponseWriter, r *http.Request) error {
	f := readForm(r)
	rk, errs := f.Validate()
	if len(errs) > 0 {
		return a.renderList(w, r, http.StatusUnprocessableEntity, &listData{F: f, Fields: errs, Error: web.T(r, "error.invalid")})
	}
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		id, err := Create(r.Context(), tx, rk)
		if err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, a.Shell.Audit(r, "rank.create", strconv.FormatInt(id, 10), map[string]any{"name": rk.NameJA, "percent": rk.Percent}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "admin.saved", Path)
}

// editData is admin_rank_edit.html.
type editData struct {
	R      Rank
	F      Form
	Fields map[string]string
	Error  string
}

func (a *Admin) edit(w http.ResponseWriter, r *http.Request) error {
	rk, err := ByID(r.Context(), a.DB, pathID(r))
	if err != nil {
		return err
	}
	f := Form{NameJA: rk.NameJA, NameEN: rk.NameEN, Percent: strconv.Itoa(rk.Percent)}
	return a.Shell.Page(w, r, http.StatusOK, "admin_rank_edit", "rank.edit", &editData{R: rk, F: f})
}

func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	old, err := ByID(r.Context(), a.DB, id)
	if err != nil {
		return err
	}
	f := readForm(r)
	rk, errs := f.Validate()
	if len(errs) > 0 {
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "admin_rank_edit", "rank.edit", &editData{R: old, F: f, Fields: errs, Error: web.T(r, "error.invalid")})
	}
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := Update(r.Context(), tx, id, rk); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "rank.edit", strconv.FormatInt(id, 10),
			map[string]any{"name": rk.NameJA, "percent": rk.Percent, "old_percent": old.Percent}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "admin.saved", Path)
}

func (a *Admin) remove(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := Delete(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "rank.delete", strconv.FormatInt(id, 10), nil))
		return err
	})
	if shop.KindOf(err) == shop.Conflict {
		return a.renderList(w, r, http.StatusConflict, &listData{Error: web.Message(r, err)})
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "rank.deleted", Path)
}

func (a *Admin) move(w http.ResponseWriter, r *http.Request) error {
	id := pathID(r)
	dir := r.PostFormValue("dir")
	if dir != "up" && dir != "down" {
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := Move(r.Context(), tx, id, dir == "up"); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "rank.move", strconv.FormatInt(id, 10), map[string]any{"dir": dir}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "admin.saved", Path)
}

// pathID is the {id} of the path; 0 (found by nobody) when it is not a
// number.
func pathID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}
