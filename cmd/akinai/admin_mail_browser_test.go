package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestAdminMail_BrowserChecksPhishing: in headless Chromium, a signed-in
// owner pastes the first phishing example into the checker and reads the
// verdict the page shows (no inline script: the page works without JS).
func TestAdminMail_BrowserChecksPhishing(t *testing.T) {
	t.Parallel()
	owner, _, _, _, base := mailShop(t)
	ctx := newBrowser(t)
	u, _ := url.Parse(base)
	for _, c := range owner.c.Jar.Cookies(u) {
		if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: base + "/"}); err != nil {
			t.Fatal(err)
		}
	}
	browse(t, ctx, "open the checker",
		chromedp.Navigate(base+owner.admin+"/phish?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#phish-raw")),
	)
	// Paste: the mail holds ISO-2022-JP escape bytes, which typing cannot
	// produce, so the value is set as a clipboard paste would.
	js, _ := json.Marshal(corpusMail(t, "p01"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("phish-raw").value = `+string(js)+`) !== ""`)); err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, "check",
		chromedp.Click(chromedp.CSS("#phish-check")),
		chromedp.WaitVisible(chromedp.CSS("#phish-verdict")),
	)
	verdict := text(t, ctx, "#phish-verdict")
	reasons := text(t, ctx, "#phish-reasons")
	if !strings.Contains(verdict, "Phishing") || !strings.Contains(reasons, "ec-cube.net") {
		t.Fatalf("verdict %q\nreasons %q", verdict, reasons)
	}
}
