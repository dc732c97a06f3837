package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// FeedPath is the product feed for Google Merchant Center: RSS 2.0 with
// the g: namespace, one item per active variant of a public product
// (Merchant Center wants each variant as its own item, tied together by
// item_group_id). docs/OPERATIONS.md says how to register it.
const FeedPath = "/feeds/google-merchant.xml"

// GoogleNS is the namespace of Merchant Center's attributes.
const GoogleNS = "http://base.google.com/ns/1.0"

// FeedItem is one item of the feed, with the Merchant Center attributes
// (product data specification) by their names.
type FeedItem struct {
	ID               string `xml:"g:id"`
	Title            string `xml:"g:title"`
	Description      string `xml:"g:description"`
	Link             string `xml:"g:link"`
	ImageLink        string `xml:"g:image_link"`
	Availability     string `xml:"g:availability"`
	Price            string `xml:"g:price"`
	Condition        string `xml:"g:condition"`
	Brand            string `xml:"g:brand,omitempty"`
	GTIN             string `xml:"g:gtin,omitempty"`
	IdentifierExists string `xml:"g:identifier_exists,omitempty"`
	ItemGroupID      string `xml:"g:item_group_id,omitempty"`
}

type feedRSS struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	NS      string   `xml:"xmlns:g,attr"`
	Channel struct {
		Title       string     `xml:"title"`
		Link        string     `xml:"link"`
		Description string     `xml:"description"`
		Items       []FeedItem `xml:"item"`
	} `xml:"channel"`
}

// feedRow is a variant of a public product with what its item needs.
type feedRow struct {
	ProductID                                   int64
	Slug, NameJA, NameEN, DescJA, DescEN, Brand string
	TaxClass                                    shop.TaxClass
	SKU, GTIN                                   string
	Price                                       shop.Yen
	Stock                                       *int
	Image                                       string
	Variants                                    int
	V1JA, V1EN, V2JA, V2EN                      string
}

// feedRows returns every active variant of a public product that has an
// image (Merchant Center refuses items without image_link), by product.
func (s *Store) feedRows(ctx context.Context) ([]feedRow, error) {
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.slug, p.name_ja, p.name_en, p.description_ja, p.description_en, p.brand, p.tax_class,
			v.sku, v.gtin, v.price, v.stock,
			(SELECT i.key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort_order, i.id LIMIT 1),
			(SELECT COUNT(*) FROM variants w WHERE w.product_id = p.id AND w.active = ?),
			COALESCE(a1.name_ja, ''), COALESCE(a1.name_en, ''), COALESCE(a2.name_ja, ''), COALESCE(a2.name_en, '')
		FROM products p JOIN variants v ON v.product_id = p.id AND v.active = ?
		LEFT JOIN axis_values a1 ON a1.id = v.value1_id
		LEFT JOIN axis_values a2 ON a2.id = v.value2_id
		WHERE p.status = 'public'
		ORDER BY p.id, v.sort_order, v.id LIMIT 100000`, true, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []feedRow
	for rows.Next() {
		var f feedRow
		var class string
		var stock sql.NullInt64
		var img sql.NullString
		if err := rows.Scan(&f.ProductID, &f.Slug, &f.NameJA, &f.NameEN, &f.DescJA, &f.DescEN, &f.Brand, &class, &f.SKU, &f.GTIN, &f.Price, &stock,
			&img, &f.Variants, &f.V1JA, &f.V1EN, &f.V2JA, &f.V2EN); err != nil {
			return nil, err
		}
		if !img.Valid {
			continue
		}
		f.TaxClass, f.Stock, f.Image = shop.TaxClass(class), nullInt(stock), img.String
		out = append(out, f)
	}
	return out, rows.Err()
}

// feed serves FeedPath: in Japanese, or in English with ?lang=en. Prices
// are tax-included (Merchant Center's rule for Japan: the price a buyer
// pays, 総額表示) in JPY with the rate in force and the shop's rounding.
// The document is kept for CacheTTL per catalogue version and language.
func (h *Handlers) feed(w http.ResponseWriter, r *http.Request) error {
	lang := web.Lang(r)
	key := string(lang) + "|" + strconv.FormatUint(h.Store.Version(), 10)
	body, err := h.feeds.loadOrFill(key, func() ([]byte, error) { return h.buildFeed(r.Context(), lang) })
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=600")
	_, err = w.Write(body)
	return err
}

// buildFeed renders the feed document.
func (h *Handlers) buildFeed(ctx context.Context, lang i18n.Lang) ([]byte, error) {
	en := lang == i18n.English
	rows, err := h.Store.feedRows(ctx)
	if err != nil {
		return nil, err
	}
	rates, rounding, err := h.displayRates(ctx)
	if err != nil {
		return nil, err
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	base := h.base(ctx)
	var doc feedRSS
	doc.Version, doc.NS = "2.0", GoogleNS
	doc.Channel.Title = sh.DisplayName(lang)
	doc.Channel.Link = base + "/"
	doc.Channel.Description = i18n.T(lang, "review.feed_description", sh.DisplayName(lang))
	for _, f := range rows {
		link := base + "/products/" + f.Slug
		if en {
			link += "?lang=en"
		}
		title := pickName(en, f.NameJA, f.NameEN)
		var axes []string
		for _, a := range []string{pickName(en, f.V1JA, f.V1EN), pickName(en, f.V2JA, f.V2EN)} {
			if a != "" {
				axes = append(axes, a)
			}
		}
		if len(axes) > 0 {
			title += " " + strings.Join(axes, " / ")
		}
		desc := strings.TrimSpace(pickName(en, f.DescJA, f.DescEN))
		if desc == "" {
			desc = title
		}
		if rs := []rune(desc); len(rs) > 5000 { // the specification's limit
			desc = string(rs[:5000])
		}
		it := FeedItem{ID: f.SKU, Title: clip(title, 150), Description: desc, Link: link, ImageLink: base + "/images/" + f.Image,
			Availability: "in_stock", Condition: "new", Brand: f.Brand, GTIN: f.GTIN,
			Price: strconv.FormatInt(int64(shop.IncludeTax(f.Price, rates.Rate(f.ProductID, f.TaxClass), rounding)), 10) + " JPY"}
		if StateOf(f.Stock) == SoldOut {
			it.Availability = "out_of_stock"
		}
		// Without a GTIN (and a brand with an MPN, which Akinai does not
		// keep) Merchant Center wants identifier_exists = no: handmade and
		// own-label goods, most of a small shop's catalogue.
		if f.GTIN == "" {
			it.IdentifierExists = "no"
		}
		if f.Variants > 1 {
			it.ItemGroupID = f.Slug
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
