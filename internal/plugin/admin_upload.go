package plugin

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// MaxUploadBytes is the body limit of the upload form (the package and
// the form around it); cmd/akinai raises the default limit for its path.
const MaxUploadBytes = MaxPackageBytes + 64<<10

// upload reads the package of the form (multipart: file), checks it and
// keeps it for the uploader's review. A refused package is shown on the
// list with the reason; nothing is kept.
func (a *Admin) upload(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return a.renderList(w, r, http.StatusRequestEntityTooLarge, web.T(r, "plugins.bad.too_large", MaxModuleBytes>>20))
		}
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		return a.renderList(w, r, http.StatusUnprocessableEntity, web.T(r, "plugins.no_file"))
	}
	f, err := fhs[0].Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPackageBytes+1))
	if err != nil {
		return err
	}
	adminID, _ := a.Shell.Actor(r)
	id, _, err := Upload(r.Context(), a.DB, adminID, data)
	if msg := problemMessage(r, err); msg != "" {
		return a.renderList(w, r, http.StatusUnprocessableEntity, msg)
	}
	if err != nil {
		return err
	}
	return a.Shell.Done(w, r, "plugins.uploaded_flash", Path+"/uploads/"+strconv.FormatInt(id, 10))
}

// reviewData is admin_plugin_review.html: what the owner reads before
// installing — the publisher and whether their key is trusted, the hooks,
// the capabilities, the settings — and, for an update, the version
// installed and what happens to its settings.
type reviewData struct {
	ID       int64
	Pkg      *Package
	KeyID    string
	Trusted  bool
	Old      *Installed
	Settings map[string]string // the settings after the update
	Fields   map[string]string // settings the update cannot migrate
	Error    string
}

func (a *Admin) review(w http.ResponseWriter, r *http.Request) error {
	return a.renderReview(w, r, http.StatusOK, "")
}

func (a *Admin) renderReview(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.Errorf(shop.NotFound, "plugins.not_found")
	}
	adminID, _ := a.Shell.Actor(r)
	p, err := Uploaded(r.Context(), a.DB, id, adminID)
	if err != nil {
		return err
	}
	d := &reviewData{ID: id, Pkg: p, KeyID: KeyID(p.PublisherKey()), Error: msg}
	if d.Trusted, err = Trusted(r.Context(), a.DB, p.PublisherKey()); err != nil {
		return err
	}
	old, err := Get(r.Context(), a.DB, p.Manifest.Name)
	switch {
	case err == nil:
		d.Old = old
		d.Settings, d.Fields = p.Manifest.MigrateSettings(old.Settings)
	case shop.KindOf(err) != shop.NotFound:
		return err
	}
	return a.Shell.Page(w, r, status, "admin_plugin_review", "plugins.review", d)
}

func (a *Admin) install(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return shop.Errorf(shop.NotFound, "plugins.not_found")
	}
	p, err := Install(r.Context(), a.DB, a.Host, id, a.entry(r))
	if msg := problemMessage(r, err); msg != "" {
		return a.renderReview(w, r, http.StatusUnprocessableEntity, msg)
	}
	if se := (*SettingsError)(nil); errors.As(err, &se) {
		return a.renderReview(w, r, http.StatusUnprocessableEntity, web.T(r, "plugins.update_settings_refused"))
	}
	if err != nil {
		return err
	}
	a.Plugins.Invalidate()
	return a.Shell.Done(w, r, "plugins.installed_flash", Path+"/p/"+p.Name)
}
