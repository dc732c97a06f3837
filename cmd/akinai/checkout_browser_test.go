package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/shop"
)

// TestCheckoutInBrowser is a guest's purchase in headless Chromium: a
// two-axis product of the demo shop (墨 / L), the cart, the checkout form
// with the postal-code lookup filled by checkout.js, cash on delivery,
// the confirmation page and the completion page. Afterwards the order
// (with the variant chosen and the COD fee) and both mails are in the
// database.
func TestCheckoutInBrowser(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium is not installed")
	}
	cfg := Config{Demo: true, DataDir: t.TempDir()}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	change := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.SetValue(sel, value),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`document.querySelector("`+sel+`").dispatchEvent(new Event("change"))`)(ctx, tg)
				return err
			}))
	}
	text := func(sel string, dst *string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Text(sel)(ctx, tg)
			*dst = strings.TrimSpace(v)
			return err
		})
	}
	value := func(sel string, dst *string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Value(sel)(ctx, tg)
			*dst = v
			return err
		})
	}
	slotsOf := func(shown, hidden string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`!document.querySelector('#slot optgroup[data-method="`+shown+`"]').hidden && document.querySelector('#slot optgroup[data-method="`+hidden+`"]').hidden`)(ctx, tg)
			return err
		})
	}
	var cartText, pref, city, confirmText, number, doneTotal string
	err := chromedp.Do(bctx,
		chromedp.Navigate(base+"/products/canvas-apron"),
		chromedp.WaitVisible(`#catalog-axis2`),
		change(`#catalog-axis1`, "墨"),
		change(`#catalog-axis2`, "L"),
		chromedp.SetValue(`#qty`, "2"),
		chromedp.Click(`form.add-to-cart button[type=submit]`),
		chromedp.WaitVisible(`table.cart`),
		text(`table.cart`, &cartText),
		chromedp.Click(`a[href="/checkout"]`),
		chromedp.WaitVisible(`#checkout-form`),
		chromedp.SendKeys(`#family_name`, "山田"),
		chromedp.SendKeys(`#given_name`, "花子"),
		chromedp.SendKeys(`#family_kana`, "やまだ"), // hiragana is accepted and stored as katakana
		chromedp.SendKeys(`#given_kana`, "ハナコ"),
		chromedp.SendKeys(`#phone`, "03-1234-5678"),
		chromedp.SendKeys(`#postal_code`, "1000001"),
		// checkout.js fills prefecture and city when the code changes.
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`document.querySelector("#postal_code").dispatchEvent(new Event("change"))`)(ctx, tg)
			return err
		}),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`document.querySelector("#city").value !== ""`)(ctx, tg)
			return err
		}),
		value(`#pref`, &pref),
		value(`#city`, &city),
		chromedp.SendKeys(`#address1`, "1-1"),
		chromedp.SendKeys(`#email`, "hanako@example.jp"),
		chromedp.SendKeys(`#email2`, "hanako@example.jp"),
		// checkout.js offers the chosen method's time slots only.
		chromedp.Click(`input[name=method][value="2"]`),
		slotsOf("2", "1"),
		chromedp.Click(`input[name=method][value="1"]`),
		slotsOf("1", "2"),
		chromedp.Click(`input[name=payment][value=cod]`),
		chromedp.Click(`#to-confirm`),
		chromedp.WaitVisible(`#place-order`),
		text(`main`, &confirmText),
		chromedp.Click(`#place-order`),
		chromedp.WaitVisible(`#order-number`),
		text(`#order-number`, &number),
		text(`#order-total`, &doneTotal),
	)
	if err != nil {
		loc, _ := chromedp.Run(bctx, chromedp.Location())
		body, _ := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("%v\nat %s\n%.3000s", err, loc, body)
	}
	if !strings.Contains(cartText, "墨 / L") {
		t.Errorf("cart does not show the chosen variant: %q", cartText)
	}
	if pref != "13" || !strings.HasPrefix(city, "千代田区") {
		t.Errorf("postal lookup filled pref %q city %q", pref, city)
	}
	// The 2022 final-confirmation items: quantity, total, payment method
	// and timing, delivery timing, cancellation terms.
	for _, want := range []string{"代金引換", "商品お受け取り時にお支払い", "墨 / L", "発送時期", "キャンセル・返品", "ヤマダ"} {
		if !strings.Contains(confirmText, want) {
			t.Errorf("confirmation page lacks %q", want)
		}
	}
	ctx2 := context.Background()
	var status, payment, variant string
	var qty int
	var total, cod int64
	err = d.QueryRow(ctx2, `SELECT o.status, o.payment_method, o.total, o.cod_fee, l.variant_ja, l.qty
		FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.number = ?`, number).Scan(&status, &payment, &total, &cod, &variant, &qty)
	if err != nil {
		t.Fatalf("order %q: %v", number, err)
	}
	if status != "new" || payment != "cod" || variant != "墨 / L" || qty != 2 || cod == 0 {
		t.Errorf("order %s: status %s, payment %s, variant %q × %d, COD fee %d", number, status, payment, variant, qty, cod)
	}
	if !strings.Contains(doneTotal, shop.Yen(total).String()) {
		t.Errorf("completion page total %q, order total %d", doneTotal, total)
	}
	var kana string
	d.QueryRow(ctx2, `SELECT family_kana FROM orders WHERE number = ?`, number).Scan(&kana)
	if kana != "ヤマダ" {
		t.Errorf("kana stored as %q", kana)
	}
	rows, err := d.Query(ctx2, `SELECT event, to_addr FROM outbox WHERE event IN ('order_confirmation', 'order_shop_notice') ORDER BY event`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var mails []string
	for rows.Next() {
		var ev, to string
		if err := rows.Scan(&ev, &to); err != nil {
			t.Fatal(err)
		}
		mails = append(mails, ev+" → "+to)
	}
	if len(mails) != 2 || !strings.HasSuffix(mails[0], "hanako@example.jp") {
		t.Errorf("mails: %v", mails)
	}
}
