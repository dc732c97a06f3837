package catalog

import "net/http"

// Routes mounts the catalogue's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	handle := func(pattern string, fn func(http.ResponseWriter, *http.Request) error) {
		mux.Handle(pattern, h.Render.Handle(fn))
	}
	handle("GET /{$}", h.home)
	handle("GET /products", h.products)
	handle("GET /products/{slug}", h.product)
	handle("GET /categories/{slug}", h.category)
	handle("GET /pages/{slug}", h.page)
	handle("GET /images/{key...}", h.image)
	handle("GET /sitemap.xml", h.sitemap)
	handle("GET /robots.txt", h.robots)
	handle("GET "+FeedPath, h.feed)
}
