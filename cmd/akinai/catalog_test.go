package main

import (
	"context"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDemoShop starts `akinai serve --demo` and walks the storefront over
// HTTP: every catalogue page answers, in Japanese and English.
func TestDemoShop(t *testing.T) {
	t.Parallel()
	base := startShop(t, Config{Demo: true})
	for _, tc := range []struct {
		path, want string
		status     int
	}{
		{"/", "新着商品", 200},
		{"/?lang=en", "New arrivals", 200},
		{"/categories/tea", "お茶", 200},
		{"/products?q=" + url.QueryEscape("ﾃｨｰ"), "ハーブティー", 200},
		{"/products/canvas-apron", `action="/cart/add"`, 200},
		{"/pages/tokushoho", "特定商取引法に基づく表記", 200},
		{"/robots.txt", "Disallow: /checkout", 200},
		{"/sitemap.xml", "/products/canvas-apron</loc>", 200},
		{"/products/nope", "お探しのページは見つかりませんでした", 404},
	} {
		resp, body := get(t, base+tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s = %d, want %d containing %q", tc.path, resp.StatusCode, tc.status, tc.want)
		}
	}
}

// TestDemoShopInBrowser is the newcomer's walk in headless Chromium: home,
// a category, a Japanese search, a two-axis product whose price and stock
// follow the chosen combination, and the switch to English.
func TestDemoShopInBrowser(t *testing.T) {
	t.Parallel()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	base := startShop(t, Config{Demo: true})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	text := func(sel string, dst *string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Text(sel)(ctx, tg)
			*dst = strings.TrimSpace(v)
			return err
		})
	}
	change := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.SetValue(sel, value),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`document.querySelector("`+sel+`").dispatchEvent(new Event("change"))`)(ctx, tg)
				return err
			}))
	}
	var h1, count, results, note, enTitle string
	err = chromedp.Do(bctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`nav.cats`),
		chromedp.Click(`nav.cats a[href="/categories/tea"]`),
		chromedp.WaitVisible(`p.count`),
		text(`main h1`, &h1),
		chromedp.SetValue(`header input[name=q]`, "ティー"),
		chromedp.Submit(`header form.search`),
		chromedp.WaitVisible(`ul.catalog-cards`),
		text(`p.count`, &count),
		text(`ul.catalog-cards`, &results),
		chromedp.Navigate(base+"/products/canvas-apron"),
		chromedp.WaitVisible(`#catalog-axis2`),
		change(`#catalog-axis1`, "墨"),
		change(`#catalog-axis2`, "L"),
		text(`#catalog-selected`, &note),
		chromedp.Click(`nav.tools a[hreflang=en]`),
		chromedp.WaitVisible(`#catalog-axis2`),
		text(`main h1`, &enTitle),
	)
	if err != nil {
		t.Fatal(err)
	}
	if h1 != "お茶" {
		t.Errorf("category heading %q", h1)
	}
	if !strings.Contains(results, "ハーブティー") || strings.HasPrefix(count, "0") {
		t.Errorf("search ティー: %q, %q", count, results)
	}
	// 墨 / L: (4,200 + 200 + 300) excl. tax → ¥5,170 incl. 10%, in stock.
	if note != "¥5,170 — 在庫あり" {
		t.Errorf("selected combination shows %q", note)
	}
	if enTitle != "Canvas apron" {
		t.Errorf("English title %q", enTitle)
	}
}
