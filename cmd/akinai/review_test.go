package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
)

// reviewShop starts a demo shop with a signed-in owner and a registered
// customer who bought canvas-apron; it returns the shop's URL, the owner,
// the customer, the database and the product and variant IDs.
type reviewShop struct {
	base       string
	owner      *client
	secret     string
	buyer      *buyer
	d          *db.DB
	cfg        Config
	pid, vid   int64
	customerID int64
}

func startReviewShop(t *testing.T, cfg Config) *reviewShop {
	t.Helper()
	cfg.Demo = true
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	base, logs := startLoggedShop(t, cfg, nil)
	s := &reviewShop{base: base, cfg: cfg}
	s.owner, s.secret = setupOwner(t, base, setupPath(t, logs))
	s.d = openShopDB(t, cfg)
	s.buyer = signedInCustomer(t, base, cfg, "kaimono@example.jp")
	ctx := context.Background()
	if err := s.d.QueryRow(ctx, `SELECT id FROM customers WHERE email_key = 'kaimono@example.jp'`).Scan(&s.customerID); err != nil {
		t.Fatal(err)
	}
	s.pid, s.vid = productVariant(t, s.d, "canvas-apron")
	ordertest.Place(t, s.d, s.customerID, order.Shipped, map[int64]int64{s.pid: s.vid})
	return s
}

// signedInCustomer registers a customer and signs them in.
func signedInCustomer(t *testing.T, base string, cfg Config, email string) *buyer {
	t.Helper()
	b := registerActive(t, base, cfg, email)
	if resp, _, err := b.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v", err)
	}
	return b
}

// productVariant returns a demo product's ID and a variant with stock
// to spare.
func productVariant(t *testing.T, d *db.DB, slug string) (int64, int64) {
	t.Helper()
	var pid, vid int64
	if err := d.QueryRow(context.Background(), `SELECT p.id, v.id FROM products p JOIN variants v ON v.product_id = p.id
		WHERE p.slug = ? AND (v.stock IS NULL OR v.stock > 5) ORDER BY v.id LIMIT 1`, slug).Scan(&pid, &vid); err != nil {
		t.Fatal(err)
	}
	return pid, vid
}

func (s *reviewShop) get(t *testing.T, b *buyer, path string) (int, string) {
	t.Helper()
	resp, err := b.c.Get(s.base + path)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, readAll(resp)
}

func (s *reviewShop) postReview(t *testing.T, b *buyer, slug string, v url.Values) (int, string, string) {
	t.Helper()
	resp, body, err := b.post(s.base+"/products/"+slug+"/review", v)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body, resp.Header.Get("Location")
}

func reviewForm(stars, title, body string) url.Values {
	return url.Values{"stars": {stars}, "nickname": {"エプロン好き"}, "title": {title}, "body": {body}}
}

var reviewLinkRE = regexp.MustCompile(`/reviews/(\d+)"`)

