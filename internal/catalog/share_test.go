package catalog_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/review"
	"github.com/akinai/akinai/internal/throttle"
)

// Required properties, as the published specifications list them.
//
// Google Search Central, "Product snippet (Product, Review, Offer)
// structured data" and "Merchant listing (Product, Offer) structured
// data" (developers.google.com/search/docs/appearance/structured-data/
// product-snippet, …/merchant-listing): Product requires name, and for
// merchant listings image and offers; an Offer requires price and
// priceCurrency (availability is recommended and Akinai always sends
// it); AggregateRating requires ratingValue and reviewCount (or
// ratingCount); a Review requires author and reviewRating, whose Rating
// requires ratingValue.
// Google Search Central, "Breadcrumb (BreadcrumbList) structured data"
// (…/structured-data/breadcrumb): BreadcrumbList requires
// itemListElement; each ListItem requires position and name, and item
// (the URL) on all but the last.
// Organization has no required properties (…/structured-data/
// organization); url and name are recommended, Akinai sends both.
var (
	requiredProduct        = []string{"name", "image", "offers"}
	requiredOffer          = []string{"price", "priceCurrency", "availability"}
	requiredAggregate      = []string{"ratingValue", "reviewCount"}
	requiredReview         = []string{"author", "reviewRating"}
	requiredRating         = []string{"ratingValue"}
	requiredBreadcrumbList = []string{"itemListElement"}
	requiredListItem       = []string{"position", "name", "item"}
	recommendedOrg         = []string{"name", "url"}
)

// Google Merchant Center, "Product data specification"
// (support.google.com/merchants/answer/7052112): required for every
// item: id, title, description, link, image_link, availability, price
// (number and ISO 4217 currency; for Japan the price includes
// consumption tax), condition (required for used and refurbished goods,
// sent always); brand and gtin where the product has them, otherwise
// identifier_exists = no.
var requiredFeed = []string{"id", "title", "description", "link", "image_link", "availability", "price", "condition"}

func missing(t *testing.T, what string, obj map[string]any, keys []string) {
	t.Helper()
	for _, k := range keys {
		v, ok := obj[k]
		if !ok || v == nil || v == "" {
			t.Errorf("%s lacks %q: %v", what, k, obj)
		}
	}
}

var ldRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// structured returns the page's JSON-LD objects by @type.
func structured(t *testing.T, body string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range ldRe.FindAllStringSubmatch(body, -1) {
		var obj map[string]any
		if err := json.Unmarshal([]byte(m[1]), &obj); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		if obj["@context"] != "https://schema.org" {
			t.Errorf("@context %v", obj["@context"])
		}
		out[obj["@type"].(string)] = obj
	}
	return out
}

func get(t *testing.T, h http.Handler, u string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b)
}

func mustExec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(t.Context(), q, args...); err != nil {
		t.Fatal(err)
	}
}

