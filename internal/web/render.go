package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// Page is what every template receives. Handlers pass their own data as
// Data; the layout reads Layout, filled once per request by the hook the
// server was given (shop name, categories, cart count).
type Page struct {
	Lang        i18n.Lang
	Title       string
	Description string
	Canonical   string
	NoIndex     bool
	Data        any
	Layout      any
	Req         *http.Request
	Info        *Request
	Flash       string

	slots  map[string]SlotFunc
	marker func(slot string) string // set while rendering a shared page
	labels map[string]string        // the operator's names for master labels
}

// SlotFunc returns one visitor's HTML for a slot of the layout (the cart
// badge): trusted markup, written as is.
type SlotFunc func(r *http.Request) (template.HTML, error)

// Slot writes the visitor's part named name ({{.Slot "cart"}}). In a
// shared page it writes a marker that RenderShared replaces with each
// visitor's own HTML as the page is served.
func (p *Page) Slot(name string) (template.HTML, error) {
	if p.marker != nil {
		return template.HTML(p.marker(name)), nil
	}
	if fn := p.slots[name]; fn != nil && p.Req != nil {
		return fn(p.Req)
	}
	return "", nil
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string {
	if v, ok := p.labels[key]; ok && len(args) == 0 {
		return v
	}
	return i18n.T(p.Lang, key, args...)
}

// CSRFField is the hidden input every form must carry.
func (p *Page) CSRFField() template.HTML {
	return template.HTML(`<input type="hidden" name="csrf" value="` + template.HTMLEscapeString(p.Info.CSRF) + `">`)
}

// LangURL returns the current URL switched to lang.
func (p *Page) LangURL(lang string) string {
	u := *p.Req.URL
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// En reports whether the page is in English, for choosing name_en/name_ja.
func (p *Page) En() bool { return p.Lang == i18n.English }

// Renderer parses every template at start (a missing template fails the
// boot, not a customer) and renders pages into their layouts.
type Renderer struct {
	Log *slog.Logger
	// LayoutData fills Page.Layout for a layout, once per render.
	LayoutData map[string]func(r *http.Request) (any, error)

	funcs   template.FuncMap
	layouts map[string]*template.Template
	pages   map[string]*template.Template // name → layout clone with page
	pageOf  map[string]string             // page name → layout name
	assets  *Assets
	bufs    sync.Pool
	// Statuses names order statuses in the operator's words and gives
	// the stylesheet of their colours; nil: the catalogue's names.
	Statuses StatusNames
	// Labels gives the operator's names for master labels (gender, …)
	// that replace the catalogue's on pages rendered by Render; nil: none.
	Labels  LabelNames
	shared  pageCache
	slots   map[string]SlotFunc
	sources []Source // templates parsed, for the integrity check
}

// AddSlot registers the per-visitor part name of the layouts. Call it
// while wiring the server, before serving.
func (r *Renderer) AddSlot(name string, fn SlotFunc) {
	if r.slots == nil {
		r.slots = map[string]SlotFunc{}
	}
	r.slots[name] = fn
}

// NewRenderer creates a renderer serving assets from a.
func NewRenderer(log *slog.Logger, a *Assets) *Renderer {
	r := &Renderer{
		Log:        log,
		LayoutData: map[string]func(*http.Request) (any, error){},
		layouts:    map[string]*template.Template{},
		pages:      map[string]*template.Template{},
		pageOf:     map[string]string{},
		assets:     a,
		bufs:       sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	r.funcs = Funcs(a)
	r.funcs["statusName"] = r.statusName
	r.funcs["statusCSS"] = r.statusCSS
	if err := r.AddLayout("shop", templateFS, "templates/layout.html"); err != nil {
		panic(err)
	}
	if err := r.AddPages("shop", templateFS, "templates/error.html"); err != nil {
		panic(err)
	}
	return r
}

// Funcs are the template functions every template may use.
func Funcs(a *Assets) template.FuncMap {
	return template.FuncMap{
		"yen":    func(y shop.Yen) string { return "¥" + y.String() },
		"asset":  a.URL,
		"add":    func(a, b int) int { return a + b },
		"sub":    func(a, b int) int { return a - b },
		"seq":    seq,
		"query":  url.QueryEscape,
		"pick":   pick,
		"lower":  strings.ToLower,
		"joinQ":  joinQuery,
		"safeJS": func(s string) template.JS { return template.JS(template.JSEscapeString(s)) },
		"day":    day,
		// statusName names an order status: {{statusName $.Lang .Status}}.
		"statusName": func(l i18n.Lang, s any) string { return i18n.T(l, "order.status."+fmt.Sprint(s)) },
		// statusCSS is the URL of the status colours' stylesheet, or "".
		"statusCSS": func() string { return "" },
	}
}

// LabelNames returns, for a language, the message keys the operator
// renamed and their names (internal/masters).
type LabelNames interface {
	Names(ctx context.Context, lang i18n.Lang) (map[string]string, error)
}

// StatusNames is what pages need to show an order status as the
// operator named and coloured it (internal/order.StatusLabels).
type StatusNames interface {
	StatusName(lang i18n.Lang, status string) string
	StatusCSS() string
}

func (r *Renderer) statusName(l i18n.Lang, s any) string {
	if r.Statuses == nil {
		return i18n.T(l, "order.status."+fmt.Sprint(s))
	}
	return r.Statuses.StatusName(l, fmt.Sprint(s))
}

func (r *Renderer) statusCSS() string {
	if r.Statuses == nil {
		return ""
	}
	return r.Statuses.StatusCSS()
}

// day labels a delivery date for the page's language, "12月3日(木)" or
// "Thu 3 Dec": {{day $.Lang .Date}} with a calendar.Date or a
// "2006-01-02" string ("" stays "").
func day(l i18n.Lang, d any) string {
	switch v := d.(type) {
	case calendar.Date:
		return v.Label(l == i18n.English)
	case string:
		return calendar.LabelOf(v, l == i18n.English)
	}
	return fmt.Sprint(d)
}

// pick returns en when the page is English and en is not empty, else ja:
// {{pick $.Lang .NameJA .NameEN}}.
func pick(l i18n.Lang, ja, en string) string {
	if l == i18n.English && en != "" {
		return en
	}
	return ja
}

func seq(from, to int) []int {
	if to < from || to-from > 1000 {
		return nil
	}
	s := make([]int, 0, to-from+1)
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

// joinQuery builds "?k=v&…" from pairs, skipping empty values.
func joinQuery(pairs ...any) string {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v := fmt.Sprint(pairs[i+1])
		if v != "" && v != "0" {
			q.Set(fmt.Sprint(pairs[i]), v)
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// AddLayout parses a layout: a template that calls {{template "content" .}}.
// Files after the first are shared partials.
func (r *Renderer) AddLayout(name string, fsys fs.FS, files ...string) error {
	// Templates parsed from files are named by file name; the layout's own
	// name executes the first file (otherwise rendering fails "incomplete").
	t, err := template.New(name).Funcs(r.funcs).Parse(`{{template "` + path.Base(files[0]) + `" .}}`)
	if err == nil {
		t, err = t.ParseFS(fsys, files...)
	}
	if err != nil {
		return fmt.Errorf("web: layout %s: %w", name, err)
	}
	// ParseFS names templates after their files; the layout is executed by
	// its layout name, so that name must hold the first file's tree.
	if first := t.Lookup(path.Base(files[0])); first != nil && first != t {
		if _, err := t.AddParseTree(name, first.Tree); err != nil {
			return fmt.Errorf("web: layout %s: %w", name, err)
		}
	}
	r.layouts[name] = t
	return r.remember(fsys, files...)
}

// Source is one template or static file the shop was built with.
type Source struct {
	Path   string // as embedded: templates/product.html, static/app.css
	SHA256 string
}

// remember records the files' checksums for the integrity check.
func (r *Renderer) remember(fsys fs.FS, patterns ...string) error {
	for _, pat := range patterns {
		files, err := fs.Glob(fsys, pat)
		if err != nil {
			return err
		}
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			r.sources = append(r.sources, Source{Path: f, SHA256: hex.EncodeToString(sum[:])})
		}
	}
	return nil
}

// Sources lists every template parsed and every static file served, with
// its SHA-256, for `akinai verify`.
func (r *Renderer) Sources() []Source {
	out := append([]Source(nil), r.sources...)
	for name, b := range r.assets.files {
		sum := sha256.Sum256(b)
		out = append(out, Source{Path: "static/" + name, SHA256: hex.EncodeToString(sum[:])})
	}
	return out
}

// AddPages parses page templates into a layout. A page is named by its
// file name without extension ("product" for templates/product.html) and
// defines "content" and optionally "title" and "head". Files whose name
// starts with "_" are partials, not pages: they are parsed into every page
// of the same call, so pages can share {{define}}d blocks. Note that
// `//go:embed templates` leaves out files starting with "_": embed them with
// `//go:embed templates/*.html`.
func (r *Renderer) AddPages(layout string, fsys fs.FS, patterns ...string) error {
	base, ok := r.layouts[layout]
	if !ok {
		return fmt.Errorf("web: no layout %q", layout)
	}
	var pages, partials []string
	for _, pat := range patterns {
		files, err := fs.Glob(fsys, pat)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return fmt.Errorf("web: no templates match %s", pat)
		}
		for _, f := range files {
			if strings.HasPrefix(path.Base(f), "_") {
				partials = append(partials, f)
			} else {
				pages = append(pages, f)
			}
		}
	}
	for _, f := range pages {
		name := strings.TrimSuffix(path.Base(f), path.Ext(f))
		if _, dup := r.pages[name]; dup {
			return fmt.Errorf("web: page %q defined twice", name)
		}
		t := template.Must(base.Clone())
		if len(partials) > 0 {
			if _, err := t.ParseFS(fsys, partials...); err != nil {
				return fmt.Errorf("web: partials for %s: %w", f, err)
			}
		}
		t, err := t.ParseFS(fsys, f)
		if err != nil {
			return fmt.Errorf("web: page %s: %w", f, err)
		}
		r.pages[name] = t
		r.pageOf[name] = layout
	}
	return r.remember(fsys, append(pages, partials...)...)
}

// HasPage reports whether a page was parsed.
func (r *Renderer) HasPage(name string) bool { _, ok := r.pages[name]; return ok }

// Render renders page name with data and the given status. Rendering goes
// to a buffer first, so a template error becomes a clean 500 page instead
// of half a page.
func (r *Renderer) Render(w http.ResponseWriter, req *http.Request, status int, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	info := Info(req)
	p.Lang, p.Req, p.Info, p.slots = info.Lang, req, info, r.slots
	if r.Labels != nil {
		m, err := r.Labels.Names(req.Context(), info.Lang)
		if err != nil {
			return err
		}
		p.labels = m
	}
	if fn := r.LayoutData[r.pageOf[name]]; fn != nil && p.Layout == nil {
		ld, err := fn(req)
		if err != nil {
			return err
		}
		p.Layout = ld
	}
	if p.Flash == "" {
		p.Flash = takeFlash(w, req)
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, r.pageOf[name], p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if p.NoIndex {
		h.Set("X-Robots-Tag", "noindex, nofollow")
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("Content-Language", string(p.Lang))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// ShopLayout is what the storefront layout shows on every page.
type ShopLayout struct {
	ShopName   string
	Categories []NavCategory
}

// NavCategory is a top-level category in the storefront navigation.
type NavCategory struct {
	Slug, NameJA, NameEN string
}
