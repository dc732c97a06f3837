package catalog

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/akinai/akinai/internal/i18n"
)

// homeView is the data of the top page fragment.
type homeView struct {
	En         bool
	Lang       i18n.Lang
	New        []cardView
	Featured   []cardView
	Categories []homeCategory
	Blocks     template.HTML
	Shelves    template.HTML // the operator's recommendations
}

type homeCategory struct {
	Name, URL string
	Children  []link
}

// home serves GET /: new arrivals, featured products and the categories.
func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path != "/" {
		return h.notFound(w, r)
	}
	// Recommendations renew the top page alone (TouchHome).
	return h.renderCached(w, r, "/|"+strconv.FormatUint(h.Store.homeVersion(), 10), h.buildHome)
}

func (h *Handlers) buildHome(ctx context.Context, lang i18n.Lang) (*fragment, error) {
	en := lang == i18n.English
	sw, err := h.switches(ctx)
	if err != nil {
		return nil, err
	}
	newest, err := h.Store.List(ctx, ListQuery{Sort: SortNew, Page: 1, Limit: 8, HideSoldOut: sw.HideSoldOut})
	if err != nil {
		return nil, err
	}
	featured, err := h.Store.Featured(ctx, 8)
	if err != nil {
		return nil, err
	}
	tree, err := h.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	rates, rounding, err := h.displayRates(ctx)
	if err != nil {
		return nil, err
	}
	v := &homeView{En: en, Lang: lang, New: cards(newest.Items, lang, rates, rounding), Featured: cards(featured, lang, rates, rounding)}
	for _, c := range tree.Roots {
		hc := homeCategory{Name: c.Name(en), URL: "/categories/" + c.Slug}
		for _, ch := range c.Children {
			hc.Children = append(hc.Children, link{ch.Name(en), "/categories/" + ch.Slug})
		}
		v.Categories = append(v.Categories, hc)
	}
	if h.HomeShelves != nil {
		in, err := h.HomeShelves(ctx)
		if err != nil {
			return nil, err
		}
		if v.Shelves, err = h.shelfHTML(ctx, lang, in); err != nil {
			return nil, err
		}
	}
	if h.HomeBlocks != nil {
		if v.Blocks, err = h.HomeBlocks(ctx, lang); err != nil {
			return nil, err
		}
	}
	body, err := h.execute("home", v)
	if err != nil {
		return nil, err
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	f := &fragment{Body: body, Title: i18n.T(lang, "catalog.home_title"), Description: i18n.T(lang, "catalog.home_description", sh.DisplayName(lang))}
	f.Canonical, f.Alternates = h.canonical(ctx, lang, "/", url.Values{})
	base := h.base(ctx)
	f.Share = &share{Type: "website", Title: sh.DisplayName(lang), Description: f.Description, URL: f.Canonical,
		SiteName: sh.DisplayName(lang), Locale: locale(lang), LD: organizationLD(base, sh.DisplayName(lang), sh.Company)}
	return f, nil
}

// notFound renders the shop's 404 page.
func (h *Handlers) notFound(w http.ResponseWriter, r *http.Request) error {
	h.Render.NotFound(w, r)
	return nil
}
