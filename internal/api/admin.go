package api

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
var adminTemplates embed.FS

// Shell is what the token screens need from the admin panel; the admin's
// Section for the security area satisfies it (only the owner may change
// that area: a token with orders:write is as strong as an admin who may
// change orders).
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	ReadSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	WriteSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
	Actor(r *http.Request) (int64, string)
}

// Admin is the API token screens (APIトークン): list, create with sudo
// (the token is shown once), revoke with sudo.
type Admin struct {
	DB    *db.DB
	Shell Shell
	API   *Handler // switched on when the first token is made here
}

// AdminPath is the list's path under the admin.
const AdminPath = "/api-tokens"

// Mount registers the templates and routes.
func (a *Admin) Mount(render *web.Renderer, mux *http.ServeMux) error {
	if err := render.AddPages("admin", adminTemplates, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET "+AdminPath, a.list)
	a.Shell.ReadSudo(mux, "GET "+AdminPath+"/new", a.form)
	a.Shell.WriteSudo(mux, "POST "+AdminPath, a.create)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}/revoke", a.revoke)
	return nil
}

// tokenRow is a token as the list shows it.
type tokenRow struct {
	*Token
	State string // active, revoked, expired
}

type listData struct{ Tokens []tokenRow }

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	ts, err := Tokens(r.Context(), a.DB)
	if err != nil {
		return err
	}
	d := &listData{}
	now := time.Now()
	for _, t := range ts {
		st := "active"
		switch {
		case t.RevokedAt != nil:
			st = "revoked"
		case !now.Before(t.ExpiresAt):
			st = "expired"
		}
		d.Tokens = append(d.Tokens, tokenRow{t, st})
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_api_tokens", "api.title", d)
}

// formData is admin_api_token_new.html: the form as typed, its errors,
// and the areas for the scope table.
type formData struct {
	Name, IPAllow, Days, Rate string
	Scopes                    map[string]string // area → "", "read" or "write"
	Areas                     []string
	Fields                    map[string]string
	Error                     string
}

func (a *Admin) form(w http.ResponseWriter, r *http.Request) error {
	return a.Shell.Page(w, r, http.StatusOK, "admin_api_token_new", "api.new", &formData{Days: "90", Rate: "600", Scopes: map[string]string{}, Areas: Areas})
}

func (a *Admin) create(w http.ResponseWriter, r *http.Request) error {
	f := &formData{Name: r.PostFormValue("name"), IPAllow: r.PostFormValue("ip_allow"), Days: r.PostFormValue("days"),
		Rate: r.PostFormValue("rate"), Scopes: map[string]string{}, Areas: Areas}
	var scopes []string
	for _, area := range Areas {
		switch lv := r.PostFormValue("scope_" + area); lv {
		case "read", "write":
			f.Scopes[area] = lv
			scopes = append(scopes, area+":"+lv)
		}
	}
	days, err1 := strconv.Atoi(strings.TrimSpace(f.Days))
	rate, err2 := strconv.Atoi(strings.TrimSpace(f.Rate))
	_, who := a.Shell.Actor(r)
	n := NewToken{Name: f.Name, Scopes: scopes, IPAllow: f.IPAllow, Days: days, RatePerMin: rate, CreatedBy: who}
	errs, _ := n.Validate()
	if err1 != nil {
		errs["days"] = "api.error.days"
	}
	if err2 != nil || rate < 1 {
		errs["rate"] = "api.error.rate"
	}
	if len(errs) > 0 {
		f.Fields, f.Error = errs, web.T(r, "error.invalid")
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "admin_api_token_new", "api.new", f)
	}
	var id int64
	var secret string
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		var err error
		if id, secret, err = CreateToken(r.Context(), tx, n); err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, a.Shell.Audit(r, "api.token.created", strconv.FormatInt(id, 10),
			map[string]any{"name": n.Name, "scopes": strings.Join(scopes, " "), "days": days, "ip_allow": f.IPAllow}))
		return err
	})
	if err != nil {
		return err
	}
	if a.API != nil {
		a.API.Enable()
	}
	// The token is in this response only: never stored, never cached.
	w.Header().Set("Cache-Control", "no-store")
	return a.Shell.Page(w, r, http.StatusOK, "admin_api_token_created", "api.created", &struct {
		Name, Secret string
		Scopes       []string
	}{n.Name, secret, scopes})
}

func (a *Admin) revoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := RevokeToken(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "api.token.revoked", strconv.FormatInt(id, 10), nil))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "api.revoked", AdminPath)
}
