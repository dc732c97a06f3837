package main

import (
	"net/http"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/media"
)

// productAdmin mounts the admin's catalogue pages (products, categories,
// tags, CSV) with images kept in the database, and raises the body limit
// of their upload routes on top of the other areas' limits.
func (a *shopApp) productAdmin(h *admin.Handlers, mux *http.ServeMux) {
	p := h.Catalog(a.catalog, media.DBStore{DB: a.db})
	p.Routes(mux)
	others := a.bodyLimit
	a.bodyLimit = func(r *http.Request) int64 {
		if n := p.BodyLimit(r); n > 0 {
			return n
		}
		if others != nil {
			return others(r)
		}
		return 0
	}
}
