package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/order"
)

// The done-when of the customers work, in headless Chromium: the owner
// makes a 10% rank from the sidebar, registers a customer in it with the
// password link, the customer sets a password from the mail, signs in
// and checks out; the confirmation page shows the member discount and
// the per-rate totals and tax computed on the discounted amounts, and
// the placed order, its mail and its admin page carry them too.
func TestAdminCustomers13_BrowserRankCheckout(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	a := adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	d := openShopDB(t, cfg)
	seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{5})
	seedProduct(t, d, "tea", "reduced", []string{"TEA-1"}, []int{10})
	ctx := newBrowser(t)
	browserSignIn(t, ctx, base+a, "ja", secret)

	browse(t, ctx, "the rank master from the sidebar",
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/customer-ranks"]`)),
		chromedp.WaitVisible(chromedp.CSS("#rank-create")),
		chromedp.SendKeys(chromedp.CSS("#rank-name-ja"), "ゴールド会員"),
		chromedp.SendKeys(chromedp.CSS("#rank-name-en"), "Gold"),
		chromedp.SendKeys(chromedp.CSS("#rank-percent"), "10"),
		chromedp.Click(chromedp.CSS(`#rank-create button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#ranks td.num")),
	)
	if got := text(t, ctx, "#ranks"); !strings.Contains(got, "ゴールド会員") || !strings.Contains(got, "10%") {
		t.Fatalf("rank list: %q", got)
	}
	shots(t, ctx, "customer-ranks")

	f := func(name string) chromedp.CSS { return chromedp.CSS(`#customer-new [name=` + name + `]`) }
	browse(t, ctx, "会員登録 from the customer list",
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/customers"]`)),
		chromedp.WaitVisible(chromedp.CSS("#customer-new-link")),
		chromedp.Click(chromedp.CSS("#customer-new-link")),
		chromedp.WaitVisible(chromedp.CSS("#customer-new")),
	)
	shots(t, ctx, "customer-new")
	rankID, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#new-rank option')].find(o => o.text.startsWith('ゴールド会員')).value`))
	if err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, "the customer typed in, in the gold rank, with the link",
		chromedp.SendKeys(f("email"), "yuki@example.jp"),
		chromedp.SetValue(f("rank"), rankID),
		chromedp.SendKeys(f("family_name"), "中村"),
		chromedp.SendKeys(f("given_name"), "由紀"),
		chromedp.SendKeys(f("family_kana"), "ナカムラ"),
		chromedp.SendKeys(f("given_kana"), "ユキ"),
		chromedp.SendKeys(f("phone"), "03-1111-2222"),
		chromedp.SendKeys(f("postal_code"), "100-0001"),
		chromedp.SetValue(f("pref"), "13"),
		chromedp.SendKeys(f("city"), "千代田区千代田"),
		chromedp.SendKeys(f("address1"), "1-1"),
		chromedp.Click(chromedp.CSS("#customer-create")),
		chromedp.WaitVisible(chromedp.CSS("#customer-rank-name")),
	)
	if got := text(t, ctx, "#customer-rank-name"); got != "ゴールド会員" {
		t.Fatalf("rank on the customer page: %q", got)
	}
	shots(t, ctx, "customer-detail")

	// The customer follows the mailed link, sets a password and signs in.
	tok := lastLink(t, d, "customer_invite", "yuki@example.jp")
	browse(t, ctx, "the password set from the mail",
		chromedp.Navigate(base+"/forgot/reset?token="+tok),
		chromedp.WaitVisible(chromedp.CSS("#password2")),
		chromedp.SendKeys(chromedp.CSS("#password"), "hoshi-ga-kirei-na-yoru-9"),
		chromedp.SendKeys(chromedp.CSS("#password2"), "hoshi-ga-kirei-na-yoru-9"),
		chromedp.Click(chromedp.CSS("#reset")),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SendKeys(chromedp.CSS("#email"), "yuki@example.jp"),
		chromedp.SendKeys(chromedp.CSS("#password"), "hoshi-ga-kirei-na-yoru-9"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitNotPresent(chromedp.CSS("#login-form")),
	)
	browse(t, ctx, "two items in the cart",
		chromedp.Navigate(base+"/products/pot"),
		chromedp.WaitVisible(chromedp.CSS("form.add-to-cart")),
		chromedp.Click(chromedp.CSS(`form.add-to-cart button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("table.cart")),
		chromedp.Navigate(base+"/products/tea"),
		chromedp.WaitVisible(chromedp.CSS("form.add-to-cart")),
		chromedp.SetValue(chromedp.CSS("#qty"), "3"),
		chromedp.Click(chromedp.CSS(`form.add-to-cart button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#member-discount")),
	)
	if got := text(t, ctx, "#member-discount"); !strings.Contains(got, "会員割引（10%）: -¥434") {
		t.Fatalf("cart discount line: %q", got)
	}
	shots(t, ctx, "cart-member-discount")
	browse(t, ctx, "to checkout",
		chromedp.Click(chromedp.CSS(`a[href="/checkout"]`)),
		chromedp.WaitVisible(chromedp.CSS("#checkout-form")),
	)
	// The form is filled from the account; the customer picks Yamato and
	// cash on delivery.
	browse(t, ctx, "delivery and payment",
		chromedp.Click(chromedp.CSS(`input[name=method][value="1"]`)),
		chromedp.Click(chromedp.CSS(`input[name=payment][value=cod]`)),
		chromedp.Click(chromedp.CSS("#to-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#place-order")),
	)
	// 1 × ¥1,100 (10%) + 3 × ¥1,080 (8%) = ¥4,340. 10% off per rate:
	// ¥110 + ¥324 = ¥434. Tokyo by Yamato ¥930, COD ¥330.
	// 10%: 990 + 930 + 330 = 2,250 → tax 204; 8%: 2,916 → tax 216.
	// Total 4,340 − 434 + 930 + 330 = ¥5,166.
	if got := text(t, ctx, "#member-discount"); !strings.Contains(got, "会員割引（10%）") || !strings.Contains(got, "-¥434") {
		t.Fatalf("discount line: %q", got)
	}
	if got := text(t, ctx, "#order-total"); got != "¥5,166" {
		t.Fatalf("total %q", got)
	}
	totals := text(t, ctx, "table.totals")
	for _, want := range []string{"¥2,250", "¥204", "¥2,916", "¥216"} {
		if !strings.Contains(totals, want) {
			t.Errorf("confirmation totals lack %s: %q", want, totals)
		}
	}
	shots(t, ctx, "checkout-member-confirm")
	browse(t, ctx, "place the order",
		chromedp.Click(chromedp.CSS("#place-order")),
		chromedp.WaitVisible(chromedp.CSS("#order-number")),
	)
	number := strings.TrimSpace(text(t, ctx, "#order-number"))
	o, err := order.ByNumber(context.Background(), d, number)
	if err != nil || o.MemberDiscount != 434 || o.MemberPercent != 10 || o.Total != 5166 || o.CustomerID == nil {
		t.Fatalf("order %+v %v", o, err)
	}
	var body string
	d.QueryRow(context.Background(), `SELECT body_text FROM outbox WHERE event = 'order_confirmation' ORDER BY id DESC LIMIT 1`).Scan(&body)
	if !strings.Contains(body, "会員割引（10%）: -¥434") {
		t.Errorf("confirmation mail lacks the discount:\n%s", body)
	}
	browse(t, ctx, "the order in the admin",
		chromedp.Navigate(base+a+"/orders/"+number),
		chromedp.WaitVisible(chromedp.CSS("#member-discount")),
	)
	shots(t, ctx, "order-member-discount")

	// The import's dry run, for the record.
	csv := filepath.Join(t.TempDir(), "customers.csv")
	os.WriteFile(csv, []byte("email,姓,名,セイ,メイ,電話番号,郵便番号,都道府県,市区町村,番地,会員ランク\n"+
		"ok@example.jp,山本,花子,ヤマモト,ハナコ,090-1111-2222,150-0001,東京都,渋谷区,1-1,ゴールド会員\n"+
		"yuki@example.jp,山本,太郎,ヤマモト,タロウ,090-1111-3333,150-0001,東京都,渋谷区,1-2,\n"+
		"ng,,次郎,ヤマモト,ジロウ,0,1,火星,渋谷区,1-3,プラチナ\n"), 0o644)
	browse(t, ctx, "an import checked",
		chromedp.Navigate(base+a+"/customers/import"),
		chromedp.WaitVisible(chromedp.CSS("#import-form")),
		chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{csv}),
		chromedp.Click(chromedp.CSS("#import-check")),
		chromedp.WaitVisible(chromedp.CSS("#import-problems")),
	)
	shots(t, ctx, "customer-import-report")
}
