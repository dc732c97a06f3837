package main

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestAdmin_PasskeyAndRelay is the "done when" in a real browser:
// the newcomer follows the setup link, creates the owner, enrols a passkey
// (Chromium's virtual authenticator), signs out and back in with it
// (passwordless, discoverable, user verification). Then the phisher's
// relay on shop-jp.localhost forwards the same login page: the passkey
// ceremony fails there (the browser will not sign for shop.localhost from
// another origin) and the attempt is in the audit log; with the shop set
// to passkeys only, a relayed password + TOTP is refused too.
func TestAdmin_PasskeyAndRelay(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	origin := "http://shop.localhost:" + port
	_, logs := startLoggedShop(t, Config{DatabaseURL: pg, BaseURL: origin}, l)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	d := openAdminDB(t, pg)
	ctx := newBrowser(t)

	var codes string
	browse(t, ctx, "setup and passkey enrolment",
		chromedp.Navigate(origin+setup),
		chromedp.WaitVisible(chromedp.CSS("#setup-form")),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=email]`), "owner@example.jp"),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=name]`), "田中 花子"),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=password]`), ownerPassword),
		chromedp.SendKeys(chromedp.CSS(`#setup-form input[name=password2]`), ownerPassword),
		chromedp.Click(chromedp.CSS(`#setup-form button`)),
		chromedp.WaitVisible(chromedp.CSS("#passkey-register")),
		chromedp.SetValue(chromedp.CSS("#passkey-name"), "Chromium"),
		chromedp.Click(chromedp.CSS("#passkey-register")),
		chromedp.WaitVisible(chromedp.CSS("#recovery-new")),
		chromedp.Click(chromedp.CSS("#recovery-new button")),
		chromedp.WaitVisible(chromedp.CSS("#recovery-codes")),
	)
	codes = text(t, ctx, "#recovery-codes")
	if strings.Count(codes, "-") != 50 {
		t.Fatalf("recovery codes: %q", codes)
	}
	var name string
	d.QueryRow(context.Background(), `SELECT name FROM admin_passkeys`).Scan(&name)
	if name != "Chromium" {
		t.Fatalf("stored passkey name %q", name)
	}

	// Sign out, then passwordless sign-in with the discoverable passkey.
	browse(t, ctx, "passkey sign-in",
		chromedp.Click(chromedp.CSS(".admin-out button")),
		chromedp.WaitVisible(chromedp.CSS("#passkey-login")),
		chromedp.Click(chromedp.CSS("#passkey-login")),
		chromedp.WaitVisible(chromedp.CSS("#public-products")),
	)
	if n := auditCount(t, d, "signin.success", "owner@example.jp"); n != 1 {
		t.Fatalf("%d passkey sign-ins audited", n)
	}
	var details string
	d.QueryRow(context.Background(), `SELECT details FROM audit_log WHERE action = 'signin.success'`).Scan(&details)
	if !strings.Contains(details, `"factor":"passkey"`) {
		t.Fatalf("sign-in details %s", details)
	}

	// Add TOTP too (the fallback a phisher would aim at), reading the text
	// secret off the page and computing the code with oathtool.
	browse(t, ctx, "TOTP enrolment",
		chromedp.Navigate(origin+admin+"/account/totp"),
		chromedp.WaitVisible(chromedp.CSS("#totp-secret")),
	)
	secret := strings.ReplaceAll(strings.TrimSpace(text(t, ctx, "#totp-secret")), " ", "")
	browse(t, ctx, "TOTP code",
		chromedp.SendKeys(chromedp.CSS(`#totp-enrol-form input[name=code]`), totp(t, secret, 0)),
		chromedp.Click(chromedp.CSS(`#totp-enrol-form button`)),
		chromedp.WaitVisible(chromedp.CSS("#password-change")),
	)

	// The relay: same page, look-alike origin. The browser refuses to use
	// a shop.localhost passkey for shop-jp.localhost.
	relayPort := startRelay(t, "http://127.0.0.1:"+port, "127.0.0.2")
	relay := "http://shop-jp.localhost:" + relayPort
	browse(t, ctx, "passkey through the relay",
		chromedp.Navigate(relay+admin+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#passkey-login")),
		chromedp.Click(chromedp.CSS("#passkey-login")),
		chromedp.WaitVisible(chromedp.CSS("[data-passkey-error]")),
	)
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("body"), "data-passkey-failed"))
	if failed := attr.Value; err != nil || failed != "SecurityError" {
		t.Fatalf("relay ceremony ended with %q (%v), want SecurityError", failed, err)
	}
	var relayed string
	d.QueryRow(context.Background(), `SELECT details FROM audit_log WHERE action = 'signin.passkey.client_error'`).Scan(&relayed)
	if !strings.Contains(relayed, "shop-jp.localhost") || !strings.Contains(relayed, "SecurityError") {
		t.Fatalf("relay attempt audit details %q", relayed)
	}
	if n := auditCount(t, d, "signin.success", ""); n != 1 {
		t.Fatalf("the relay signed someone in: %d sign-ins", n)
	}

	// Password + TOTP through the relay works while TOTP is allowed (the
	// weakness passkeys-only removes): prove the relay is a real one.
	phisher := newClient(t, relay)
	phisher.get(admin + "/login")
	phisher.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "relayed password", 303)
	phisher.get(admin + "/login/2fa")
	phisher.post(admin+"/login/totp", url.Values{"code": {totp(t, secret, 1)}}).want(t, "relayed TOTP before passkeys-only", 303)

	// The owner turns on passkeys only. Sudo mode has lapsed, so the
	// security page first asks to confirm, here with the passkey.
	if _, err := d.Exec(context.Background(), `UPDATE admin_sessions SET sudo_until = ?`, time.Now().Add(-time.Minute).UTC()); err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, "passkeys-only policy",
		chromedp.Navigate(origin+admin+"/security"),
		chromedp.WaitVisible(chromedp.CSS("#passkey-sudo")),
		chromedp.Click(chromedp.CSS("#passkey-sudo")),
		chromedp.WaitVisible(chromedp.CSS("#policy-form")),
		chromedp.Click(chromedp.CSS(`#policy-form input[name=passkeys_only]`)),
		chromedp.Click(chromedp.CSS(`#policy-form button`)),
		chromedp.WaitVisible(chromedp.CSS(".admin-flash")),
	)
	phisher = newClient(t, relay)
	phisher.get(admin + "/login")
	phisher.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "relayed password 2", 303)
	phisher.get(admin + "/login/2fa")
	phisher.post(admin+"/login/totp", url.Values{"code": {totp(t, secret, 2)}}).want(t, "relayed TOTP under passkeys-only", 403, "パスキーでのみ")
	phisher.post(admin+"/login/recovery", url.Values{"code": {strings.Fields(codes)[0]}}).want(t, "relayed recovery code under passkeys-only", 403)
	if n := auditCount(t, d, "signin.factor_refused", "owner@example.jp"); n != 2 {
		t.Fatalf("%d refused factors audited, want 2", n)
	}
}
