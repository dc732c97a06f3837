package main

import (
	"net/http"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/system"
)

// processStart is when this process started, for the uptime on the
// system information page.
var processStart = time.Now()

// recentLogSize is how many warnings and errors the log viewer keeps.
const recentLogSize = 500

// systemAdmin mounts the system screens: information, login history and
// the recent warnings and errors kept by the logger serve wrapped.
func (a *shopApp) systemAdmin(h *admin.Handlers, mux *http.ServeMux) error {
	recent, _ := a.log.Handler().(*system.Recent)
	return (&system.Admin{DB: a.db, Shell: h, DataDir: a.cfg.DataDir, Started: processStart, Recent: recent}).Mount(a.render, mux)
}
