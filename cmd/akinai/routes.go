package main

import (
	"context"
	"net/http"
)

// routes mounts every feature's routes on mux.
func (a *shopApp) routes(ctx context.Context, mux *http.ServeMux) error {
	return nil
}