// The product page's structured data has every required property of
// Product, Offer, BreadcrumbList and, once a review is published,
// AggregateRating and Review; a product name that tries to close the
// script element stays data; the top page describes the Organization.
func TestStructuredData(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustDemo(t, d, 0)
		s := newTestShop(t, d)
		rh, err := review.NewHandlers(&review.Store{DB: d}, s.Store, s.Render, throttle.DefaultLimits(), nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Pages.Reviews = rh.Section
		evil := `急須 </script><script>alert(1)</script> & "引用"`
		mustExec(t, d, `UPDATE products SET name_ja = ?, brand = '萬古焼窯元' WHERE slug = 'canvas-apron'`, evil)
		s.Store.Invalidate()

		first := time.Now()
		code, body := get(t, s.Handler, "/products/canvas-apron")
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		if strings.Contains(body, "<script>alert(1)") {
			t.Fatal("a product name closed the JSON-LD script element")
		}
		ld := structured(t, body)
		p := ld["Product"]
		missing(t, "Product", p, requiredProduct)
		if p["name"] != evil {
			t.Errorf("name %q, want the name as typed", p["name"])
		}
		if _, has := p["aggregateRating"]; has {
			t.Error("AggregateRating without reviews")
		}
		if b, _ := p["brand"].(map[string]any); b["name"] != "萬古焼窯元" {
			t.Errorf("brand %v", p["brand"])
		}
		offers, _ := p["offers"].([]any)
		if len(offers) == 0 {
			t.Fatalf("no offers: %v", p)
		}
		for _, o := range offers {
			o := o.(map[string]any)
			missing(t, "Offer", o, requiredOffer)
			if o["priceCurrency"] != "JPY" || !strings.HasPrefix(o["availability"].(string), "https://schema.org/") {
				t.Errorf("offer %v", o)
			}
		}
		// ¥4,200 excl. tax at 10 %: the tax-included price the page shows.
		if !strings.Contains(body, `"price":"4620"`) || !strings.Contains(body, "¥4,620") {
			t.Error("offer price is not the tax-included price shown")
		}
		bl := ld["BreadcrumbList"]
		missing(t, "BreadcrumbList", bl, requiredBreadcrumbList)
		items := bl["itemListElement"].([]any)
		for i, it := range items {
			it := it.(map[string]any)
			missing(t, "ListItem", it, requiredListItem)
			if int(it["position"].(float64)) != i+1 || !strings.HasPrefix(it["item"].(string), "https://shop.example.jp/") {
				t.Errorf("list item %d: %v", i, it)
			}
		}
		for _, tag := range []string{`<meta property="og:type" content="product">`, `<meta property="og:url" content="https://shop.example.jp/products/canvas-apron">`,
			`<meta property="og:image" content="https://shop.example.jp/images/demo/canvas-apron-1.png">`, `<meta name="twitter:card" content="summary_large_image">`,
			`<meta property="product:price:currency" content="JPY">`, `<meta property="og:site_name" content="茶と道具 あきない">`} {
			if !strings.Contains(body, tag) {
				t.Errorf("product page lacks %s", tag)
			}
		}

		// A published review: the page is renewed by TouchProducts alone.
		var pid, cid int64
		if err := d.QueryRow(t.Context(), `SELECT id FROM products WHERE slug = 'canvas-apron'`).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		err = d.Tx(t.Context(), func(tx *db.Tx) error {
			now := tx.Now()
			if err := tx.QueryRow(t.Context(), `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at) VALUES ('r@example.jp', 'r@example.jp', 'active', ?, ?, ?) RETURNING id`,
				now, now, now).Scan(&cid); err != nil {
				return err
			}
			for i, st := range []struct {
				stars  int
				status string
			}{{5, "published"}, {4, "published"}, {1, "rejected"}} {
				other := cid
				if i > 0 {
					if err := tx.QueryRow(t.Context(), `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?) RETURNING id`,
						"r"+string(rune('a'+i))+"@example.jp", "r"+string(rune('a'+i))+"@example.jp", now, now, now).Scan(&other); err != nil {
						return err
					}
				}
				if _, err := tx.Exec(t.Context(), `INSERT INTO reviews (product_id, customer_id, nickname, stars, title, body, status, created_at, updated_at)
					VALUES (?, ?, 'たろう', ?, '良い', '<b>丈夫</b>です', ?, ?, ?)`, pid, other, st.stars, st.status, now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// (Unless CacheTTL passed meanwhile on a slow machine.)
		if _, body = get(t, s.Handler, "/products/canvas-apron"); strings.Contains(body, "aggregateRating") && time.Since(first) < catalog.CacheTTL-time.Second {
			t.Fatal("the cached page changed without a touch: the test proves nothing")
		}
		// Another product's page and a listing, cached before the touch,
		// stay cached: the touch renews the reviewed product's page only.
		others := time.Now()
		get(t, s.Handler, "/products/uji-sencha")
		get(t, s.Handler, "/categories/aprons")
		s.Store.TouchProducts(pid)
		hits, misses := s.Render.PageCacheStats()
		get(t, s.Handler, "/products/uji-sencha")
		get(t, s.Handler, "/categories/aprons")
		if h2, m2 := s.Render.PageCacheStats(); (h2 != hits+2 || m2 != misses) && time.Since(others) < catalog.CacheTTL-time.Second {
			t.Errorf("TouchProducts renewed other pages: hits %d→%d, misses %d→%d", hits, h2, misses, m2)
		}
		_, body = get(t, s.Handler, "/products/canvas-apron")
		p = structured(t, body)["Product"]
		ar, _ := p["aggregateRating"].(map[string]any)
		missing(t, "AggregateRating", ar, requiredAggregate)
		if ar["ratingValue"] != "4.5" || ar["reviewCount"] != float64(2) {
			t.Errorf("aggregate %v, want 4.5 of 2 (the rejected one not counted)", ar)
		}
		revs, _ := p["review"].([]any)
		if len(revs) != 2 {
			t.Fatalf("reviews %v", p["review"])
		}
		for _, r := range revs {
			r := r.(map[string]any)
			missing(t, "Review", r, requiredReview)
			missing(t, "Rating", r["reviewRating"].(map[string]any), requiredRating)
		}
		if !strings.Contains(body, "&lt;b&gt;丈夫&lt;/b&gt;です") {
			t.Error("review text not escaped on the page")
		}
		if !strings.Contains(body, `id="rating-summary"`) || !strings.Contains(body, "★★★★★") {
			t.Error("no rating summary by the price")
		}

		_, body = get(t, s.Handler, "/")
		org := structured(t, body)["Organization"]
		missing(t, "Organization", org, recommendedOrg)
		if !strings.Contains(body, `<meta property="og:type" content="website">`) {
			t.Error("top page has no Open Graph tags")
		}
		_, body = get(t, s.Handler, "/categories/sencha")
		missing(t, "category BreadcrumbList", structured(t, body)["BreadcrumbList"], requiredBreadcrumbList)
	})
}

// Every variant of a listing names one canonical URL per page of
// results: sort, page size and unknown parameters are dropped, the page
// number kept, the product list filtered by a category alone points at
// the category's page.
func TestCanonicalListVariants(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	mustDemo(t, d, 0)
	s := newTestShop(t, d)
	const base = "https://shop.example.jp"
	for _, tc := range []struct{ url, want string }{
		{"/products", base + "/products"},
		{"/products?sort=price_asc", base + "/products"},
		{"/products?sort=price_desc&limit=40", base + "/products"},
		{"/products?utm_source=x&fbclid=y", base + "/products"},
		{"/products?page=2", base + "/products?page=2"},
		{"/products?page=2&sort=price_asc&limit=20", base + "/products?page=2"},
		{"/products?page=1", base + "/products"},
		{"/products?category=tea", base + "/categories/tea"},
		{"/products?category=tea&page=2&sort=price_asc", base + "/categories/tea?page=2"},
		{"/products?category=nope", base + "/products"},
		{"/products?category=tea&q=%E8%8C%B6", base + "/products?category=tea&amp;q=%E8%8C%B6"},
		{"/categories/tea?sort=price_desc", base + "/categories/tea"},
		{"/categories/tea?page=2&limit=20", base + "/categories/tea?page=2"},
		{"/categories/tea?lang=en&sort=price_asc", base + "/categories/tea?lang=en"},
		{"/products/canvas-apron?utm_campaign=z", base + "/products/canvas-apron"},
		{"/?ref=abc", base + "/"},
	} {
		code, body := get(t, s.Handler, tc.url)
		if code != 200 {
			t.Errorf("%s: %d", tc.url, code)
			continue
		}
		want := `<link rel="canonical" href="` + tc.want + `">`
		if !strings.Contains(body, want) {
			m := regexp.MustCompile(`<link rel="canonical"[^>]*>`).FindString(body)
			t.Errorf("%s: canonical %s, want %s", tc.url, m, want)
		}
		if !strings.Contains(body, `<meta property="og:url" content="`+tc.want+`">`) {
			t.Errorf("%s: og:url is not the canonical URL", tc.url)
		}
	}
}

// The Merchant Center feed is RSS 2.0 in the g: namespace with every
// required attribute on every item, tax-included JPY prices, the stock
// state, and identifier_exists=no exactly where there is no GTIN.
func TestMerchantFeed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustDemo(t, d, 0)
		mustExec(t, d, `UPDATE variants SET gtin = '4901234567894' WHERE sku = 'AK-00000-02'`)
		mustExec(t, d, `UPDATE products SET brand = '茶と道具' WHERE slug = 'shizuoka-fukamushi-sencha'`)
		mustExec(t, d, `UPDATE products SET status = 'private' WHERE slug = 'genmaicha'`)
		s := newTestShop(t, d)
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/feeds/google-merchant.xml", nil))
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/rss+xml") {
			t.Fatalf("feed: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		var doc struct {
			XMLName xml.Name
			Version string `xml:"version,attr"`
			Items   []struct {
				Fields []struct {
					XMLName xml.Name
					Value   string `xml:",chardata"`
				} `xml:",any"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.XMLName.Local != "rss" || doc.Version != "2.0" || len(doc.Items) < 70 {
			t.Fatalf("feed: <%s version=%s> with %d items", doc.XMLName.Local, doc.Version, len(doc.Items))
		}
		ids := map[string]bool{}
		priceRe := regexp.MustCompile(`^[1-9][0-9]* JPY$`)
		for _, it := range doc.Items {
			f := map[string]string{}
			for _, x := range it.Fields {
				if x.XMLName.Space != "http://base.google.com/ns/1.0" {
					t.Errorf("%s outside the g: namespace", x.XMLName.Local)
				}
				f[x.XMLName.Local] = x.Value
			}
			for _, k := range requiredFeed {
				if f[k] == "" {
					t.Errorf("item %s lacks %s", f["id"], k)
				}
			}
			if ids[f["id"]] {
				t.Errorf("id %s twice", f["id"])
			}
			ids[f["id"]] = true
			if !priceRe.MatchString(f["price"]) || (f["availability"] != "in_stock" && f["availability"] != "out_of_stock") || f["condition"] != "new" {
				t.Errorf("item %s: %v", f["id"], f)
			}
			if (f["gtin"] == "") != (f["identifier_exists"] == "no") {
				t.Errorf("item %s: gtin %q identifier_exists %q", f["id"], f["gtin"], f["identifier_exists"])
			}
			if strings.HasSuffix(f["link"], "/products/genmaicha") {
				t.Error("a private product is in the feed")
			}
			switch f["id"] {
			case "AK-00000-01": // ¥1,000 at the reduced 8 %, out of stock in the demo
				if f["price"] != "1080 JPY" || f["availability"] != "out_of_stock" || f["brand"] != "茶と道具" || f["item_group_id"] != "shizuoka-fukamushi-sencha" {
					t.Errorf("AK-00000-01: %v", f)
				}
			case "AK-00000-02":
				if f["gtin"] != "4901234567894" {
					t.Errorf("AK-00000-02: %v", f)
				}
			}
		}
		if !ids["AK-00000-01"] || !ids["AK-00000-02"] {
			t.Error("demo variants missing from the feed")
		}
	})
}

func TestValidGTIN(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"4901234567894":  true,  // JAN-13 (GS1 Japan's example prefix 49)
		"4901234567890":  false, // wrong check digit
		"49123456":       true,  // EAN-8 as well
		"49123455":       false,
		"96385074":       true, // EAN-8
		"036000291452":   true, // UPC-A
		"10036000291459": true, // GTIN-14
		"490123456789a":  false,
		"":               false,
		"12345":          false,
		"４９０１２３４５６７８９４": false, // full-width digits
	} {
		if got := catalog.ValidGTIN(s); got != want {
			t.Errorf("ValidGTIN(%q) = %v, want %v", s, got, want)
		}
	}
}