// Reviews on both engines, with the bad input of the issue: a visitor
// who is not signed in is sent to sign in, a customer who did not buy the
// product is refused, 50 KB of text gets a message by the field and
// nothing is stored, markup is shown as text; a second review and a
// flood are refused; the shop publishes and replies (audited) and the
// shared product page shows it at once.
func TestReviews_PostModerateShow(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			cfg := Config{RateLimits: "review.customer=5/1h"}
			if engine == "postgres" {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			s := startReviewShop(t, cfg)
			ctx := context.Background()
			anon := newBuyer(t, s.base)

			// The product page (shared, cached) before any review.
			_, page := s.get(t, anon, "/products/canvas-apron")
			if !strings.Contains(page, `id="reviews-none"`) || strings.Contains(page, "aggregateRating") {
				t.Fatal("product page before reviews")
			}
			resp, err := anon.c.Get(s.base + "/products/canvas-apron/review")
			if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/mypage/login?next=/products/canvas-apron/review") {
				t.Fatalf("signed out: %v %v", resp.StatusCode, err)
			}
			if code, _, loc := s.postReview(t, anon, "canvas-apron", reviewForm("5", "t", "b")); code != http.StatusSeeOther || !strings.Contains(loc, "/mypage/login") {
				t.Errorf("signed-out post: %d %s", code, loc)
			}

			// Another customer without a purchase.
			other := signedInCustomer(t, s.base, s.cfg, "mitenai@example.jp")
			if code, body := s.get(t, other, "/products/canvas-apron/review"); code != http.StatusForbidden || !strings.Contains(body, "この商品をご購入いただいたお客様だけです") {
				t.Errorf("not bought (page): %d", code)
			}
			if code, body, _ := s.postReview(t, other, "canvas-apron", reviewForm("1", "ひどい", "買っていません")); code != http.StatusForbidden || !strings.Contains(body, "ご購入いただいたお客様だけ") {
				t.Errorf("not bought (post): %d", code)
			}

			code, body := s.get(t, s.buyer, "/products/canvas-apron/review")
			if code != 200 || !strings.Contains(body, `id="review-form"`) {
				t.Fatalf("buyer's form: %d", code)
			}
			// 50 KB of text.
			code, body, _ = s.postReview(t, s.buyer, "canvas-apron", reviewForm("4", "長文", strings.Repeat("あ", 50*1024/3)))
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "本文は3000文字以内で入力してください") || !strings.Contains(body, `id="error-body"`) {
				t.Errorf("50 KB: %d", code)
			}
			// Six stars and an empty title.
			code, body, _ = s.postReview(t, s.buyer, "canvas-apron", reviewForm("6", "", "本文"))
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "評価は星1〜5から選んでください") || !strings.Contains(body, "タイトルを入力してください") {
				t.Errorf("six stars: %d", code)
			}
			// A line break in the one-line title.
			code, body, _ = s.postReview(t, s.buyer, "canvas-apron", reviewForm("3", "一行目\n二行目", "本文"))
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="error-title"`) {
				t.Errorf("line break in the title: %d", code)
			}
			if strings.Contains(body, "%!") {
				t.Error("a message with a formatting error")
			}
			if n := countRows(t, s.d, `SELECT COUNT(*) FROM reviews`); n != 0 {
				t.Fatalf("%d reviews stored by refused posts", n)
			}
			script := "<script>alert('review')</script>\n丈夫で洗っても縮みません。"
			code, _, loc := s.postReview(t, s.buyer, "canvas-apron", reviewForm("4", "毎日使っています", script))
			if code != http.StatusSeeOther || loc != "/products/canvas-apron" {
				t.Fatalf("post: %d %s", code, loc)
			}
			if code, body, _ := s.postReview(t, s.buyer, "canvas-apron", reviewForm("5", "もう一度", "二回目")); code != http.StatusConflict || !strings.Contains(body, "投稿済み") {
				t.Errorf("second review: %d", code)
			}
			// The sixth post within the hour is one too many (limit 5/1h).
			if code, _, _ := s.postReview(t, s.buyer, "canvas-apron", reviewForm("5", "x", "y")); code != http.StatusTooManyRequests {
				t.Errorf("flood: %d, want 429", code)
			}
			// Pending: not on the page.
			if _, page = s.get(t, anon, "/products/canvas-apron"); strings.Contains(page, "毎日使っています") {
				t.Error("a pending review is shown")
			}

			// The owner publishes and replies.
			admin := s.owner.admin
			r := s.owner.get(admin + "/reviews")
			r.want(t, "pending list", 200, "毎日使っています", "確認待ち (1)")
			m := reviewLinkRE.FindStringSubmatch(r.body)
			if m == nil {
				t.Fatal("no review link")
			}
			id := m[1]
			s.owner.get(admin+"/reviews/"+id).want(t, "review page", 200, "&lt;script&gt;alert(", "購入者レビュー", `id="review-publish"`)
			s.owner.post(admin+"/reviews/"+id+"/status", url.Values{"status": {"deleted"}}).want(t, "unknown status", 422, "公開状態の指定が正しくありません")
			s.owner.get(admin+"/reviews/999999").want(t, "unknown review", 404)
			s.owner.post(admin+"/reviews/"+id+"/status", url.Values{"status": {"published"}}).want(t, "publish", 303)
			s.owner.get(admin+"/reviews/"+id).want(t, "reply form", 200, "reply-form")
			s.owner.post(admin+"/reviews/"+id+"/reply", url.Values{"reply": {strings.Repeat("長", 3001)}}).want(t, "long reply", 422, "返信は3000文字以内")
			s.owner.post(admin+"/reviews/"+id+"/reply", url.Values{"reply": {"ご愛用ありがとうございます。"}}).want(t, "reply", 303)
			if n := auditCount(t, s.d, "review.status", ""); n != 1 {
				t.Errorf("%d review.status audit entries, want 1", n)
			}
			if n := auditCount(t, s.d, "review.reply", ""); n != 1 {
				t.Errorf("%d review.reply audit entries, want 1", n)
			}

			// The page every visitor shares shows it now, not after the
			// cache expires: publishing renewed this product's page.
			_, page = s.get(t, anon, "/products/canvas-apron")
			for _, want := range []string{"毎日使っています", "購入者レビュー", "ご愛用ありがとうございます。", "&lt;script&gt;alert(&#39;review&#39;)&lt;/script&gt;", `id="rating-average"`, "4.0", `"aggregateRating"`, `"ratingValue":"4.0"`, `"reviewCount":1`} {
				if !strings.Contains(page, want) {
					t.Errorf("product page lacks %s", want)
				}
			}
			if strings.Contains(page, "<script>alert(") {
				t.Error("the review's script is on the page as markup")
			}
			// The buyer's own data holds the review.
			if _, body := s.get(t, s.buyer, "/mypage/export.json"); !strings.Contains(body, `"reviews": [`) || !strings.Contains(body, "毎日使っています") {
				t.Error("the review is not in the customer's data export")
			}
			// The buyer's form now says the review is published.
			if _, body := s.get(t, s.buyer, "/products/canvas-apron/review"); !strings.Contains(body, "公開されています") {
				t.Error("buyer's form after publishing")
			}
			// Rejecting takes it off the page at once.
			s.owner.get(admin + "/reviews/" + id)
			s.owner.post(admin+"/reviews/"+id+"/status", url.Values{"status": {"rejected"}}).want(t, "reject", 303)
			if _, page = s.get(t, anon, "/products/canvas-apron"); strings.Contains(page, "毎日使っています") || strings.Contains(page, "aggregateRating") {
				t.Error("a rejected review is still shown")
			}
			var status string
			if err := s.d.QueryRow(ctx, `SELECT status FROM reviews WHERE id = ?`, id).Scan(&status); err != nil || status != "rejected" {
				t.Errorf("status %q %v", status, err)
			}
		})
	}
}

// Recommendations on both engines: the owner's picks show on the top
// page and the product pages at once, bad input gets messages, and "also
// bought" appears on the product page once computed from two orders.
func TestRecommendations(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			cfg := Config{}
			if engine == "postgres" {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			s := startReviewShop(t, cfg)
			anon := newBuyer(t, s.base)
			admin := s.owner.admin
			// Cached pages first.
			if _, page := s.get(t, anon, "/"); strings.Contains(page, `id="recommended"`) {
				t.Fatal("picks before any")
			}
			s.get(t, anon, "/products/canvas-apron")

			s.owner.get(admin+"/recommendations").want(t, "empty", 200, `id="picks-empty"`)
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"no-such"}, "order": {"1"}}).want(t, "unknown product", 422, "公開中の商品のURL名を入力してください")
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"uji-sencha"}, "order": {"x"}}).want(t, "bad order", 422, "表示順は0〜9999")
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"uji-sencha"}, "order": {"1"}, "starts": {"2026-12-10"}, "until": {"2026-12-01"}}).
				want(t, "reversed period", 422, "終了日は開始日以降")
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"uji-sencha"}, "order": {"1"}, "starts": {"12/1"}}).want(t, "bad date", 422, "YYYY-MM-DD")
			if n := countRows(t, s.d, `SELECT COUNT(*) FROM recommended_products`); n != 0 {
				t.Fatalf("%d picks stored by refused posts", n)
			}
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"uji-sencha"}, "order": {"20"}}).want(t, "add", 303)
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"canvas-apron"}, "order": {"10"}}).want(t, "add second", 303)
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"uji-sencha"}, "order": {"5"}}).want(t, "twice", 409, "すでにおすすめ商品です")
			s.owner.post(admin+"/recommendations", url.Values{"slug": {"sayama-sencha"}, "order": {"1"}, "starts": {"2999-01-01"}}).want(t, "future", 303)
			if n := auditCount(t, s.d, "recommend.add", ""); n != 3 {
				t.Errorf("%d recommend.add audit entries", n)
			}

			_, page := s.get(t, anon, "/")
			shelf := section(page, "recommended")
			i, j := strings.Index(shelf, "/products/canvas-apron"), strings.Index(shelf, "/products/uji-sencha")
			if i < 0 || j < 0 || i > j {
				t.Errorf("top page picks in order 10, 20: canvas-apron at %d, uji-sencha at %d", i, j)
			}
			if strings.Contains(shelf, "/products/sayama-sencha") {
				t.Error("a pick before its period is shown")
			}
			// On a product page: the other picks, not the product itself.
			_, page = s.get(t, anon, "/products/canvas-apron")
			shelf = section(page, "recommended")
			if !strings.Contains(shelf, "/products/uji-sencha") || strings.Contains(shelf, "/products/canvas-apron") {
				t.Errorf("product page picks: %q", shelf)
			}

			// Two orders with canvas-apron and uji-sencha: also bought.
			uji, ujiV := productVariant(t, s.d, "uji-sencha")
			for range 2 {
				ordertest.Place(t, s.d, 0, order.Paid, map[int64]int64{s.pid: s.vid, uji: ujiV})
			}
			if _, page = s.get(t, anon, "/products/canvas-apron"); strings.Contains(page, `id="also-bought"`) {
				t.Fatal("also bought before the refresh: computed per request?")
			}
			s.owner.get(admin + "/recommendations")
			s.owner.post(admin+"/recommendations/refresh", nil).want(t, "refresh", 303)
			_, page = s.get(t, anon, "/products/canvas-apron")
			if !strings.Contains(section(page, "also-bought"), "/products/uji-sencha") {
				t.Error("also bought not on the product page after the refresh")
			}
			_, page = s.get(t, anon, "/products/uji-sencha")
			if !strings.Contains(section(page, "also-bought"), "/products/canvas-apron") {
				t.Error("also bought not on the other product's page")
			}
		})
	}
}

// section returns the HTML of the <section id="id"> of page, "" when
// there is none.
func section(page, id string) string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// The product form takes a brand and a GTIN (JAN) per variant for the
// feed and the structured data; a GTIN with a wrong check digit or the
// wrong length is refused by its field and nothing is saved.
func TestProductBrandGTIN(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{Demo: true, DemoSize: 3}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	owner, _ := setupOwner(t, base, setup)
	owner.get(admin + "/products/new")
	bad := productForm("0")
	bad.Set("brand", "藍染工房")
	bad.Set("v1_gtin", "4901234567890")
	bad.Set("v2_gtin", "49012")
	owner.post(admin+"/products/new", bad).want(t, "bad GTINs", 422, "チェックデジットが正しいもの", `value="4901234567890"`, `value="藍染工房"`)
	bad.Set("v1_gtin", "4901234567894")
	bad.Set("v2_gtin", "")
	bad.Set("brand", strings.Repeat("長", 71))
	owner.post(admin+"/products/new", bad).want(t, "long brand", 422)
	good := productForm("0")
	good.Set("brand", "藍染工房")
	good.Set("v1_gtin", "4901234567894")
	owner.post(admin+"/products/new", good).want(t, "create", 303)
	r := newClient(t, base).get("/products/aizome-shirt")
	r.want(t, "product page", 200, `"brand":{"@type":"Brand","name":"藍染工房"}`, `"gtin":"4901234567894"`)
}
