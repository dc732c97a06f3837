package catalog

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// listParams are a listing's query parameters after cleaning: anything
// unknown or malformed falls back to its default, never to an error.
type listParams struct {
	Q        string // cleaned, as typed
	Keywords []string
	Category string // slug; "" for all
	Sort     string
	Page     int
	Limit    int
}

func parseList(q url.Values) listParams {
	p := listParams{Q: CleanQuery(q.Get("q")), Category: q.Get("category"), Sort: q.Get("sort"), Limit: PageSizes[0]}
	p.Keywords = Keywords(p.Q)
	if p.Sort != SortPriceAsc && p.Sort != SortPriceDesc {
		p.Sort = SortNew
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n < 1_000_000 {
		p.Page = n
	} else {
		p.Page = 1
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && slices.Contains(PageSizes, n) {
		p.Limit = n
	}
	if len(p.Category) > 200 {
		p.Category = ""
	}
	return p
}

// key identifies the listing in the fragment cache.
func (p listParams) key(path string) string {
	return path + "|" + p.Category + "|" + p.Q + "|" + p.Sort + "|" + strconv.Itoa(p.Page) + "|" + strconv.Itoa(p.Limit)
}

// values returns the non-default parameters, for links and canonicals.
func (p listParams) values(page int, withCategory bool) url.Values {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if withCategory && p.Category != "" {
		v.Set("category", p.Category)
	}
	if p.Sort != SortNew {
		v.Set("sort", p.Sort)
	}
	if p.Limit != PageSizes[0] {
		v.Set("limit", strconv.Itoa(p.Limit))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// listView is the data of the listing fragment.
type listView struct {
	En         bool
	Lang       i18n.Lang
	Heading    string
	Crumbs     []crumb
	Subs       []link
	Cards      []cardView
	Total      int
	AtLeast    bool // Total is where counting stopped
	Page       int
	Pages      []pageLink
	Prev, Next string
	Q          string
	Category   string // slug of the category filter, kept in the search form
	Action     string // the form's action: /products or /categories/{slug}
	Sorts      []option
	Limits     []option
	Searching  bool
}

type crumb struct{ Name, URL string }
type link struct{ Name, URL string }
type option struct {
	Value, Label string
	Selected     bool
}
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// buildList renders the listing fragment for path (either /products or
// a category's page) with the category c (nil for all products).
func (h *Handlers) buildList(ctx context.Context, lang i18n.Lang, path string, p listParams, c *Category, tree *Tree) (*fragment, error) {
	en := lang == i18n.English
	sw, err := h.switches(ctx)
	if err != nil {
		return nil, err
	}
	lq := ListQuery{Keywords: p.Keywords, Sort: p.Sort, Page: p.Page, Limit: p.Limit, HideSoldOut: sw.HideSoldOut}
	if c != nil {
		lq.CategoryIDs = tree.Descendants(c)
	}
	res, err := h.Store.List(ctx, lq)
	if err != nil {
		return nil, err
	}
	rates, rounding, err := h.displayRates(ctx)
	if err != nil {
		return nil, err
	}
	withCat := path == "/products"
	v := &listView{En: en, Lang: lang, Cards: cards(res.Items, lang, rates, rounding), Total: res.Total, AtLeast: res.AtLeast, Page: res.Page,
		Q: p.Q, Action: path, Searching: len(p.Keywords) > 0}
	if withCat {
		v.Category = p.Category
	}
	v.Heading = i18n.T(lang, "catalog.all_products")
	if c != nil {
		v.Heading = c.Name(en)
		v.Crumbs = append(v.Crumbs, crumb{i18n.T(lang, "nav.home"), "/"})
		for _, a := range tree.Path(c) {
			v.Crumbs = append(v.Crumbs, crumb{a.Name(en), "/categories/" + a.Slug})
		}
		for _, ch := range c.Children {
			v.Subs = append(v.Subs, link{ch.Name(en), "/categories/" + ch.Slug})
		}
	}
	pageURL := func(n int) string {
		q := p.values(n, withCat)
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	for _, n := range pageNumbers(res.Page, res.Pages) {
		if n == 0 {
			v.Pages = append(v.Pages, pageLink{Gap: true})
			continue
		}
		v.Pages = append(v.Pages, pageLink{N: n, URL: pageURL(n), Current: n == res.Page})
	}
	if res.Page > 1 {
		v.Prev = pageURL(res.Page - 1)
	}
	if res.Page < res.Pages {
		v.Next = pageURL(res.Page + 1)
	}
	for _, s := range []string{SortNew, SortPriceAsc, SortPriceDesc} {
		v.Sorts = append(v.Sorts, option{s, i18n.T(lang, "catalog.sort."+s), s == p.Sort})
	}
	for _, n := range PageSizes {
		v.Limits = append(v.Limits, option{strconv.Itoa(n), i18n.T(lang, "catalog.per_page", n), n == p.Limit})
	}
	body, err := h.execute("list", v)
	if err != nil {
		return nil, err
	}
	f := &fragment{Body: body, Title: v.Heading}
	if v.Searching {
		f.Title = i18n.T(lang, "catalog.search_title", p.Q)
		// Search results are not pages to index.
		f.NoIndex = true
	}
	if res.Page > 1 {
		f.Title += " " + i18n.T(lang, "catalog.page_n", res.Page)
	}
	f.Description = i18n.T(lang, "catalog.list_description", v.Heading, res.Total)
	cpath, cq := canonicalList(path, p, c, res.Page)
	f.Canonical, f.Alternates = h.canonical(ctx, lang, cpath, cq)
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	f.Share = &share{Type: "website", Title: f.Title, Description: f.Description, URL: f.Canonical, SiteName: sh.DisplayName(lang), Locale: locale(lang)}
	if c != nil && !v.Searching {
		var crumbs []crumb
		if len(v.Crumbs) > 1 {
			crumbs = v.Crumbs[:len(v.Crumbs)-1]
		}
		f.Share.LD = []map[string]any{breadcrumbLD(h.base(ctx), crumbs, c.Name(en), f.Canonical)}
	}
	return f, nil
}

// canonicalList returns the path and query of a listing's canonical URL.
// Every variant of a listing points at one URL per page of results: the
// sort order and the page size only rearrange the same products, so they
// are dropped, and so is any parameter the listing does not know
// (utm_source, a misspelt one); the page number stays, since page 2
// holds other products than page 1 (Google: each page of a paginated
// series is its own canonical). The product list filtered by a category
// and nothing else is the category's own page.
func canonicalList(path string, p listParams, c *Category, page int) (string, url.Values) {
	q := url.Values{}
	if path == "/products" && c != nil && p.Q == "" {
		path = "/categories/" + c.Slug
	} else if path == "/products" && p.Category != "" {
		q.Set("category", p.Category)
	}
	if p.Q != "" {
		q.Set("q", p.Q)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return path, q
}

// pageNumbers returns the page numbers to link: the first, the last and
// two around the current one, with 0 marking a gap.
func pageNumbers(cur, last int) []int {
	var out []int
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= cur-2 && n <= cur+2) {
			out = append(out, n)
		} else if len(out) > 0 && out[len(out)-1] != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// products serves GET /products: every public product, filtered by q and
// category (with its descendants), sorted and paginated.
func (h *Handlers) products(w http.ResponseWriter, r *http.Request) error {
	p := parseList(r.URL.Query())
	tree, err := h.Store.Tree(r.Context())
	if err != nil {
		return err
	}
	c := tree.BySlug(p.Category)
	if c == nil {
		p.Category = ""
	}
	return h.renderCached(w, r, p.key("/products"), func(ctx context.Context, lang i18n.Lang) (*fragment, error) {
		return h.buildList(ctx, lang, "/products", p, c, tree)
	})
}

// category serves GET /categories/{slug}: the category's products and
// its descendants', with breadcrumbs and links to subcategories.
func (h *Handlers) category(w http.ResponseWriter, r *http.Request) error {
	tree, err := h.Store.Tree(r.Context())
	if err != nil {
		return err
	}
	c := tree.BySlug(r.PathValue("slug"))
	if c == nil {
		return shop.ErrNotFound
	}
	p := parseList(r.URL.Query())
	p.Category = c.Slug
	path := "/categories/" + c.Slug
	return h.renderCached(w, r, p.key(path), func(ctx context.Context, lang i18n.Lang) (*fragment, error) {
		return h.buildList(ctx, lang, path, p, c, tree)
	})
}
