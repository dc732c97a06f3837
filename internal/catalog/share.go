package catalog

import (
	"context"
	"fmt"
	"strconv"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// share is what a page tells search engines and the sites it is shared
// on: Open Graph and Twitter card tags, and schema.org structured data
// as JSON-LD. The JSON-LD goes into <script type="application/ld+json">,
// a data block the browser never runs (so the CSP's script-src does not
// apply to it); html/template writes the value there as JSON with <, >
// and & escaped, so no text of a product or a review can close the
// element.
type share struct {
	Type        string // og:type: "website" or "product"
	Title       string
	Description string
	URL         string // the canonical URL
	Image       string // absolute, "" for none
	SiteName    string
	Locale      string // ja_JP or en_US
	Price       string // product:price:amount, tax included
	Currency    string
	// LD is the structured data: one schema.org object or a list.
	LD []map[string]any
}

// TwitterCard is the card type: a large image when there is one.
func (s *share) TwitterCard() string {
	if s.Image != "" {
		return "summary_large_image"
	}
	return "summary"
}

func locale(lang i18n.Lang) string {
	if lang == i18n.English {
		return "en_US"
	}
	return "ja_JP"
}

// schema.org availability for a stock state.
func availability(s StockState) string {
	if s == SoldOut {
		return "https://schema.org/OutOfStock"
	}
	if s == Few {
		return "https://schema.org/LimitedAvailability"
	}
	return "https://schema.org/InStock"
}

// productLD is the product page's structured data: Product with one
// Offer per variant (tax-included yen), AggregateRating and the latest
// reviews when there are published ones, and the BreadcrumbList.
func (h *Handlers) productLD(ctx context.Context, base string, v *productView, canon string, images []string, desc string, rev ReviewSummary, rates DisplayTax, rounding shop.Rounding) []map[string]any {
	p := v.P
	rate := rates.Rate(p.ID, p.TaxClass)
	var offers []map[string]any
	for _, vr := range p.Variants {
		o := map[string]any{
			"@type":         "Offer",
			"sku":           vr.SKU,
			"price":         strconv.FormatInt(int64(shop.IncludeTax(vr.Price, rate, rounding)), 10),
			"priceCurrency": "JPY",
			"availability":  availability(StateOf(vr.Stock)),
			"itemCondition": "https://schema.org/NewCondition",
			"url":           canon,
		}
		if vr.GTIN != "" {
			o["gtin"] = vr.GTIN
		}
		offers = append(offers, o)
	}
	prod := map[string]any{
		"@context":    "https://schema.org",
		"@type":       "Product",
		"@id":         canon + "#product",
		"name":        v.Name,
		"url":         canon,
		"description": desc,
		"offers":      offers,
	}
	if len(images) > 0 {
		prod["image"] = images
	}
	if len(p.Variants) == 1 {
		prod["sku"] = p.Variants[0].SKU
	}
	if p.Brand != "" {
		prod["brand"] = map[string]any{"@type": "Brand", "name": p.Brand}
	}
	if rev.Count > 0 {
		prod["aggregateRating"] = map[string]any{
			"@type":       "AggregateRating",
			"ratingValue": fmt.Sprintf("%.1f", rev.Average),
			"reviewCount": rev.Count,
			"bestRating":  5,
			"worstRating": 1,
		}
		var list []map[string]any
		for _, r := range rev.Latest {
			list = append(list, map[string]any{
				"@type":         "Review",
				"name":          r.Title,
				"reviewBody":    r.Body,
				"datePublished": r.Published,
				"author":        map[string]any{"@type": "Person", "name": r.Author},
				"reviewRating":  map[string]any{"@type": "Rating", "ratingValue": r.Stars, "bestRating": 5, "worstRating": 1},
			})
		}
		if len(list) > 0 {
			prod["review"] = list
		}
	}
	return []map[string]any{prod, breadcrumbLD(base, v.Crumbs, v.Name, canon)}
}

// breadcrumbLD is the BreadcrumbList of a page's trail; the page itself
// is the last item.
func breadcrumbLD(base string, crumbs []crumb, name, canon string) map[string]any {
	var items []map[string]any
	for i, c := range crumbs {
		items = append(items, map[string]any{"@type": "ListItem", "position": i + 1, "name": c.Name, "item": base + c.URL})
	}
	items = append(items, map[string]any{"@type": "ListItem", "position": len(crumbs) + 1, "name": name, "item": canon})
	return map[string]any{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
}

// organizationLD describes the shop on its top page.
func organizationLD(base, name, legal string) []map[string]any {
	org := map[string]any{"@context": "https://schema.org", "@type": "Organization", "@id": base + "/#organization", "name": name, "url": base + "/"}
	if legal != "" {
		org["legalName"] = legal
	}
	site := map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": name, "url": base + "/",
		"publisher": map[string]any{"@id": base + "/#organization"}}
	return []map[string]any{org, site}
}
