package plugin

import (
	"embed"
	"errors"
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Path is the plugin screens' path under the admin.
const Path = "/plugins"

// Shell is what the plugin screens need of the admin shell;
// admin.Section satisfies it.
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	ReadSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	WriteSudo(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Actor(r *http.Request) (int64, string)
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
}

// Admin serves the plugin screens (プラグイン): the installed plugins with
// their state and failures, upload → review → install or update,
// settings, enable, disable, uninstall, the trusted publisher keys and the
// catalogue. Every change needs sudo and is audited. Plugins run code at
// the checkout, so their screens belong to the settings area (owners and
// managers); trusting a publisher's key is the owner's alone (Keys, a
// shell of the security area).
type Admin struct {
	DB      *db.DB
	Host    *Host
	Plugins *Plugins // told to read the set again after a change
	Shell   Shell
	Keys    Shell // the security area's
}

// Mount registers the templates and routes.
func (a *Admin) Mount(render *web.Renderer, mux *http.ServeMux) error {
	if err := render.AddPages("admin", templateFS, "templates/*.html"); err != nil {
		return err
	}
	s := a.Shell
	s.Read(mux, "GET "+Path, a.list)
	s.WriteSudo(mux, "POST "+Path+"/upload", a.upload)
	s.ReadSudo(mux, "GET "+Path+"/uploads/{id}", a.review)
	s.WriteSudo(mux, "POST "+Path+"/uploads/{id}/install", a.install)
	s.Read(mux, "GET "+Path+"/catalogue", a.catalogue)
	s.WriteSudo(mux, "POST "+Path+"/catalogue", a.loadCatalogue)
	a.Keys.Read(mux, "GET "+Path+"/keys", a.keys)
	a.Keys.WriteSudo(mux, "POST "+Path+"/keys", a.trust)
	a.Keys.WriteSudo(mux, "POST "+Path+"/keys/{id}/delete", a.distrust)
	s.Read(mux, "GET "+Path+"/p/{name}", a.detail)
	s.WriteSudo(mux, "POST "+Path+"/p/{name}/settings", a.configure)
	s.WriteSudo(mux, "POST "+Path+"/p/{name}/enable", a.enable)
	s.WriteSudo(mux, "POST "+Path+"/p/{name}/disable", a.disable)
	s.WriteSudo(mux, "POST "+Path+"/p/{name}/uninstall", a.uninstall)
	return nil
}

// listData is admin_plugins.html.
type listData struct {
	Plugins []*Installed
	Error   string
}

func (a *Admin) list(w http.ResponseWriter, r *http.Request) error {
	return a.renderList(w, r, http.StatusOK, "")
}

func (a *Admin) renderList(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	ps, err := List(r.Context(), a.DB)
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, status, "admin_plugins", "plugins.title", &listData{Plugins: ps, Error: msg})
}

// detailData is admin_plugin.html: the plugin, its settings form as
// stored or as typed, and the form's problems.
type detailData struct {
	P      *Installed
	F      map[string]string
	Fields map[string]string
	Error  string
}

func (a *Admin) detail(w http.ResponseWriter, r *http.Request) error {
	p, err := Get(r.Context(), a.DB, r.PathValue("name"))
	if err != nil {
		return err
	}
	return a.Shell.Page(w, r, http.StatusOK, "admin_plugin", "plugins.detail", &detailData{P: p, F: p.Settings})
}

func (a *Admin) entry(r *http.Request) audit.Entry { return a.Shell.Audit(r, "", "", nil) }

func (a *Admin) configure(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	p, err := Get(r.Context(), a.DB, name)
	if err != nil {
		return err
	}
	form := map[string]string{}
	for _, s := range p.Manifest.Settings {
		v := r.PostFormValue(s.Name)
		if s.Type == "bool" && v == "" {
			v = "0"
		}
		form[s.Name] = v
	}
	err = Configure(r.Context(), a.DB, name, form, a.entry(r))
	if se := (*SettingsError)(nil); errors.As(err, &se) {
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "admin_plugin", "plugins.detail",
			&detailData{P: p, F: form, Fields: se.Fields, Error: web.T(r, "error.invalid")})
	}
	if err != nil {
		return err
	}
	a.Plugins.Invalidate()
	return a.Shell.Done(w, r, "admin.saved", Path+"/p/"+name)
}

func (a *Admin) enable(w http.ResponseWriter, r *http.Request) error { return a.setEnabled(w, r, true) }
func (a *Admin) disable(w http.ResponseWriter, r *http.Request) error {
	return a.setEnabled(w, r, false)
}

func (a *Admin) setEnabled(w http.ResponseWriter, r *http.Request, on bool) error {
	name := r.PathValue("name")
	err := SetEnabled(r.Context(), a.DB, name, on, a.entry(r))
	if se := (*SettingsError)(nil); errors.As(err, &se) {
		p, gerr := Get(r.Context(), a.DB, name)
		if gerr != nil {
			return gerr
		}
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "admin_plugin", "plugins.detail",
			&detailData{P: p, F: p.Settings, Fields: se.Fields, Error: web.T(r, "plugins.settings_first")})
	}
	if err != nil {
		return err
	}
	a.Plugins.Invalidate()
	flash := "plugins.disabled_flash"
	if on {
		flash = "plugins.enabled_flash"
	}
	return a.Shell.Done(w, r, flash, Path)
}

func (a *Admin) uninstall(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if strings.TrimSpace(r.PostFormValue("confirm")) != name {
		p, err := Get(r.Context(), a.DB, name)
		if err != nil {
			return err
		}
		return a.Shell.Page(w, r, http.StatusUnprocessableEntity, "admin_plugin", "plugins.detail",
			&detailData{P: p, F: p.Settings, Error: web.T(r, "plugins.uninstall_confirm_wrong", name)})
	}
	if err := Uninstall(r.Context(), a.DB, name, a.entry(r)); err != nil {
		return err
	}
	a.Plugins.Invalidate()
	return a.Shell.Done(w, r, "plugins.uninstalled_flash", Path)
}

// problemMessage is the reader's message for a refused package, or "".
func problemMessage(r *http.Request, err error) string {
	var p *Problem
	if errors.As(err, &p) {
		return web.T(r, p.Key, p.Args...)
	}
	return ""
}
