package catalog_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

func TestHandlers(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	mustDemo(t, d, 0)
	if _, err := d.Exec(t.Context(), `UPDATE products SET status = 'private' WHERE slug = 'kyoto-hojicha'`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(t.Context(), `UPDATE products SET status = 'archived' WHERE slug = 'genmaicha'`); err != nil {
		t.Fatal(err)
	}
	s := newTestShop(t, d)
	long := url.QueryEscape(strings.Repeat("茶", 10000))
	for _, tc := range []struct {
		Name               string
		URL                string
		ExpectedStatus     int
		ExpectedContent    []string
		NotExpectedContent []string
	}{
		{"home", "/", 200, []string{"新着商品", "おすすめ商品", "カテゴリから探す", `href="/categories/tea"`, "(税込)", `<link rel="canonical" href="https://shop.example.jp/">`, `hreflang="en" href="https://shop.example.jp/?lang=en"`, "茶と道具 あきない"}, nil},
		{"home en", "/?lang=en", 200, []string{"New arrivals", "Browse by category", "(tax incl.)", `<link rel="canonical" href="https://shop.example.jp/?lang=en">`, "Akinai Tea &amp; Tools"}, []string{"新着商品"}},
		{"all products", "/products", 200, []string{"商品一覧", "70 件", `rel="next"`, `<option value="price_asc"`}, nil},
		{"all products 40", "/products?limit=40&page=2", 200, []string{"70 件", `aria-current="page">2<`}, []string{`rel="next"`}},
		{"limit not offered", "/products?limit=1000", 200, []string{`<option value="20" selected>`}, nil},
		{"page out of range clamped", "/products?page=999", 200, []string{`aria-current="page">4<`}, nil},
		{"page not a number", "/products?page=abc", 200, []string{`aria-current="page">1<`}, nil},
		{"page negative", "/products?page=-3", 200, []string{`aria-current="page">1<`}, nil},
		{"unknown sort ignored", "/products?sort=zzz", 200, []string{`<option value="new" selected>`}, nil},
		{"sort price asc", "/products?sort=price_asc", 200, []string{"¥550"}, nil},
		{"search katakana", "/products?q=" + url.QueryEscape("ティー"), 200, []string{"ハーブティー", "「ティー」の検索結果", "noindex"}, []string{"静岡 深蒸し煎茶"}},
		{"search half-width", "/products?q=" + url.QueryEscape("ﾃｨｰ"), 200, []string{"カモミール ハーブティー"}, nil},
		{"search hiragana", "/products?q=" + url.QueryEscape("てぃー"), 200, []string{"カモミール ハーブティー"}, nil},
		{"search two keywords full-width space", "/products?q=" + url.QueryEscape("ハーブ　カモミール"), 200, []string{"カモミール ハーブティー", "1 件"}, []string{"ペパーミント"}},
		{"search english", "/products?q=chamomile&lang=en", 200, []string{"Chamomile herbal tea"}, nil},
		{"search sku", "/products?q=ak-00000-01", 200, []string{"1 件"}, nil},
		{"search with category", "/products?category=tea-tools&q=" + url.QueryEscape("萬古"), 200, []string{"萬古焼 急須", "1 件"}, nil},
		{"search in category excludes others", "/products?category=kitchen&q=" + url.QueryEscape("茶"), 200, []string{"0 件", "該当する商品はありません"}, nil},
		{"search percent", "/products?q=%25", 200, []string{"0 件"}, nil},
		{"search underscore", "/products?q=_", 200, []string{"0 件"}, nil},
		{"search backslash", "/products?q=%5C", 200, []string{"0 件"}, nil},
		{"search control chars", "/products?q=%00%01%1b%7f", 200, []string{"70 件"}, nil},
		{"search sql", "/products?q=" + url.QueryEscape("' OR 1=1 --"), 200, []string{"0 件"}, nil},
		{"search 10 KB", "/products?q=" + long, 200, []string{"0 件"}, nil},
		{"search html escaped", "/products?q=" + url.QueryEscape("<script>alert(1)</script>"), 200, []string{"&lt;script&gt;"}, []string{"<script>alert"}},
		{"unknown category filter ignored", "/products?category=nope", 200, []string{"70 件"}, nil},
		{"category with descendants", "/categories/tea?limit=60", 200, []string{"お茶", "静岡 深蒸し煎茶", "ハーブティー", `href="/categories/green-tea"`, "<h1>お茶</h1>"}, []string{"常滑焼"}},
		{"category three deep", "/categories/sencha", 200, []string{`<a href="/categories/tea">お茶</a>`, `<a href="/categories/green-tea">緑茶</a>`, "宇治 煎茶"}, []string{"八女 玉露"}},
		{"category en", "/categories/sencha?lang=en", 200, []string{"Green tea", "Uji sencha"}, nil},
		{"category sort and page", "/categories/tea?sort=price_desc&page=2", 200, []string{`aria-current="page">2<`}, nil},
		{"unknown category", "/categories/nope", 404, []string{"お探しのページは見つかりませんでした"}, nil},
		{"product two axes", "/products/canvas-apron", 200, []string{"帆布 エプロン", "藍 / M — ¥4,620 (残りわずか)", `disabled>藍 / S — ¥4,620 (売り切れ)`, "(税込・消費税 10%)", `name="csrf"`, `action="/cart/add"`, `name="qty" id="qty" value="1" min="1"`, `<a href="/categories/aprons">エプロン</a>`, `hreflang="en"`}, []string{"軽減税率"}},
		{"product en", "/products/canvas-apron?lang=en", 200, []string{"Canvas apron", "Indigo / M", "Only a few left", "incl. 10% consumption tax"}, nil},
		{"product reduced rate", "/products/shizuoka-fukamushi-sencha", 200, []string{"軽減税率", "(税込・消費税 8%)", "¥1,080", "50g / 袋"}, nil},
		{"product list price", "/products/uji-sencha", 200, []string{`class="list-price"`}, nil},
		{"product sale limit", "/products/sayama-sencha", 200, []string{"お一人様 2 点まで"}, nil},
		{"product free area markup", "/products/canvas-apron", 200, []string{`<a href="/pages/tokushoho">特定商取引法に基づく表記</a>`}, nil},
		{"private product", "/products/kyoto-hojicha", 404, []string{"お探しのページは見つかりませんでした"}, nil},
		{"archived product", "/products/genmaicha", 404, nil, nil},
		{"unknown product", "/products/nope", 404, nil, nil},
		{"private not listed", "/products?q=" + url.QueryEscape("京ほうじ茶"), 200, []string{"0 件"}, nil},
		{"tokushoho", "/pages/tokushoho", 200, []string{"特定商取引法に基づく表記", "<th>販売業者</th><td>株式会社あきない商店</td>", "<th>適格請求書発行事業者登録番号</th><td>T", "返品", "お支払い時期"}, nil},
		{"tokushoho en", "/pages/tokushoho?lang=en", 200, []string{"Seller", "Returns and exchanges"}, nil},
		{"privacy", "/pages/privacy", 200, []string{"プライバシーポリシー", "利用目的", "開示"}, nil},
		{"company", "/pages/company", 200, []string{"会社概要", "代表者"}, nil},
		{"unknown page", "/pages/nope", 404, nil, nil},
		{"sitemap", "/sitemap.xml", 200, []string{"<urlset", "https://shop.example.jp/products/canvas-apron", "https://shop.example.jp/categories/sencha", "https://shop.example.jp/pages/tokushoho"}, []string{"kyoto-hojicha"}},
		{"robots", "/robots.txt", 200, []string{"Disallow: /cart", "Disallow: /checkout", "Sitemap: https://shop.example.jp/sitemap.xml"}, nil},
		{"image", "/images/demo/canvas-apron-1.png", 200, []string{"\x89PNG"}, nil},
		{"unknown image", "/images/demo/nope.png", 404, nil, nil},
		{"unknown url", "/no/such", 404, []string{"ページが見つかりません"}, nil},
	} {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, httptest.NewRequest("GET", tc.URL, nil))
			body, _ := io.ReadAll(rec.Result().Body)
			if rec.Code != tc.ExpectedStatus {
				t.Errorf("GET %s = %d, want %d", tc.URL, rec.Code, tc.ExpectedStatus)
			}
			for _, want := range tc.ExpectedContent {
				if !strings.Contains(string(body), want) {
					t.Errorf("GET %s: body lacks %q", tc.URL, want)
				}
			}
			for _, bad := range tc.NotExpectedContent {
				if strings.Contains(string(body), bad) {
					t.Errorf("GET %s: body contains %q", tc.URL, bad)
				}
			}
			if t.Failed() && testing.Verbose() {
				t.Log(string(body))
			}
		})
	}
}

func TestImageCaching(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	mustDemo(t, d, 0)
	s := newTestShop(t, d)
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/images/demo/canvas-apron-1.png", nil))
	etag := rec.Header().Get("ETag")
	if etag == "" || !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=") || rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("headers %v", rec.Header())
	}
	req := httptest.NewRequest("GET", "/images/demo/canvas-apron-1.png", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Fatalf("If-None-Match = %d, want 304", rec.Code)
	}
}
