package admin

import "net/http"

func (c *Catalog) csvRoutes(mux *http.ServeMux) {}
