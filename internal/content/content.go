// Package content is the shop's own words and opening days: the contact
// form and its stored inquiries, news for the top page and its Atom feed,
// the holiday calendar checkout counts business days with, and the
// maintenance page. The admin's editors for them live in internal/admin.
package content

import (
	"embed"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html fragments/*.html
var templateFS embed.FS

// Settings keys of this area.
const (
	ClosedWeekdays    = "calendar.closed_weekdays"  // "0,6": Sunday and Saturday
	MaintenanceOn     = "maintenance.on"            // "1" while in maintenance
	MaintenanceNote   = "maintenance.note"          // shown on the page, Japanese
	MaintenanceNoteEN = "maintenance.note_en"       // and English
	MaintenanceRetry  = "maintenance.retry_minutes" // Retry-After, in minutes
)

// Handlers serve the storefront's contact form, news and maintenance page.
type Handlers struct {
	DB       *db.DB
	Settings *settings.Store
	Render   *web.Renderer
	Limits   throttle.Limits
	BaseURL  string
	Log      *slog.Logger

	frags *template.Template
}

// NewHandlers registers the content pages in the shop layout and parses
// the home page's blocks (a broken template fails the boot).
func NewHandlers(d *db.DB, st *settings.Store, r *web.Renderer, limits throttle.Limits, baseURL string, log *slog.Logger) (*Handlers, error) {
	if err := r.AddPages("shop", templateFS, "templates/*.html"); err != nil {
		return nil, err
	}
	frags, err := template.New("blocks").Funcs(template.FuncMap{"t": i18n.T}).ParseFS(templateFS, "fragments/*.html")
	if err != nil {
		return nil, err
	}
	return &Handlers{DB: d, Settings: st, Render: r, Limits: limits, BaseURL: baseURL, Log: log, frags: frags}, nil
}

// Routes mounts the storefront's content pages.
func (h *Handlers) Routes(mux *http.ServeMux) {
	handle := func(pattern string, fn web.HandlerFunc) { mux.Handle(pattern, h.Render.Handle(fn)) }
	handle("GET /contact", h.contactPage)
	// The contact form shows the text check by its fields (web.Form); the
	// message is its one multi-line field.
	mux.Handle("POST /contact", web.Form(h.Render.Handle(h.contactConfirm), "message"))
	mux.Handle("POST /contact/send", web.Form(h.Render.Handle(h.contactSend), "message"))
	handle("GET /contact/complete", h.contactComplete)
	handle("GET /news", h.newsPage)
	handle("GET /news.atom", h.newsFeed)
}

func langOf(s string) i18n.Lang {
	l, _ := i18n.Parse(s)
	return l
}

func categoryLabel(lang i18n.Lang, c string) string {
	return i18n.T(lang, "content.category."+c)
}
