package plugin

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// keysData is admin_plugin_keys.html.
type keysData struct {
	Keys      []Key
	Key       string
	Publisher string
	Error     string
}

func (a *Admin) keys(w http.ResponseWriter, r *http.Request) error {
	return a.renderKeys(w, r, http.StatusOK, &keysData{})
}

func (a *Admin) renderKeys(w http.ResponseWriter, r *http.Request, status int, d *keysData) error {
	var err error
	if d.Keys, err = Keys(r.Context(), a.DB); err != nil {
		return err
	}
	return a.Keys.Page(w, r, status, "admin_plugin_keys", "plugins.keys.title", d)
}

// trust adds a publisher key the owner pasted (the owner compares its
// fingerprint with the one the publisher gives elsewhere).
func (a *Admin) trust(w http.ResponseWriter, r *http.Request) error {
	d := &keysData{Key: strings.TrimSpace(r.PostFormValue("key")), Publisher: strings.TrimSpace(r.PostFormValue("publisher"))}
	pub, err := ParseKey(d.Key)
	switch {
	case err != nil:
		d.Error = problemMessage(r, err)
	case d.Publisher == "" || len(d.Publisher) > 200:
		d.Error = web.T(r, "plugins.keys.publisher_required")
	}
	if d.Error != "" {
		return a.renderKeys(w, r, http.StatusUnprocessableEntity, d)
	}
	if err := TrustKey(r.Context(), a.DB, pub, d.Publisher, a.Keys.Audit(r, "plugin.key_trust", "plugin-key", nil)); err != nil {
		return err
	}
	return a.Keys.Done(w, r, "plugins.keys.added", Path+"/keys")
}

func (a *Admin) distrust(w http.ResponseWriter, r *http.Request) error {
	if err := DistrustKey(r.Context(), a.DB, r.PathValue("id"), a.Keys.Audit(r, "plugin.key_distrust", "plugin-key", nil)); err != nil {
		return err
	}
	return a.Keys.Done(w, r, "plugins.keys.removed", Path+"/keys")
}

// catalogueData is admin_plugin_catalogue.html.
type catalogueData struct {
	C         *Catalogue
	Installed map[string]string // name → version
	URL       string
	Error     string
}

func (a *Admin) catalogue(w http.ResponseWriter, r *http.Request) error {
	return a.renderCatalogue(w, r, http.StatusOK, &catalogueData{})
}

func (a *Admin) renderCatalogue(w http.ResponseWriter, r *http.Request, status int, d *catalogueData) error {
	var err error
	if d.C, err = LoadCatalogue(r.Context(), a.DB); err != nil {
		return err
	}
	ps, err := List(r.Context(), a.DB)
	if err != nil {
		return err
	}
	d.Installed = map[string]string{}
	for _, p := range ps {
		d.Installed[p.Name] = p.Version
	}
	return a.Shell.Page(w, r, status, "admin_plugin_catalogue", "plugins.catalogue.title", d)
}

// loadCatalogue reads a signed index from the uploaded file or, when no
// file came, from the URL typed (multipart: file, url).
func (a *Admin) loadCatalogue(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return a.renderCatalogue(w, r, http.StatusRequestEntityTooLarge, &catalogueData{Error: web.T(r, "plugins.catalogue.too_large")})
		}
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	d := &catalogueData{URL: strings.TrimSpace(r.PostFormValue("url"))}
	var data []byte
	source := "file"
	if fhs := r.MultipartForm.File["file"]; len(fhs) == 1 {
		f, err := fhs[0].Open()
		if err != nil {
			return err
		}
		data, err = io.ReadAll(io.LimitReader(f, MaxIndexBytes+1))
		f.Close()
		if err != nil {
			return err
		}
	} else if d.URL != "" {
		var err error
		source = d.URL
		if data, err = FetchIndex(r.Context(), http.DefaultClient, d.URL); err != nil {
			d.Error = problemMessage(r, err)
		}
	} else {
		d.Error = web.T(r, "plugins.no_file")
	}
	if d.Error == "" {
		if _, _, err := ReadIndex(r.Context(), a.DB, data); err != nil {
			if d.Error = problemMessage(r, err); d.Error == "" {
				return err
			}
		}
	}
	if d.Error != "" {
		return a.renderCatalogue(w, r, http.StatusUnprocessableEntity, d)
	}
	if err := SaveCatalogue(r.Context(), a.DB, source, data, a.entry(r)); err != nil {
		return err
	}
	return a.Shell.Done(w, r, "plugins.catalogue.loaded", Path+"/catalogue")
}
