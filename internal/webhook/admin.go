package webhook

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
var adminTemplates embed.FS

// Shell is what the webhook screens need from the admin panel; the
// admin's Section for the security area satisfies it.
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	ReadSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	WriteSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin is the webhook screens (Webhook): endpoints, their delivery log
// with a replay button, secret rotation. Every change needs sudo and is
// audited; a secret is shown once, after creation or rotation.
type Admin struct {
	DB    *db.DB
	Shell Shell
}

// AdminPath is the list's path under the admin.
const AdminPath = "/webhooks"

// Mount registers the templates and routes.
func (a *Admin) Mount(render *web.Renderer, mux *http.ServeMux) error {
	if err := render.AddPages("admin", adminTemplates, "templates/*.html"); err != nil {
		return err
	}
	a.Shell.Read(mux, "GET "+AdminPath, a.list)
	a.Shell.WriteSudo(mux, "POST "+AdminPath, a.create)
	a.Shell.Read(mux, "GET "+AdminPath+"/{id}", a.show)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}", a.save)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}/rotate", a.rotate)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}/enable", a.enable)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}/disable", a.disable)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}/delete", a.remove)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}/test", a.test)
	a.Shell.WriteSudo(mux, "POST "+AdminPath+"/{id}/deliveries/{did}/replay", a.replay)
	return nil
}

// listData is admin_webhooks.html.
type listData struct {
	Endpoints []Endpoint
	Events    []string
	F         Input
	Fields    map[string]string
	Error     string
}

func (a *Admin) renderList(w http.ResponseWriter, r *http.Request, status int, d *listData) error {
	var err error
	if d.Endpoints, err = Endpoints(r.Context(), a.DB); err != nil {
		return err
	}
	d.Events = Events
	return a.Shell.Page(w, r, status, "admin_webhooks", "webhook.title", d)
}

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	return a.renderList(w, r, http.StatusOK, &listData{})
}

func readInput(r *http.Request) Input {
	r.ParseForm()
	var events []string
	for _, e := range r.PostForm["events"] {
		events = append(events, e)
	}
	return Input{URL: r.PostFormValue("url"), Description: r.PostFormValue("description"), Events: events, AllowPrivate: r.PostFormValue("allow_private") == "1"}
}

// secretData is admin_webhook_secret.html: a secret shown once.
type secretData struct {
	Endpoint Endpoint
	Secret   string
}

func (a *Admin) create(w http.ResponseWriter, r *http.Request) error {
	in := readInput(r)
	if errs := in.Validate(); len(errs) > 0 {
		return a.renderList(w, r, http.StatusUnprocessableEntity, &listData{F: in, Fields: errs, Error: web.T(r, "error.invalid")})
	}
	var e Endpoint
	err := a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		var err error
		if e, err = Create(r.Context(), tx, in); err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, a.Shell.Audit(r, "webhook.created", strconv.FormatInt(e.ID, 10),
			map[string]any{"url": e.URL, "events": in.Events, "allow_private": in.AllowPrivate}))
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return a.Shell.Page(w, r, http.StatusOK, "admin_webhook_secret", "webhook.secret_title", &secretData{Endpoint: e, Secret: e.Secret})
}

// showData is admin_webhook.html: the endpoint, its form and its latest
// deliveries.
type showData struct {
	E          Endpoint
	Events     []string
	F          Input
	Fields     map[string]string
	Error      string
	Deliveries []Delivery
}

func (a *Admin) renderShow(w http.ResponseWriter, r *http.Request, status int, d *showData) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if d.E, err = EndpointByID(r.Context(), a.DB, id); err != nil {
		return err
	}
	if d.F.URL == "" {
		d.F = Input{URL: d.E.URL, Description: d.E.Description, Events: d.E.Events, AllowPrivate: d.E.AllowPrivate}
	}
	if d.Deliveries, err = Deliveries(r.Context(), a.DB, id, 50); err != nil {
		return err
	}
	d.Events = Events
	return a.Shell.Page(w, r, status, "admin_webhook", "webhook.endpoint", d)
}

func (a *Admin) show(w http.ResponseWriter, r *http.Request) error {
	return a.renderShow(w, r, http.StatusOK, &showData{})
}

func (a *Admin) save(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := readInput(r)
	if errs := in.Validate(); len(errs) > 0 {
		return a.renderShow(w, r, http.StatusUnprocessableEntity, &showData{F: in, Fields: errs, Error: web.T(r, "error.invalid")})
	}
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := Update(r.Context(), tx, id, in); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, "webhook.updated", strconv.FormatInt(id, 10),
			map[string]any{"url": in.URL, "events": in.Events, "allow_private": in.AllowPrivate}))
		return err
	})
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "admin.saved", AdminPath+"/"+strconv.FormatInt(id, 10))
}

func (a *Admin) rotate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var secret string
	var e Endpoint
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		var err error
		if secret, err = Rotate(r.Context(), tx, id); err != nil {
			return err
		}
		if e, err = EndpointByID(r.Context(), tx, id); err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, a.Shell.Audit(r, "webhook.secret_rotated", strconv.FormatInt(id, 10), nil))
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return a.Shell.Page(w, r, http.StatusOK, "admin_webhook_secret", "webhook.secret_title", &secretData{Endpoint: e, Secret: secret})
}

// change runs a one-step change of endpoint {id} with its audit entry and
// goes back to the endpoint's page (or the list, after a delete).
func (a *Admin) change(w http.ResponseWriter, r *http.Request, action, flash string, toList bool, fn func(tx *db.Tx, id int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = a.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := fn(tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, a.Shell.Audit(r, action, strconv.FormatInt(id, 10), nil))
		return err
	})
	if err != nil {
		return err
	}
	if toList {
		return a.Shell.Done(w, r, flash, AdminPath)
	}
	return a.Shell.Done(w, r, flash, AdminPath+"/"+strconv.FormatInt(id, 10))
}

func (a *Admin) enable(w http.ResponseWriter, r *http.Request) error {
	return a.change(w, r, "webhook.enabled", "webhook.flash.enabled", false, func(tx *db.Tx, id int64) error {
		return SetActive(r.Context(), tx, id, true, "")
	})
}

func (a *Admin) disable(w http.ResponseWriter, r *http.Request) error {
	return a.change(w, r, "webhook.disabled_by_admin", "webhook.flash.disabled", false, func(tx *db.Tx, id int64) error {
		return SetActive(r.Context(), tx, id, false, "by an admin")
	})
}

func (a *Admin) remove(w http.ResponseWriter, r *http.Request) error {
	return a.change(w, r, "webhook.deleted", "webhook.flash.deleted", true, func(tx *db.Tx, id int64) error {
		return Delete(r.Context(), tx, id)
	})
}

func (a *Admin) test(w http.ResponseWriter, r *http.Request) error {
	return a.change(w, r, "webhook.test_sent", "webhook.flash.test", false, func(tx *db.Tx, id int64) error {
		if _, err := EndpointByID(r.Context(), tx, id); err != nil {
			return err
		}
		return Ping(r.Context(), tx, id)
	})
}

func (a *Admin) replay(w http.ResponseWriter, r *http.Request) error {
	did, err := pathID(r, "did")
	if err != nil {
		return err
	}
	return a.change(w, r, "webhook.replayed", "webhook.flash.replayed", false, func(tx *db.Tx, id int64) error {
		_, err := Replay(r.Context(), tx, id, did)
		return err
	})
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, shop.ErrNotFound
	}
	return id, nil
}
