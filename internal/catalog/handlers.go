package catalog

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates/*.html fragments/*.html
var templateFS embed.FS

// Handlers serve the catalogue pages.
type Handlers struct {
	Store    *Store
	Render   *web.Renderer
	Settings *settings.Store
	// BaseURL is the configured public URL, used for canonical links
	// unless the shop.url setting names another.
	BaseURL string
	Log     *slog.Logger
	// HomeBlocks, when set, renders more blocks for the top page (news and
	// the business calendar, from internal/content).
	HomeBlocks func(ctx context.Context, lang i18n.Lang) (template.HTML, error)
	// PageFields, when set, returns text the shop pages quote by
	// placeholder ("{payment_methods}" → "クレジットカード、銀行振込"),
	// filled in when a page is rendered so it follows the settings.
	PageFields func(ctx context.Context, lang i18n.Lang) (map[string]string, error)
	// Reviews, when set, returns a product's published reviews for its
	// page and structured data (internal/review).
	Reviews func(ctx context.Context, lang i18n.Lang, productID int64) (ReviewSummary, error)
	// ProductShelves and HomeShelves, when set, return rows of products
	// for the product page and the top page (internal/recommend).
	ProductShelves func(ctx context.Context, productID int64) ([]Shelf, error)
	HomeShelves    func(ctx context.Context) ([]Shelf, error)

	frags *template.Template
	cache *ttlCache[*fragment]
	feeds *ttlCache[[]byte]
}

// NewHandlers parses the catalogue's templates (a broken one fails the
// boot) and registers its pages in the shop layout.
func NewHandlers(s *Store, r *web.Renderer, st *settings.Store, baseURL string, log *slog.Logger) (*Handlers, error) {
	if err := r.AddPages("shop", templateFS, "templates/*.html"); err != nil {
		return nil, err
	}
	frags, err := template.New("fragments").Funcs(template.FuncMap{
		"pick": func(en bool, ja, e string) string {
			if en && e != "" {
				return e
			}
			return ja
		},
		"t": i18n.T,
	}).ParseFS(templateFS, "fragments/*.html")
	if err != nil {
		return nil, err
	}
	return &Handlers{Store: s, Render: r, Settings: st, BaseURL: strings.TrimRight(baseURL, "/"), Log: log,
		frags: frags, cache: newTTLCache[*fragment](2048), feeds: newTTLCache[[]byte](4)}, nil
}

// fragment is the cached, rendered main part of a page. The layout
// around it (shop name, navigation, cart count, language switch) is
// rendered per request; the fragment only when the catalogue changed or
// CacheTTL passed, because html/template rendering is what a listing
// costs most (docs/PERFORMANCE.md).
type fragment struct {
	Title, Description string
	Canonical          string
	Alternates         []alternate
	NoIndex            bool
	Body               template.HTML
	// Share is the page's Open Graph / Twitter card and structured data.
	Share *share
}

type alternate struct{ Lang, URL string }

// renderCached serves the page for key from the fragment cache, building
// it with build on a miss.
func (h *Handlers) renderCached(w http.ResponseWriter, r *http.Request, key string, build func(ctx context.Context, lang i18n.Lang) (*fragment, error)) error {
	lang := web.Lang(r)
	key = string(lang) + "|" + strconv.FormatUint(h.Store.Version(), 10) + "|" + key
	f, err := h.cache.loadOrFill(key, func() (*fragment, error) { return build(r.Context(), lang) })
	if err != nil {
		return err
	}
	return h.Render.RenderShared(w, r, http.StatusOK, "catalog_cached", key, CacheTTL, &web.Page{
		Title: f.Title, Description: f.Description, Canonical: f.Canonical, NoIndex: f.NoIndex, Data: f,
	})
}

// execute renders a fragment template into HTML.
func (h *Handlers) execute(name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := h.frags.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// base returns the shop's public URL without a trailing slash.
func (h *Handlers) base(ctx context.Context) string {
	if u, err := h.Settings.Get(ctx, settings.ShopURL); err == nil && u != "" {
		if p, err := url.Parse(u); err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "" {
			return strings.TrimRight(u, "/")
		}
	}
	return h.BaseURL
}

// canonical returns the page's canonical URL in lang and its hreflang
// alternates. Japanese, the default, has no lang parameter.
func (h *Handlers) canonical(ctx context.Context, lang i18n.Lang, path string, q url.Values) (string, []alternate) {
	base := h.base(ctx) + path
	with := func(l string) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		if l != "" {
			v.Set("lang", l)
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	alts := []alternate{{"ja", with("")}, {"en", with("en")}, {"x-default", with("")}}
	if lang == i18n.English {
		return with("en"), alts
	}
	return with(""), alts
}

// priceView is a tax-included price ready to show.
type priceView struct {
	Price   string // "¥1,080"
	List    string // struck-through list price, or ""
	Rate    string // "8"
	Reduced bool
}

// shownPrice returns the tax-included price of an amount excluding tax.
func shownPrice(excl shop.Yen, rate shop.TaxRate, r shop.Rounding) string {
	return "¥" + shop.IncludeTax(excl, rate, r).String()
}

// displayRates returns the rates in force now and the shop's rounding.
func (h *Handlers) displayRates(ctx context.Context) (DisplayTax, shop.Rounding, error) {
	rates, err := h.Store.Display(ctx)
	if err != nil {
		return DisplayTax{}, "", err
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return DisplayTax{}, "", err
	}
	return rates, sh.Rounding, nil
}

// cardView is a product as a listing card shows it.
type cardView struct {
	Slug, Name, Image string
	Price             string
	From              bool // several prices: "〜"
	Reduced           bool
	SoldOut           bool
	// Labels in the page's language: 「税込」, 軽減税率, 売り切れ.
	TaxNote, ReducedNote, SoldOutNote string
}

func cards(items []ListItem, lang i18n.Lang, rates DisplayTax, r shop.Rounding) []cardView {
	out := make([]cardView, 0, len(items))
	en := lang == i18n.English
	taxNote, reducedNote, soldOut := i18n.T(lang, "catalog.tax_included"), i18n.T(lang, "catalog.reduced_rate"), i18n.T(lang, "catalog.stock.sold_out")
	for _, it := range items {
		rate := rates.Rate(it.ID, it.TaxClass)
		c := cardView{Slug: it.Slug, Name: it.NameJA, Image: it.ImageKey, SoldOut: it.SoldOut,
			Price: shownPrice(it.PriceMin, rate, r), From: it.PriceMax > it.PriceMin,
			Reduced: rate.Reduced(), TaxNote: taxNote, ReducedNote: reducedNote, SoldOutNote: soldOut}
		if en && it.NameEN != "" {
			c.Name = it.NameEN
		}
		out = append(out, c)
	}
	return out
}
