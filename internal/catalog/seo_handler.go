package catalog

import (
	"encoding/xml"
	"net/http"
)

// robots serves GET /robots.txt: the cart and checkout are not for
// crawlers; the sitemap is named with the shop's public URL.
func (h *Handlers) robots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err := w.Write([]byte("User-agent: *\nDisallow: /cart\nDisallow: /checkout\nDisallow: /products?*q=\n\nSitemap: " + h.base(r.Context()) + "/sitemap.xml\n"))
	return err
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap serves GET /sitemap.xml: the top page, the product list,
// every category, public product and shop page.
func (h *Handlers) sitemap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	base := h.base(ctx)
	urls := []sitemapURL{{Loc: base + "/"}, {Loc: base + "/products"}}
	tree, err := h.Store.Tree(ctx)
	if err != nil {
		return err
	}
	for _, c := range tree.All() {
		urls = append(urls, sitemapURL{Loc: base + "/categories/" + c.Slug})
	}
	products, err := h.Store.SitemapProducts(ctx)
	if err != nil {
		return err
	}
	for _, p := range products {
		urls = append(urls, sitemapURL{Loc: base + "/products/" + p.Slug, LastMod: p.Updated})
	}
	pages, err := h.Store.Pages(ctx)
	if err != nil {
		return err
	}
	for _, p := range pages {
		urls = append(urls, sitemapURL{Loc: base + "/pages/" + p.Slug, LastMod: p.UpdatedAt.UTC().Format("2006-01-02")})
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=600")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	return enc.Encode(struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		URLs    []sitemapURL `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: urls})
}
