package main

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/throttle"
)

// inquiryForm is a valid contact form.
func inquiryForm(name string) url.Values {
	return url.Values{"name": {name}, "kana": {"ヤマダ タロウ"}, "email": {"taro@example.jp"}, "phone": {"090-1234-5678"},
		"category": {"order"}, "message": {"注文した湯呑みがまだ届きません。\n確認をお願いします。"}}
}

// postFrom posts a form with the last page's CSRF token and extra headers.
func (c *client) postFrom(path string, form url.Values, header map[string]string) result {
	c.t.Helper()
	form = maps.Clone(form)
	form.Set("csrf", c.csrf)
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// sendInquiry walks /contact → confirm → send from a client, with extra
// request headers (X-Forwarded-For), and returns the send's result.
func sendInquiry(t *testing.T, c *client, form url.Values, header map[string]string) result {
	t.Helper()
	c.getWith("/contact", header).want(t, "contact form", 200, "contact-form")
	c.postFrom("/contact", form, header).want(t, "confirm", 200, "contact-send")
	return c.postFrom("/contact/send", form, header)
}

func TestContent_ContactForm(t *testing.T) {
	t.Parallel()
	cfg := Config{DatabaseURL: dbtest.NewPostgresDatabase(t)}
	d := openShopDB(t, cfg)
	ctx := context.Background()
	// The shop's address, set before the shop starts (settings are cached).
	if err := d.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('shop.email', 'shop@example.jp', ?)`, d.Now()); err != nil {
		t.Fatal(err)
	}
	base, _ := startLoggedShop(t, cfg, nil)
	c := newClient(t, base)

	// The footer links to the form and the news.
	c.get("/news").want(t, "news page", 200, `href="/contact"`, `href="/news.atom"`)
	c.get("/contact?lang=en").want(t, "English form", 200, "Contact us", "Subject")

	r := sendInquiry(t, c, inquiryForm("山田 太郎"), nil)
	r.want(t, "send", 303, "/contact/complete")
	c.get("/contact/complete").want(t, "complete", 200, "contact-done")
	var name, kana, status, lang string
	d.QueryRow(ctx, `SELECT name, kana, status, lang FROM inquiries`).Scan(&name, &kana, &status, &lang)
	if name != "山田 太郎" || kana != "ヤマダ タロウ" || status != "new" || lang != "en" {
		t.Fatalf("stored %q %q %q %q", name, kana, status, lang)
	}
	var ack, notice int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'inquiry_ack' AND to_addr = 'taro@example.jp'`).Scan(&ack)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'inquiry_notice' AND to_addr = 'shop@example.jp'`).Scan(&notice)
	if ack != 1 || notice != 1 {
		t.Fatalf("outbox: %d acknowledgements, %d notices", ack, notice)
	}

	// Bad input: 422, the message next to the field, the input kept, nothing stored.
	c.get("/contact?lang=ja")
	for _, tc := range []struct {
		name  string
		edit  func(url.Values)
		shows string
	}{
		{"header injection in the name", func(v url.Values) { v.Set("name", "Taro\r\nBcc: victim@example.com") }, "使用できない文字"},
		{"control characters in the message", func(v url.Values) { v.Set("message", "hi\x1b[2J\x07") }, "使用できない文字"},
		{"oversized message", func(v url.Values) { v.Set("message", strings.Repeat("長", 5001)) }, "5000文字以内"},
		{"script as the category", func(v url.Values) { v.Set("category", "<script>alert(1)</script>") }, "種類を選んで"},
	} {
		v := inquiryForm("山田 花子")
		tc.edit(v)
		for _, path := range []string{"/contact", "/contact/send"} {
			r := c.post(path, v)
			r.want(t, tc.name+" "+path, 422, tc.shows, `value="taro@example.jp"`)
			if strings.Contains(r.body, "<script>alert") {
				t.Fatalf("%s: script echoed", tc.name)
			}
		}
	}
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM inquiries`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d inquiries after refused input", n)
	}
	// A script in the message is stored as text and shown escaped.
	v := inquiryForm("<img src=x onerror=alert(1)>")
	r = c.post("/contact", v)
	r.want(t, "confirm with markup", 200, "&lt;img src=x onerror=alert(1)&gt;")
	if strings.Contains(r.body, "<img src=x") {
		t.Fatal("markup in the name rendered as HTML")
	}
}

// TestContent_ContactLimitSharedAcrossInstances drives the contact form
// past its limit through two shops sharing one PostgreSQL database: the
// count is shared, the refusal is a 429 with Retry-After and a message.
func TestContent_ContactLimitSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	limits := throttle.DefaultLimits()
	limits[throttle.ContactIP] = throttle.Limit{Max: 3, Window: 30 * time.Minute}
	a := startShop(t, Config{DatabaseURL: pg, Limits: limits})
	b := startShop(t, Config{DatabaseURL: pg, Limits: limits})
	ca, cb := newClient(t, a), newClient(t, b)
	for i, c := range []*client{ca, cb, ca} {
		sendInquiry(t, c, inquiryForm("山田 太郎"), nil).want(t, "send "+string(rune('1'+i)), 303, "/contact/complete")
	}
	r := sendInquiry(t, cb, inquiryForm("山田 太郎"), nil)
	r.want(t, "fourth send, other instance", 429, "操作の回数が多すぎます")
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After %q", ra)
	}
	r = sendInquiry(t, ca, inquiryForm("山田 太郎"), nil)
	r.want(t, "fifth send", 429)
	d := openAdminDB(t, pg)
	var n int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM inquiries`).Scan(&n)
	if n != 3 {
		t.Fatalf("%d inquiries stored, want 3", n)
	}
}

// TestContent_ContactLimitTrustedProxies: behind a trusted proxy each
// X-Forwarded-For client has its own limit; without one, the header is
// ignored and every request counts against the proxy's address.
func TestContent_ContactLimitTrustedProxies(t *testing.T) {
	t.Parallel()
	limits := throttle.DefaultLimits()
	limits[throttle.ContactIP] = throttle.Limit{Max: 1, Window: 30 * time.Minute}
	one := map[string]string{"X-Forwarded-For": "203.0.113.10"}
	two := map[string]string{"X-Forwarded-For": "198.51.100.20"}

	behind := startShop(t, Config{Limits: limits, TrustedProxies: "127.0.0.1/32"})
	c := newClient(t, behind)
	sendInquiry(t, c, inquiryForm("A"), one).want(t, "client one", 303)
	sendInquiry(t, c, inquiryForm("A"), one).want(t, "client one again", 429)
	sendInquiry(t, c, inquiryForm("B"), two).want(t, "client two, own limit", 303)

	direct := startShop(t, Config{Limits: limits})
	c = newClient(t, direct)
	sendInquiry(t, c, inquiryForm("A"), one).want(t, "untrusted one", 303)
	sendInquiry(t, c, inquiryForm("B"), two).want(t, "untrusted two shares the limit", 429)
}
