package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

//go:embed templates
var templateFS embed.FS

// Assets serves the embedded static files under content-hash URLs
// (/static/3f2a9c1b/app.css), so they can be cached for a year and a new
// release never meets a stale stylesheet.
type Assets struct {
	fsys  fs.FS
	hash  map[string]string // name → short hash
	files map[string][]byte
}

// NewAssets hashes every file under static/ at start.
func NewAssets() *Assets {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	a := &Assets{fsys: sub, hash: map[string]string{}, files: map[string][]byte{}}
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hash[p] = hex.EncodeToString(sum[:4])
		a.files[p] = b
		return nil
	})
	return a
}

// URL returns the cache-busting URL of a static file. An unknown name
// panics at template execution, which the boot-time render test catches.
func (a *Assets) URL(name string) string {
	h, ok := a.hash[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + h + "/" + name
}

// ServeHTTP serves GET /static/{hash}/{name...}.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PathValue("hash") == a.hash[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Type", contentType(name))
	w.Write(b)
}

// contentType is the Content-Type of a static file by its extension.
func contentType(name string) string {
	if path.Ext(name) == ".ico" {
		return "image/x-icon" // in neither Go's table nor every /etc/mime.types
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	if strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "charset") {
		ct += "; charset=utf-8"
	}
	return ct
}

// File serves one static file at a fixed address, such as /favicon.ico
// that browsers ask for on their own; it may be cached for a day.
func (a *Assets) File(name string) http.Handler {
	b, ok := a.files[name]
	if !ok {
		panic("web: no static file " + name)
	}
	ct := contentType(name)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Write(b)
	})
}
