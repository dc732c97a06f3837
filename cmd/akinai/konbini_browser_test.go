package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/konbini"
	"github.com/akinai/akinai/internal/payment/stripetest"
	"github.com/akinai/akinai/internal/settings"
)

// TestKonbiniInBrowser: two guests pay by convenience store in headless
// Chromium (the demo shop, Stripe's konbini method at stripe-mock). The
// completion page shows the instructions (chains, confirmation numbers,
// expiry), as does the confirmation mail. A signed payment_intent.
// succeeded webhook moves the first order to paid; a forged one is
// refused with 400 and changes nothing; the provider's expiry event
// cancels the second order and returns its stock.
//
// AKINAI_SHOTS=<dir> also saves the completion page at 1280 and 390 px.
func TestKonbiniInBrowser(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium is not installed")
	}
	mock := stripetest.Start(t, stripetest.Fixture(t, stripetest.Konbini))
	secret := []byte("konbini-browser-test-master-secret-0123456789")
	cfg := Config{Demo: true, DataDir: t.TempDir(), Secret: secret}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	const whsec = "whsec_akinai_browser_test_0123456789"
	cardKey, err := settings.SealCardKey(secret, "sk_test_KonbiniBrowser01")
	if err != nil {
		t.Fatal(err)
	}
	hookKey, err := konbini.SealWebhookSecret(secret, whsec)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE payment_methods SET active = ? WHERE code = 'konbini'`, true); err != nil {
			return err
		}
		// Counted stock, so that its return can be seen.
		if _, err := tx.Exec(ctx, `UPDATE variants SET stock = 10 WHERE product_id = (SELECT id FROM products WHERE slug = 'canvas-apron')`); err != nil {
			return err
		}
		return settings.New(d).Set(ctx, tx, map[string]string{settings.PaymentCardKeySealed: cardKey, checkout.StripeURL: mock, konbini.WebhookSecretSealed: hookKey})
	})
	if err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	bctxAll, cancel := context.WithTimeout(ctx, 240*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(bctxAll, opts...)
	defer acancel()

	// buy places one konbini order as a new guest and returns its number
	// and the completion page's instructions.
	buy := func(email string, shots string) (number, instructions string) {
		bctx, bcancel := chromedp.NewContext(actx)
		defer bcancel()
		text := func(sel string, dst *string) chromedp.Action[chromedp.Void] {
			return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				v, err := chromedp.Text(sel)(ctx, tg)
				*dst = strings.TrimSpace(v)
				return err
			})
		}
		// The settings cache holds values for 3 s: wait until the
		// checkout offers konbini.
		steps := []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + "/products/canvas-apron"),
			chromedp.WaitVisible(`#catalog-axis2`),
			chromedp.SetValue(`#catalog-axis1`, "墨"),
			chromedp.SetValue(`#catalog-axis2`, "L"),
			chromedp.Click(`form.add-to-cart button[type=submit]`),
			chromedp.WaitVisible(`table.cart`),
		}
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("cart: %v", err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; {
			err := chromedp.Do(bctx, chromedp.Navigate(base+"/checkout"))
			n := 0
			if err == nil {
				n, err = chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name=payment][value=konbini]').length`))
			}
			if err == nil && n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the checkout never offered konbini: %v", err)
			}
			time.Sleep(300 * time.Millisecond)
		}
		sctx, scancel := context.WithTimeout(bctx, 60*time.Second)
		defer scancel()
		err := chromedp.Do(sctx,
			chromedp.WaitVisible(`#checkout-form`),
			chromedp.SendKeys(`#family_name`, "山田"),
			chromedp.SendKeys(`#given_name`, "花子"),
			chromedp.SendKeys(`#family_kana`, "ヤマダ"),
			chromedp.SendKeys(`#given_kana`, "ハナコ"),
			chromedp.SendKeys(`#phone`, "03-1234-5678"),
			chromedp.SendKeys(`#postal_code`, "1000001"),
			chromedp.SetValue(`#pref`, "13"),
			chromedp.SetValue(`#city`, "千代田区"),
			chromedp.SendKeys(`#address1`, "1-1"),
			chromedp.SendKeys(`#email`, email),
			chromedp.SendKeys(`#email2`, email),
			chromedp.Click(`input[name=method][value="1"]`),
			chromedp.Click(`input[name=payment][value=konbini]`),
			chromedp.Click(`#to-confirm`),
			chromedp.WaitVisible(`#place-order`),
			chromedp.Click(`#place-order`),
			chromedp.WaitVisible(`#konbini`),
			text(`#order-number`, &number),
			text(`#konbini`, &instructions),
		)
		if err != nil {
			loc, _ := chromedp.Run(bctx, chromedp.Location())
			body, _ := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("main")))
			if len(body) > 4000 {
				body = body[len(body)-4000:]
			}
			t.Fatalf("%v\nat %s\n%s", err, loc, body)
		}
		if shots != "" {
			for _, w := range []int64{1280, 390} {
				err := chromedp.Do(bctx, chromedp.EmulateViewport(w, 900))
				var png []byte
				if err == nil {
					png, err = chromedp.Run(bctx, chromedp.FullScreenshot(100))
				}
				if err == nil {
					os.WriteFile(filepath.Join(shots, fmt.Sprintf("konbini-done-%d.png", w)), png, 0o644)
				}
			}
		}
		return number, instructions
	}

	paid, shown := buy("hanako@example.jp", os.Getenv("AKINAI_SHOTS"))
	for _, want := range []string{"ローソン", "ファミリーマート", "12345678901", "2026年12月31日 23:59", "払込票"} {
		if !strings.Contains(shown, want) {
			t.Errorf("completion page lacks %q: %q", want, shown)
		}
	}
	expired, _ := buy("taro@example.jp", "")

	type state struct {
		status, intent string
		variant        int64
		qty, stock     int
	}
	stateOf := func(number string) state {
		var s state
		err := d.QueryRow(ctx, `SELECT o.status, k.intent_id, l.variant_id, l.qty, v.stock FROM orders o
			JOIN konbini_payments k ON k.order_id = o.id JOIN order_lines l ON l.order_id = o.id JOIN variants v ON v.id = l.variant_id
			WHERE o.number = ?`, number).Scan(&s.status, &s.intent, &s.variant, &s.qty, &s.stock)
		if err != nil {
			t.Fatalf("order %s: %v", number, err)
		}
		return s
	}
	var body string
	if err := d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'order_confirmation' AND to_addr = 'hanako@example.jp'`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "ローソン: 確認番号 12345678901") || !strings.Contains(body, "お支払い期限: 2026年12月31日 23:59") {
		t.Errorf("mail lacks the instructions:\n%s", body)
	}

	post := func(body []byte, key string) int {
		sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: key, Timestamp: time.Now()})
		req, _ := http.NewRequest("POST", base+konbini.WebhookPath, bytes.NewReader(body))
		req.Header.Set("Stripe-Signature", sp.Header)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	event := func(typ, intent string, amount int64) []byte {
		return []byte(fmt.Sprintf(`{"id":"evt_%d","object":"event","api_version":"2020-08-27","type":%q,"data":{"object":{"id":%q,"object":"payment_intent","amount":%d,"amount_received":%d,"currency":"jpy","payment_method_types":["konbini"]}}}`,
			time.Now().UnixNano(), typ, intent, amount, amount))
	}
	var total int64
	d.QueryRow(ctx, `SELECT total FROM orders WHERE number = ?`, paid).Scan(&total)

	p := stateOf(paid)
	if code := post(event("payment_intent.succeeded", p.intent, total), "whsec_forged_by_someone_else_000"); code != 400 {
		t.Fatalf("forged webhook: %d", code)
	}
	if s := stateOf(paid); s.status != "awaiting_payment" {
		t.Fatalf("a forged webhook changed the order: %s", s.status)
	}
	if code := post(event("payment_intent.succeeded", p.intent, total), whsec); code != 200 {
		t.Fatalf("signed webhook: %d", code)
	}
	if s := stateOf(paid); s.status != "paid" {
		t.Fatalf("paid order: %s", s.status)
	}

	e := stateOf(expired)
	if e.status != "awaiting_payment" {
		t.Fatalf("second order %s", e.status)
	}
	if code := post(event("payment_intent.payment_failed", e.intent, total), whsec); code != 200 {
		t.Fatalf("expiry webhook: %d", code)
	}
	if s := stateOf(expired); s.status != "cancelled" || s.stock != e.stock+e.qty {
		t.Fatalf("expired order: %s, stock %d → %d (qty %d)", s.status, e.stock, s.stock, e.qty)
	}
	if s := stateOf(paid); s.status != "paid" {
		t.Fatalf("the paid order moved: %s", s.status)
	}
}
