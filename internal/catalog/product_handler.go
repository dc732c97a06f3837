package catalog

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// productView is the product page's data.
type productView struct {
	P          *Product
	Name       string
	Crumbs     []crumb
	Images     []imageView
	Price      priceView // of the cheapest variant
	From       bool
	Rows       []variantRow
	Axes       []axisView
	Buyable    bool
	Alternates []alternate
	FreeArea   template.HTML // rendered by Markup
	Share      *share
	Reviews    ReviewSummary
	Stars      string        // ★★★★☆ for the average
	Shelves    template.HTML // recommendations
	OnSale     bool          // a sale price applies now
	Related    template.HTML // the related products' cards
	// Preview marks an admin's preview: never cached, never indexed.
	Preview bool
}

type imageView struct{ URL, Alt string }

type axisView struct {
	Name   string
	Values []string
}

type variantRow struct {
	ID        int64
	SKU       string
	Label     string // "藍 / M" or the product name
	V1, V2    string
	Price     priceView
	State     StockState
	StateText string
	Limit     int // per-order limit, 0 for none
	Disabled  bool
}

// product serves GET /products/{slug}. Private, archived and unknown
// products are the shop's 404 page.
func (h *Handlers) product(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := h.Store.Product(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	// The page is built only when it is not in the shared page cache.
	// Reviews and recommendations renew this page alone (TouchProducts).
	key := "/products/" + p.Slug + "|" + strconv.FormatUint(h.Store.Version(), 10) + "." + h.Store.productVersion(p.ID)
	return h.Render.RenderSharedFunc(w, r, http.StatusOK, "catalog_product", key, CacheTTL, func() (*web.Page, error) {
		return h.productPage(r, p)
	})
}

// productPage builds the product page's data.
func (h *Handlers) productPage(r *http.Request, p *Product) (*web.Page, error) {
	ctx := r.Context()
	rates, rounding, err := h.displayRates(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := h.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	lang := web.Lang(r)
	en := lang == i18n.English
	rate := rates.Rate(p.ID, p.TaxClass)
	v := &productView{P: p, Name: pickName(en, p.NameJA, p.NameEN)}
	now := h.Store.DB.Now()
	sale := OnSale(p.SaleFrom, p.SaleUntil, now)
	sw, err := h.switches(ctx)
	if err != nil {
		return nil, err
	}
	v.Crumbs = append(v.Crumbs, crumb{i18n.T(lang, "nav.home"), "/"})
	if len(p.CategoryIDs) > 0 {
		// The deepest category makes the most useful trail.
		var best []*Category
		for _, id := range p.CategoryIDs {
			if c := tree.ByID(id); c != nil {
				if path := tree.Path(c); len(path) > len(best) {
					best = path
				}
			}
		}
		for _, c := range best {
			v.Crumbs = append(v.Crumbs, crumb{c.Name(en), "/categories/" + c.Slug})
		}
	}
	for _, im := range p.Images {
		v.Images = append(v.Images, imageView{URL: "/images/" + im.Key, Alt: pickName(en, im.AltJA, im.AltEN)})
	}
	for _, a := range p.Axes {
		av := axisView{Name: pickName(en, a.NameJA, a.NameEN)}
		for _, val := range a.Values {
			av.Values = append(av.Values, pickName(en, val.NameJA, val.NameEN))
		}
		v.Axes = append(v.Axes, av)
	}
	price := func(vr Variant) shop.Yen {
		if sale && vr.SalePrice != nil {
			return *vr.SalePrice
		}
		return vr.Price
	}
	for i, vr := range p.Variants {
		row := variantRow{ID: vr.ID, SKU: vr.SKU, Label: vr.Name(en), State: StateOf(vr.Stock),
			Price: priceView{Price: shownPrice(price(vr), rate, rounding), Rate: rate.Percent(), Reduced: rate.Reduced()}}
		if vr.Value1 != nil {
			row.V1 = pickName(en, vr.Value1.NameJA, vr.Value1.NameEN)
		}
		if vr.Value2 != nil {
			row.V2 = pickName(en, vr.Value2.NameJA, vr.Value2.NameEN)
		}
		if row.Label == "" {
			row.Label = v.Name
		}
		switch {
		case price(vr) < vr.Price: // on sale: the regular price struck through
			row.Price.List, v.OnSale = shownPrice(vr.Price, rate, rounding), true
		case vr.ListPrice != nil && *vr.ListPrice > vr.Price:
			row.Price.List = shownPrice(*vr.ListPrice, rate, rounding)
		}
		if vr.SaleLimit != nil {
			row.Limit = *vr.SaleLimit
		}
		row.StateText = i18n.T(lang, "catalog.stock."+string(row.State))
		if vr.Stock != nil && *vr.Stock > 0 && *vr.Stock < sw.StockLeftUnder {
			row.StateText = i18n.T(lang, "catalog13.stock_left", *vr.Stock)
		}
		row.Disabled = row.State == SoldOut
		if !row.Disabled {
			v.Buyable = true
		}
		if i > 0 && price(vr) != price(p.Variants[0]) {
			v.From = true
		}
		v.Rows = append(v.Rows, row)
	}
	if len(v.Rows) == 0 {
		// A product without an active variant cannot be shown or sold.
		return nil, shop.ErrNotFound
	}
	{
		// The headline shows the cheapest price.
		cheapest := p.Variants[0]
		for _, vr := range p.Variants {
			if price(vr) < price(cheapest) {
				cheapest = vr
			}
		}
		v.Price = priceView{Price: shownPrice(price(cheapest), rate, rounding), Rate: rate.Percent(), Reduced: rate.Reduced()}
		if price(cheapest) < cheapest.Price {
			v.Price.List = shownPrice(cheapest.Price, rate, rounding)
		}
	}
	if len(p.Related) > 0 {
		if v.Related, err = h.execute("cardlist", cards(p.Related, lang, rates, rounding)); err != nil {
			return nil, err
		}
	}
	v.FreeArea = Markup(pickName(en, p.FreeAreaJA, p.FreeAreaEN))
	canon, alts := h.canonical(ctx, lang, "/products/"+p.Slug, url.Values{})
	v.Alternates = alts
	desc := pickName(en, p.DescriptionJA, p.DescriptionEN)
	if r := []rune(desc); len(r) > 120 {
		desc = string(r[:120]) + "…"
	}
	if h.Reviews != nil {
		if v.Reviews, err = h.Reviews(ctx, lang, p.ID); err != nil {
			return nil, err
		}
		v.Stars = Stars(v.Reviews.Average)
	}
	if h.ProductShelves != nil {
		in, err := h.ProductShelves(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		if v.Shelves, err = h.shelfHTML(ctx, lang, in); err != nil {
			return nil, err
		}
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	base := h.base(ctx)
	var images []string
	for _, im := range v.Images {
		images = append(images, base+im.URL)
	}
	ldDesc := desc
	if ldDesc == "" {
		ldDesc = v.Name
	}
	v.Share = &share{Type: "product", Title: v.Name, Description: ldDesc, URL: canon, SiteName: sh.DisplayName(lang), Locale: locale(lang),
		Price: strings.TrimPrefix(strings.ReplaceAll(v.Price.Price, ",", ""), "¥"), Currency: "JPY",
		LD: h.productLD(ctx, base, v, canon, images, ldDesc, v.Reviews, rates, rounding)}
	if len(images) > 0 {
		v.Share.Image = images[0]
	}
	return &web.Page{Title: v.Name, Description: desc, Canonical: canon, Data: v}, nil
}

func pickName(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}
