package review

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html fragments/*.html
var templateFS embed.FS

// Handlers serve the review form and the reviews section of the product
// page.
type Handlers struct {
	Store   *Store
	Catalog *catalog.Store
	Render  *web.Renderer
	Limits  throttle.Limits
	// Customer returns the signed-in customer's ID, or an Unauthorized
	// error (customer.Handlers.Current).
	Customer func(w http.ResponseWriter, r *http.Request) (int64, error)

	frags *template.Template
}

// NewHandlers parses the templates (a broken one fails the boot).
func NewHandlers(s *Store, cat *catalog.Store, r *web.Renderer, limits throttle.Limits, customer func(http.ResponseWriter, *http.Request) (int64, error)) (*Handlers, error) {
	if err := r.AddPages("shop", templateFS, "templates/review_*.html"); err != nil {
		return nil, err
	}
	frags, err := template.New("fragments").Funcs(template.FuncMap{
		"t": i18n.T, "stars": func(v any) string {
			switch n := v.(type) {
			case int:
				return catalog.Stars(float64(n))
			case float64:
				return catalog.Stars(n)
			}
			return ""
		}, "day": func(l i18n.Lang, r Review) string { return day(l, r) },
	}).ParseFS(templateFS, "fragments/*.html")
	if err != nil {
		return nil, err
	}
	return &Handlers{Store: s, Catalog: cat, Render: r, Limits: limits, Customer: customer, frags: frags}, nil
}

// Routes mounts the review form.
func (h *Handlers) Routes(mux *http.ServeMux) {
	mux.Handle("GET /products/{slug}/review", h.Render.Handle(h.formPage))
	mux.Handle("POST /products/{slug}/review", web.Form(h.Render.Handle(h.post), "body"))
}

// formView is the data of review_form.html.
type formView struct {
	Product    *catalog.Product
	Name       string
	F          Form
	Errors     map[string]string // field → message, in the page's language
	Mine       *Review           // the customer's review when they wrote one
	NotBought  bool
	MaxTitle   int
	MaxBody    int
	MaxNick    int
	StarValues []int
}

// signedIn returns the customer, or sends the browser to sign in and
// back to the form.
func (h *Handlers) signedIn(w http.ResponseWriter, r *http.Request, slug string) (int64, bool, error) {
	id, err := h.Customer(w, r)
	if shop.KindOf(err) == shop.Unauthorized {
		http.Redirect(w, r, "/mypage/login?next=/products/"+slug+"/review", http.StatusSeeOther)
		return 0, false, nil
	}
	return id, err == nil, err
}

func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, v *formView) error {
	v.MaxTitle, v.MaxBody, v.MaxNick, v.StarValues = MaxTitle, MaxBody, MaxNickname, []int{5, 4, 3, 2, 1}
	w.Header().Set("Cache-Control", "no-store")
	return h.Render.Render(w, r, status, "review_form", &web.Page{Title: web.T(r, "review.form.title", v.Name), NoIndex: true, Data: v})
}

// formPage serves GET /products/{slug}/review: the form for a customer
// who bought the product, their review when they wrote one, or why they
// cannot write one.
func (h *Handlers) formPage(w http.ResponseWriter, r *http.Request) error {
	p, err := h.Catalog.Product(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	cid, ok, err := h.signedIn(w, r, p.Slug)
	if !ok {
		return err
	}
	v := &formView{Product: p, Name: name(web.Lang(r), p)}
	if v.Mine, err = h.Store.Mine(r.Context(), cid, p.ID); err != nil {
		return err
	}
	if v.Mine == nil {
		_, err := Purchase(r.Context(), h.Store.DB, cid, p.ID)
		if err == ErrNotBought {
			v.NotBought = true
			return h.render(w, r, http.StatusForbidden, v)
		}
		if err != nil {
			return err
		}
	}
	return h.render(w, r, http.StatusOK, v)
}

// post serves POST /products/{slug}/review: the form again with its
// errors (422), or the review stored as pending and the product page
// with a flash saying it will appear once the shop has checked it.
// Each post counts against the limits per address and per customer.
func (h *Handlers) post(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := h.Catalog.Product(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	cid, ok, err := h.signedIn(w, r, p.Slug)
	if !ok {
		return err
	}
	addr := web.Info(r).ClientIP.String()
	if err := h.Limits.Allow(ctx, h.Store.DB, throttle.ReviewIP, addr); err != nil {
		return err
	}
	if err := h.Limits.Allow(ctx, h.Store.DB, throttle.ReviewCustomer, strconv.FormatInt(cid, 10)); err != nil {
		return err
	}
	f := Form{Nickname: r.PostFormValue("nickname"), Stars: r.PostFormValue("stars"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	nick, stars, title, body, errs := f.Validate()
	v := &formView{Product: p, Name: name(web.Lang(r), p), F: f}
	if errs = web.FieldErrors(r, errs); len(errs) > 0 {
		v.Errors = messages(r, errs)
		return h.render(w, r, http.StatusUnprocessableEntity, v)
	}
	rv := &Review{ProductID: p.ID, CustomerID: cid, Nickname: nick, Stars: stars, Title: title, Body: body, Lang: string(web.Lang(r)), Address: addr}
	if err := h.Store.Create(ctx, rv); err != nil {
		if err == ErrNotBought {
			v.NotBought = true
			return h.render(w, r, http.StatusForbidden, v)
		}
		return err
	}
	web.SetFlash(w, r, "review.posted")
	http.Redirect(w, r, "/products/"+p.Slug, http.StatusSeeOther)
	return nil
}

// messages words field errors in the request's language: a length
// error names its limit.
func messages(r *http.Request, errs map[string]string) map[string]string {
	limits := map[string]int{"review.err.nickname_too_long": MaxNickname, "review.err.title_too_long": MaxTitle,
		"review.err.body_too_long": MaxBody, "review.err.reply_too_long": MaxReply}
	out := make(map[string]string, len(errs))
	for field, key := range errs {
		if n, ok := limits[key]; ok {
			out[field] = web.T(r, key, n)
		} else {
			out[field] = web.T(r, key)
		}
	}
	return out
}

func name(l i18n.Lang, p *catalog.Product) string {
	if l == i18n.English && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameJA
}

// sectionView is the data of the reviews section.
type sectionView struct {
	Lang    i18n.Lang
	Slug    string
	Count   int
	Average float64
	Reviews []Review
}

// MaxShown is how many reviews the product page shows (newest first).
const MaxShown = 20

// Section returns a product's reviews for its page (catalog.Handlers
// .Reviews): the same for every visitor, so the page stays shared; the
// review package renews the page (catalog.Store.TouchProducts) whenever
// the shop publishes, rejects or replies.
func (h *Handlers) Section(ctx context.Context, lang i18n.Lang, productID int64) (catalog.ReviewSummary, error) {
	var out catalog.ReviewSummary
	count, avg, latest, err := h.Store.Summary(ctx, productID, MaxShown)
	if err != nil {
		return out, err
	}
	out.Count, out.Average = count, avg
	slug := ""
	for i, r := range latest {
		slug = r.ProductSlug
		if i < 5 {
			out.Latest = append(out.Latest, catalog.ReviewLD{Author: r.Nickname, Stars: r.Stars, Title: r.Title, Body: r.Body,
				Published: r.CreatedAt.In(jst).Format("2006-01-02")})
		}
	}
	if slug == "" {
		if err := h.Store.DB.QueryRow(ctx, `SELECT slug FROM products WHERE id = ?`, productID).Scan(&slug); err != nil {
			return out, err
		}
	}
	var b bytes.Buffer
	if err := h.frags.ExecuteTemplate(&b, "reviews", &sectionView{Lang: lang, Slug: slug, Count: count, Average: avg, Reviews: latest}); err != nil {
		return out, err
	}
	out.HTML = template.HTML(b.String())
	return out, nil
}
