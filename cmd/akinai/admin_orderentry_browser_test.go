package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
)

// An operator takes a phone order in Chromium: a new buyer typed in,
// two items found by SKU and added, cash on delivery, the totals
// recalculated by the checkout, the order registered once and shown with
// its history line; the status settings screen is photographed too.
func TestAdminOrderEntry_BrowserPhoneOrder(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	d := openAdminDB(t, cfg.DatabaseURL)
	seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{5})
	tea := seedProduct(t, d, "tea", "reduced", []string{"TEA-1"}, []int{10})[0]
	ctx := newBrowser(t)
	browserSignIn(t, ctx, base+admin, "ja", secret)

	f := func(name string) chromedp.CSS { return chromedp.CSS(`#order-entry [name=` + name + `]`) }
	browse(t, ctx, "the empty form from the menu",
		chromedp.Navigate(base+admin+"/orders"),
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/orders/new"]`)),
		chromedp.WaitVisible(chromedp.CSS("#order-entry")),
	)
	browse(t, ctx, "the buyer typed in",
		chromedp.SendKeys(f("email"), "kenta@example.jp"),
		chromedp.SendKeys(f("phone"), "090-1234-5678"),
		chromedp.SendKeys(f("family_name"), "鈴木"),
		chromedp.SendKeys(f("given_name"), "健太"),
		chromedp.SendKeys(f("family_kana"), "スズキ"),
		chromedp.SendKeys(f("given_kana"), "ケンタ"),
		chromedp.SendKeys(f("postal_code"), "530-0001"),
		chromedp.SetValue(f("pref"), "27"),
		chromedp.SendKeys(f("city"), "大阪市北区梅田"),
		chromedp.SendKeys(f("address1"), "1-1-1"),
	)
	browse(t, ctx, "the items found by SKU and added",
		chromedp.SendKeys(chromedp.CSS("#product-q"), "POT"),
		chromedp.Click(chromedp.CSS("#find-product")),
	)
	browse(t, ctx, "the first item added",
		chromedp.WaitVisible(chromedp.CSS("#product-results")),
		chromedp.Click(chromedp.CSS("#product-results button.add-line")),
		chromedp.WaitVisible(chromedp.CSS("#lines")),
		chromedp.SendKeys(chromedp.CSS("#product-q"), "tea-1"),
		chromedp.Click(chromedp.CSS("#find-product")),
		chromedp.WaitVisible(chromedp.CSS("#product-results")),
		chromedp.Click(chromedp.CSS("#product-results button.add-line")),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#lines input[name=qty_%d]`, tea))),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`#lines input[name=qty_%d]`, tea)), "3"),
	)
	browse(t, ctx, "cash on delivery, recalculated",
		chromedp.SetValue(f("payment"), "cod"),
		chromedp.Click(chromedp.CSS("#recalc")),
		chromedp.WaitVisible(chromedp.CSS("#entry-totals")),
	)
	// 1 × ¥1,100 + 3 × ¥1,080 = ¥4,340; the buyer's fields survived every round trip.
	if got := text(t, ctx, "#t-subtotal"); got != "¥4,340" {
		t.Fatalf("subtotal %q", got)
	}
	if got := text(t, ctx, "#entry-totals"); !strings.Contains(got, "10%") || !strings.Contains(got, "8%") {
		t.Fatalf("totals without the per-rate lines: %q", got)
	}
	v, err := chromedp.Run(ctx, chromedp.Value(f("city")))
	if err != nil || v != "大阪市北区梅田" {
		t.Fatalf("city after the round trips: %q %v", v, err)
	}
	shots(t, ctx, "order-entry-quote")
	browse(t, ctx, "register",
		chromedp.Click(chromedp.CSS("#place")),
		chromedp.WaitVisible(chromedp.CSS("#order-status")),
	)
	if got := text(t, ctx, "#history"); !strings.Contains(got, "受注登録（電話）") {
		t.Fatalf("history: %q", got)
	}
	shots(t, ctx, "order-entry-placed")
	var n int
	var number string
	d.QueryRow(context.Background(), `SELECT COUNT(*), MAX(number) FROM orders`).Scan(&n, &number)
	o, err := order.ByNumber(context.Background(), d, number)
	if n != 1 || err != nil || o.Buyer.City != "大阪市北区梅田" || o.PaymentMethod != order.COD || o.Subtotal != 4340 {
		t.Fatalf("%d orders; %+v %v", n, o, err)
	}
	browse(t, ctx, "status settings",
		chromedp.Navigate(base+admin+"/settings/order-statuses"),
		chromedp.WaitVisible(chromedp.CSS("#status-labels-form")),
	)
	shots(t, ctx, "order-statuses")
}
