package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCustomer_Passkey: in headless Chromium with a virtual authenticator,
// a signed-in customer adds a passkey on My Page (a notice is mailed),
// signs out and back in with it, without a password; a ceremony answered
// without a challenge is refused.
func TestCustomer_Passkey(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	origin := "http://shop.localhost:" + port
	cfg := Config{DataDir: t.TempDir(), BaseURL: origin}
	startLoggedShop(t, cfg, l)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	email := "aoi@example.jp"
	registerActive(t, "http://127.0.0.1:"+port, cfg, email)
	// The home page (where sign-out lands) needs the rates in force.
	for class, bp := range map[string]int{"standard": 1000, "reduced": 800} {
		if _, err := d.Exec(ctx, `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)`,
			class, bp, time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}

	b := newBrowser(t)
	field := func(name, v string) chromedp.Action[chromedp.Void] {
		return chromedp.SendKeys(chromedp.CSS(`#login-form input[name=`+name+`]`), v)
	}
	browse(t, b, "password sign-in",
		chromedp.Navigate(origin+"/mypage/login"),
		chromedp.WaitVisible(chromedp.CSS("#passkey-login")),
		field("email", email), field("password", "kumo-no-ue-de-odoru"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#greeting")),
	)
	browse(t, b, "add a passkey",
		chromedp.Navigate(origin+"/mypage/profile"),
		chromedp.WaitVisible(chromedp.CSS("#passkey-register")),
		chromedp.SetValue(chromedp.CSS("#passkey-name"), "Chromium"),
		chromedp.Click(chromedp.CSS("#passkey-register")),
		chromedp.WaitVisible(chromedp.CSS("#passkeys")),
	)
	var name, handle string
	d.QueryRow(ctx, `SELECT p.name, c.webauthn_id FROM customer_passkeys p JOIN customers c ON c.id = p.customer_id`).Scan(&name, &handle)
	if name != "Chromium" || len(handle) != 43 {
		t.Fatalf("stored passkey %q, handle %d chars", name, len(handle))
	}
	if mailCount(t, d, "customer_passkey_added", email) != 1 {
		t.Fatal("no notice of the new passkey")
	}

	browse(t, b, "sign out", chromedp.Click(chromedp.CSS("#logout")))
	// Wait (polling, no time asserted) until the sign-out has landed.
	for i := 0; ; i++ {
		ready, err := chromedp.Run(b, chromedp.Evaluate[bool](`location.pathname === "/" && document.readyState === "complete"`))
		if err == nil && ready {
			break
		}
		if i == 100 {
			t.Fatalf("sign-out did not land on the home page: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	browse(t, b, "sign in with the passkey",
		chromedp.Navigate(origin+"/mypage/login"),
		chromedp.WaitVisible(chromedp.CSS("#passkey-login")),
		chromedp.Click(chromedp.CSS("#passkey-login")),
		chromedp.WaitVisible(chromedp.CSS("#greeting")),
	)
	var used int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM customer_passkeys WHERE last_used_at IS NOT NULL`).Scan(&used)
	if used != 1 {
		t.Fatal("the passkey sign-in was not recorded on the passkey")
	}

	// A finish without a begun ceremony (no challenge cookie): refused.
	c := newBuyer(t, "http://127.0.0.1:"+port)
	req, _ := http.NewRequest("POST", "http://127.0.0.1:"+port+"/mypage/login/passkey/finish", strings.NewReader(`{"id":"x","type":"public-key"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || len(resp.Cookies()) > 1 {
		t.Fatalf("finish without a ceremony: %d", resp.StatusCode)
	}
}
