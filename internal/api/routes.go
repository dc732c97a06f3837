package api

import (
	"embed"
	"net/http"
)

//go:embed openapi.json
var openapiFS embed.FS

// routes mounts every endpoint; anything else under /api/v1/ is a 404
// problem.
func (h *Handler) mount() {
	h.productRoutes()
	h.stockRoutes()
	h.orderRoutes()
	h.customerRoutes()
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, problem(http.StatusNotFound, "not-found"))
	})
}

// serveOpenAPI serves the OpenAPI 3.1 document of this API.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	b, _ := openapiFS.ReadFile("openapi.json")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}
