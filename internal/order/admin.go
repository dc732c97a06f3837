package order

import (
	"embed"
	"net/http"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/admin_*.html
var adminTemplates embed.FS

// Shell is what the order screens need from the admin panel; the admin's
// Section for the orders area satisfies it (internal/admin/section.go).
type Shell interface {
	Read(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Write(mux *http.ServeMux, pattern string, fn web.HandlerFunc)
	Page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error
	Audit(r *http.Request, action, target string, details map[string]any) audit.Entry
	Actor(r *http.Request) (int64, string)
	Done(w http.ResponseWriter, r *http.Request, flashKey, path string) error
	Base() string
}

// AdminPages are the order screens the order package owns: the list with
// sorting, saved filters and bulk actions, and the bulk jobs' progress.
// Build with NewAdminPages; the other order screens are still in
// internal/admin.
type AdminPages struct {
	DB       *db.DB
	Settings *settings.Store
	Shell    Shell
}

// NewAdminPages registers the order screens' templates in the admin
// layout of render.
func NewAdminPages(d *db.DB, s *settings.Store, render *web.Renderer, shell Shell) (*AdminPages, error) {
	if err := render.AddPages("admin", adminTemplates, "templates/admin_*.html"); err != nil {
		return nil, err
	}
	return &AdminPages{DB: d, Settings: s, Shell: shell}, nil
}

// BodyLimit raises the request body limit of the tracking upload; 0
// for every other request.
func (p *AdminPages) BodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && r.URL.Path == p.Shell.Base()+"/orders/tracking" {
		return MaxTrackingUpload
	}
	return 0
}

// Routes mounts the pages under the admin path.
func (p *AdminPages) Routes(mux *http.ServeMux) {
	p.Shell.Read(mux, "GET /orders", p.list)
	p.Shell.Read(mux, "GET /orders.csv", p.ordersCSV)
	p.Shell.Read(mux, "GET /orders/csv-columns", p.columnsForm)
	p.Shell.Write(mux, "POST /orders/bulk", p.startBulk)
	p.Shell.Read(mux, "GET /order-bulk/{id}", p.bulkProgress)
	p.Shell.Write(mux, "POST /orders/filters", p.saveFilter)
	p.Shell.Write(mux, "POST /orders/filters/{id}/delete", p.deleteFilter)
	p.Shell.Read(mux, "GET /orders/labels", p.labelSettings)
	p.Shell.Write(mux, "POST /orders/labels", p.saveLabelSettings)
	p.Shell.Read(mux, "GET /orders/labels.csv", p.labelsCSV)
	p.Shell.Read(mux, "GET /orders/tracking", p.trackingForm)
	p.Shell.Write(mux, "POST /orders/tracking", p.trackingDryRun)
	p.Shell.Write(mux, "POST /orders/tracking/{id}/apply", p.trackingApply)
}
