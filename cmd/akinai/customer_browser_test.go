package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime/quotedprintable"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// mailLink waits for a mail to to whose body holds a link to path, and
// returns the link (the body decoded as the mailer encoded it).
func mailLink(t *testing.T, rec *recorder, to, path string) string {
	t.Helper()
	re := regexp.MustCompile(`https?://\S+` + regexp.QuoteMeta(path) + `\?token=[A-Za-z0-9_%-]+`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		rec.mu.Lock()
		got := append([][]byte(nil), rec.got...)
		rec.mu.Unlock()
		for _, raw := range got {
			m, err := netmail.ReadMessage(bytes.NewReader(raw))
			if err != nil || !strings.Contains(m.Header.Get("To"), to) {
				continue
			}
			body, _ := io.ReadAll(m.Body)
			switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
			case "base64":
				body, _ = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(body)))
			case "quoted-printable":
				body, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
			}
			if u := re.FindString(string(body)); u != "" {
				return u
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no mail to %s with a %s link", to, path)
	return ""
}

// TestCustomer_BrowserRegisterConfirmBuy is the flow in headless
// Chromium: register → confirm by the link delivered to a real SMTP
// server on loopback → sign in → save an address → buy with it → see the
// order in My Page.
func TestCustomer_BrowserRegisterConfirmBuy(t *testing.T) {
	t.Parallel()
	rec, smtpCfg := startSMTP(t)
	cfg := Config{DataDir: t.TempDir(), Mail: MailConfig{From: "shop@example.co.jp", SMTP: smtpCfg}}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	seedProduct(t, d, "gyokuro", "reduced", []string{"GYO-1"}, []int{5})
	// The product page needs the rates in force (the demo seeds them too).
	for class, bp := range map[string]int{"standard": 1000, "reduced": 800} {
		if _, err := d.Exec(context.Background(), `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)`,
			class, bp, time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t)
	email := "midori@example.jp"

	// SetValue, not SendKeys: the postal-code lookup may fill the city
	// while the test types, and typing would then append to it.
	field := func(name, v string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.CSS(`input[name=`+name+`]`), v)
	}
	browse(t, ctx, "register",
		chromedp.Navigate(base+"/entry"),
		chromedp.WaitVisible(chromedp.CSS("#register-form")),
		field("email", email), field("password", "kumo-no-ue-de-odoru"), field("password2", "kumo-no-ue-de-odoru"),
		field("family_name", "緑川"), field("given_name", "みどり"), field("family_kana", "みどりかわ"), field("given_kana", "ミドリ"),
		field("phone", "090-8765-4321"), field("postal_code", "1000001"),
		chromedp.SetValue(chromedp.CSS("#pref"), "13"),
		field("city", "千代田区千代田"), field("address1", "1-1"),
		chromedp.Click(chromedp.CSS("#terms")),
		chromedp.Click(chromedp.CSS("#register")),
		chromedp.WaitVisible(chromedp.CSS("#sent")),
	)
	link := mailLink(t, rec, email, "/entry/confirm")
	// The link names the shop by its base URL (localhost); the browser's
	// cookies belong to that host from here on.
	base = link[:strings.Index(link, "/entry/")]
	browse(t, ctx, "confirm and sign in",
		chromedp.Navigate(link),
		chromedp.Click(chromedp.CSS("#confirm")),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		field("email", email), field("password", "kumo-no-ue-de-odoru"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#greeting")),
	)
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	defer func() {
		if t.Failed() {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			body, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
			t.Logf("at %s\n%s", loc, clipBody(body))
		}
	}()
	browse(t, sctx, "save an address",
		chromedp.Navigate(base+"/mypage/addresses"),
		chromedp.WaitVisible(chromedp.CSS("#address-form")),
		field("family_name", "緑川"), field("given_name", "実家"), field("family_kana", "ミドリカワ"), field("given_kana", "ジッカ"),
		field("phone", "011-222-3333"), field("postal_code", "0600001"),
		chromedp.SetValue(chromedp.CSS("#pref"), "1"),
		field("city", "札幌市中央区北一条西"), field("address1", "2-2"),
		chromedp.Click(chromedp.CSS("#save-address")),
		chromedp.WaitVisible(chromedp.CSS("ul.addresses")),
	)
	var number string
	bctx, bcancel := context.WithTimeout(ctx, 30*time.Second)
	defer bcancel()
	browse(t, bctx, "buy with the saved address",
		chromedp.Navigate(base+"/products/gyokuro"),
		chromedp.Click(chromedp.CSS("form.add-to-cart button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("a[href='/checkout']")),
		chromedp.Navigate(base+"/checkout"),
		chromedp.Click(chromedp.CSS("a.saved-address")),
		chromedp.WaitVisible(chromedp.CSS("#to-confirm")),
		chromedp.Click(chromedp.CSS("input[name=method]")),
		chromedp.Click(chromedp.CSS("input[value=bank_transfer]")),
		chromedp.Click(chromedp.CSS("#to-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#place-order")),
		chromedp.Click(chromedp.CSS("#place-order")),
		chromedp.WaitVisible(chromedp.CSS("#order-number")),
	)
	number = strings.TrimSpace(text(t, ctx, "#order-number"))
	var status string
	browse(t, ctx, "the order in My Page",
		chromedp.Navigate(base+"/mypage"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("a[href='/mypage/orders/%s']", number))),
		chromedp.WaitVisible(chromedp.CSS("#order-status")),
	)
	status = text(t, ctx, "#order-status")
	var shipCity string
	d.QueryRow(ctx, `SELECT ship_city FROM orders WHERE number = ?`, number).Scan(&shipCity)
	if shipCity != "札幌市中央区北一条西" || status == "" {
		t.Fatalf("order %s: ship city %q, status %q", number, shipCity, status)
	}
}
