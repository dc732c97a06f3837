package main

import (
	"context"
	"net/http"
)

// routes mounts every feature's routes on mux.
func (a *shopApp) routes(ctx context.Context, mux *http.ServeMux) error {
	if err := a.catalogRoutes(mux); err != nil {
		return err
	}
	if err := a.adminRoutes(ctx, mux); err != nil {
		return err
	}
	return nil
}
