package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
)

// startRelay runs the phisher's reverse proxy: it listens on 127.0.0.1:0
// (the test names it shop-jp.localhost) and forwards everything to the
// shop, dialling from `from` (e.g. 127.0.0.2) so the shop sees the relay's
// own address, as it would on the internet.
func startRelay(t *testing.T, shop string, from string) string {
	t.Helper()
	target, _ := url.Parse(shop)
	rp := httputil.NewSingleHostReverseProxy(target)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if from != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	rp.Transport = &http.Transport{DialContext: dialer.DialContext}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: rp, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// newBrowser starts headless Chromium with a virtual CTAP2 platform
// authenticator (resident keys, user verification) on its first tab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 120*time.Second)
}

// newBrowserFor is newBrowser for a test that may take up to limit.
func newBrowserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		t.Skip("chromium not installed")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.NoDefaultBrowserCheck,
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// Start the browser on the long-lived context, then bound the test.
	if _, err := chromedp.Run(ctx, chromedp.Location()); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(cancelT)
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	_, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
		Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
		Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
		IsUserVerified: true, AutomaticPresenceSimulation: true,
	}})
	if err != nil {
		t.Fatalf("virtual authenticator: %v", err)
	}
	return ctx
}

// browse runs actions in the browser, failing the test with the page it
// got stuck on.
func browse(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("%s: %v\nat %s\n%s", what, err, loc, clipBody(body))
	}
}

// text returns an element's visible text.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return v
}

// browserSignIn signs the owner in with password and TOTP in the browser,
// in lang, and waits for the admin menu.
func browserSignIn(t *testing.T, ctx context.Context, adminURL, lang, secret string) {
	t.Helper()
	browse(t, ctx, "sign in",
		chromedp.Navigate(adminURL+"/login?lang="+lang),
		chromedp.WaitVisible(chromedp.CSS("#password-form")),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=email]`), "owner@example.jp"),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=password]`), ownerPassword),
		chromedp.Click(chromedp.CSS(`#password-form button`)),
		chromedp.WaitVisible(chromedp.CSS("#totp-form")),
		chromedp.SendKeys(chromedp.CSS(`#totp-form input[name=code]`), totp(t, secret, 1)),
		chromedp.Click(chromedp.CSS(`#totp-form button`)),
		chromedp.WaitVisible(chromedp.CSS(".admin-nav")),
	)
}

// screenshot saves the page at 1280 and 390 px wide as PNGs under
// $AKINAI_SCREENSHOTS (name-1280.png, name-390.png) when it is set, for a
// person to look at; tests do not read them.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("AKINAI_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, w := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800)); err != nil {
			t.Fatalf("viewport: %v", err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800))
}

// replay sends the phisher's cookies, taken at the relay's origin, to the
// real shop and returns what a GET of path answers: the test of whether a
// relay walked away with a session that works.
func replay(t *testing.T, phisher *client, relay, shop, path string) result {
	t.Helper()
	ru, _ := url.Parse(relay)
	thief := newClient(t, shop)
	su, _ := url.Parse(shop)
	thief.c.Jar.SetCookies(su, phisher.c.Jar.Cookies(ru))
	return thief.get(path)
}

// screenshotsWanted reports whether $AKINAI_SCREENSHOTS asks for them.
func screenshotsWanted() bool { return os.Getenv("AKINAI_SCREENSHOTS") != "" }
