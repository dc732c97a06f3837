package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// cspWatch records, on every page the browser opens from now on, the
// Content-Security-Policy violations the page reports.
const cspWatch = `window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));`

// The "done when" for reviews, in Chromium: a customer who
// bought the apron writes a review (with markup in it) on the product
// page's form; the owner publishes it and replies on the moderation
// screen; the product page shows the review as text, marked 購入者レビュー,
// with the average and the reply; its JSON-LD parses in the browser and
// holds AggregateRating; and the page ran no CSP violation — the JSON-LD
// blocks are data, not script — while an inline script is still refused.
func TestReviews_Browser(t *testing.T) {
	t.Parallel()
	s := startReviewShop(t, Config{DatabaseURL: dbtest.NewPostgresDatabase(t)})
	ctx := newBrowser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, "customer signs in",
		chromedp.Navigate(s.base+"/mypage/login"),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SetValue(chromedp.CSS(`#login-form input[name=email]`), "kaimono@example.jp"),
		chromedp.SetValue(chromedp.CSS(`#login-form input[name=password]`), "kumo-no-ue-de-odoru"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#greeting")),
	)
	const body = "<script>window.__xss = 1</script>\n毎日の台所仕事で使っています。洗っても縮みません。"
	browse(t, ctx, "write a review",
		chromedp.Navigate(s.base+"/products/canvas-apron"),
		chromedp.WaitVisible(chromedp.CSS("#write-review")),
		chromedp.Click(chromedp.CSS("#write-review")),
		chromedp.WaitVisible(chromedp.CSS("#review-form")),
		chromedp.Click(chromedp.CSS(`input[name=stars][value="4"]`)),
		chromedp.SendKeys(chromedp.CSS("#nickname"), "台所の人"),
		chromedp.SendKeys(chromedp.CSS("#title"), "丈夫で使いやすい"),
		chromedp.SetValue(chromedp.CSS("#body"), body),
		chromedp.Click(chromedp.CSS("#review-submit")),
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
	)
	if got := text(t, ctx, "p.flash"); !strings.Contains(got, "ショップの確認後に公開されます") {
		t.Errorf("flash after posting: %q", got)
	}

	browserSignIn(t, ctx, s.base+s.owner.admin, "ja", s.secret)
	browse(t, ctx, "moderation list",
		chromedp.Navigate(s.base+s.owner.admin+"/reviews"),
		chromedp.WaitVisible(chromedp.CSS("#reviews")),
	)
	screenshot(t, ctx, "admin-reviews")
	browse(t, ctx, "publish and reply",
		chromedp.Click(chromedp.CSS(`#reviews a[href*="/reviews/"]`)),
		chromedp.WaitVisible(chromedp.CSS("#review-publish")),
		chromedp.Click(chromedp.CSS("#review-publish")),
		chromedp.WaitVisible(chromedp.CSS("#review-status.reviewstatus-published")),
		chromedp.SetValue(chromedp.CSS("#reply"), "ご愛用ありがとうございます。藍染めは洗うほど風合いが増します。"),
		chromedp.Click(chromedp.CSS("#reply-save")),
		chromedp.WaitVisible(chromedp.CSS("#review-status")),
	)
	if got := text(t, ctx, "#review-body"); !strings.Contains(got, "<script>window.__xss = 1</script>") {
		t.Errorf("admin shows the review as %q", got)
	}
	screenshot(t, ctx, "admin-review")
	browse(t, ctx, "recommend a product",
		chromedp.Navigate(s.base+s.owner.admin+"/recommendations"),
		chromedp.WaitVisible(chromedp.CSS("#pick-add")),
		chromedp.SetValue(chromedp.CSS("#slug"), "uji-sencha"),
		chromedp.Click(chromedp.CSS("#pick-add-button")),
		chromedp.WaitVisible(chromedp.CSS("#picks")),
		chromedp.SetValue(chromedp.CSS("#slug"), "yame-gyokuro"),
		chromedp.SetValue(chromedp.CSS("#starts"), "2999-01-01"),
		chromedp.Click(chromedp.CSS("#pick-add-button")),
		chromedp.WaitVisible(chromedp.CSS(".pickstate-later")),
	)
	screenshot(t, ctx, "admin-recommendations")

	browse(t, ctx, "product page with the review",
		chromedp.Navigate(s.base+"/products/canvas-apron"),
		chromedp.WaitVisible(chromedp.CSS("#review-list")),
	)
	if got := text(t, ctx, "#rating-average"); !strings.Contains(got, "4.0") || !strings.Contains(got, "1件") {
		t.Errorf("average: %q", got)
	}
	list := text(t, ctx, "#review-list")
	for _, want := range []string{"丈夫で使いやすい", "台所の人", "購入者レビュー", "<script>window.__xss = 1</script>", "ショップからの返信", "藍染めは洗うほど"} {
		if !strings.Contains(list, want) {
			t.Errorf("review list lacks %q:\n%s", want, list)
		}
	}
	ld, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(Array.from(document.querySelectorAll('script[type="application/ld+json"]')).map(s => JSON.parse(s.textContent)))`))
	if err != nil {
		t.Fatalf("JSON-LD in the browser: %v", err)
	}
	var objs []map[string]any
	if err := json.Unmarshal([]byte(ld), &objs); err != nil {
		t.Fatal(err)
	}
	var agg map[string]any
	for _, o := range objs {
		if o["@type"] == "Product" {
			agg, _ = o["aggregateRating"].(map[string]any)
		}
	}
	if agg == nil || agg["ratingValue"] != "4.0" || agg["reviewCount"] != float64(1) {
		t.Errorf("AggregateRating %v in %s", agg, ld)
	}
	xss, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__xss === undefined && document.querySelectorAll("#review-list script").length === 0`))
	if err != nil || !xss {
		t.Errorf("the review's script ran or is an element: %v", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`))
	if err != nil || len(violations) != 0 {
		t.Errorf("CSP violations on the product page: %v %v", violations, err)
	}
	if shelf := text(t, ctx, "#recommended"); !strings.Contains(shelf, "宇治 煎茶") || strings.Contains(shelf, "玉露") {
		t.Errorf("recommended shelf: %q", shelf)
	}
	screenshot(t, ctx, "product-reviews")
	// The watch works: an inline script is refused and reported.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.createElement("script"); s.textContent = "window.__inline = 1"; document.body.appendChild(s); return true })()`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__csp.length > 0`, chromedp.WithPollingTimeout(10e9))); err != nil {
		t.Errorf("an inline script raised no CSP violation: the watch proves nothing (%v)", err)
	}
	if ran, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__inline === 1`)); ran {
		t.Error("the CSP let an inline script run")
	}
}
