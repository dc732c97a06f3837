package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/japanese"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// caughtMail is a delivered mail, decoded.
type caughtMail struct {
	To, Subject, Body string
}

// decodeMail reads a raw message: headers' encoded words, base64 and
// ISO-2022-JP or UTF-8 text.
func decodeMail(t *testing.T, raw []byte) caughtMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("mail: %v\n%s", err, raw)
	}
	charsetReader := func(cs string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(cs, "iso-2022-jp") {
			return japanese.ISO2022JP.NewDecoder().Reader(r), nil
		}
		return r, nil
	}
	wd := &mime.WordDecoder{CharsetReader: charsetReader}
	subject, _ := wd.DecodeHeader(m.Header.Get("Subject"))
	body, _ := io.ReadAll(m.Body)
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "base64") {
		body, _ = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), ""))
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	r, _ := charsetReader(params["charset"], bytes.NewReader(body))
	text, _ := io.ReadAll(r)
	to, _ := mail.ParseAddress(m.Header.Get("To"))
	c := caughtMail{Subject: subject, Body: string(text)}
	if to != nil {
		c.To = to.Address
	}
	return c
}

// waitMail waits until the recorder holds a mail that match accepts and
// returns it decoded.
func waitMail(t *testing.T, rec *recorder, what string, match func(caughtMail) bool) caughtMail {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		rec.mu.Lock()
		raws := append([][]byte(nil), rec.got...)
		rec.mu.Unlock()
		var seen []caughtMail
		for _, raw := range raws {
			m := decodeMail(t, raw)
			if match(m) {
				return m
			}
			seen = append(seen, m)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s among %+v", what, seen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestContent_InquiryInBrowser: a customer sends an inquiry in headless
// Chromium; the shop and the customer get their mails on a loopback SMTP
// server; the signed-in operator replies from the admin in the browser;
// the reply is mailed and kept in the thread.
func TestContent_InquiryInBrowser(t *testing.T) {
	t.Parallel()
	rec, smtpCfg := startSMTP(t)

	cfg := Config{DatabaseURL: dbtest.NewPostgresDatabase(t), Mail: MailConfig{From: "shop@example.co.jp", SMTP: smtpCfg}}
	d := openShopDB(t, cfg)
	ctx := context.Background()
	if err := d.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('shop.email', 'orders@example.co.jp', ?), ('shop.name', '商い茶舗', ?)`, d.Now(), d.Now()); err != nil {
		t.Fatal(err)
	}
	base, logs := startLoggedShop(t, cfg, nil)
	owner, _ := setupOwner(t, base, setupPath(t, logs))
	admin := owner.admin

	bctx := newBrowser(t)
	browse(t, bctx, "customer sends an inquiry",
		chromedp.Navigate(base+"/contact"),
		chromedp.WaitVisible(chromedp.CSS("#contact-form")),
		chromedp.SendKeys(chromedp.CSS("#name"), "山田 太郎"),
		chromedp.SendKeys(chromedp.CSS("#kana"), "ヤマダ タロウ"),
		chromedp.SendKeys(chromedp.CSS("#email"), "taro@example.jp"),
		chromedp.SetValue(chromedp.CSS("#category"), "delivery"),
		chromedp.SendKeys(chromedp.CSS("#message"), "湯呑みの配送日を変更できますか。ORDER-1001"),
		chromedp.Click(chromedp.CSS(`#contact-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#contact-send")),
	)
	if got := text(t, bctx, "#c-name"); got != "山田 太郎" {
		t.Fatalf("confirmation shows %q", got)
	}
	browse(t, bctx, "customer confirms",
		chromedp.Click(chromedp.CSS("#contact-submit")),
		chromedp.WaitVisible(chromedp.CSS("#contact-done")),
	)
	waitMail(t, rec, "acknowledgement", func(m caughtMail) bool {
		return m.To == "taro@example.jp" && strings.Contains(m.Subject, "お問い合わせを受け付けました") && strings.Contains(m.Body, "ORDER-1001")
	})
	waitMail(t, rec, "shop notice", func(m caughtMail) bool {
		return m.To == "orders@example.co.jp" && strings.Contains(m.Subject, "配送について") && strings.Contains(m.Body, "ORDER-1001")
	})

	// The operator, signed in over HTTP, continues in the browser.
	var token string
	for _, ck := range owner.c.Jar.Cookies(mustURL(t, base)) {
		if ck.Name == "admin_session" {
			token = ck.Value
		}
	}
	if token == "" {
		t.Fatal("no admin session cookie")
	}
	if _, err := chromedp.Call(bctx, network.SetCookie, network.SetCookieParams{Name: "admin_session", Value: token, URL: base, Path: "/"}); err != nil {
		t.Fatal(err)
	}
	browse(t, bctx, "operator opens the inquiry",
		chromedp.Navigate(base+admin+"/inquiries"),
		chromedp.WaitVisible(chromedp.CSS(`table.list a[href*="/inquiries/"]`)),
		chromedp.Click(chromedp.CSS(`table.list a[href*="/inquiries/"]`)),
		chromedp.WaitVisible(chromedp.CSS("#inquiry-reply")),
	)
	if got := text(t, bctx, "#inq-message"); !strings.Contains(got, "ORDER-1001") {
		t.Fatalf("inquiry shows %q", got)
	}
	browse(t, bctx, "operator replies",
		chromedp.SendKeys(chromedp.CSS(`#inquiry-reply textarea[name=body]`), "配送日は12月20日に変更しました。TRACK-12345"),
		chromedp.Click(chromedp.CSS("#reply-send")),
		chromedp.WaitVisible(chromedp.CSS(".admin-flash")),
	)
	if got := text(t, bctx, "#thread"); !strings.Contains(got, "TRACK-12345") {
		t.Fatalf("thread %q", got)
	}
	waitMail(t, rec, "reply", func(m caughtMail) bool {
		return m.To == "taro@example.jp" && strings.Contains(m.Subject, "Re: お問い合わせ") && strings.Contains(m.Body, "TRACK-12345") && strings.Contains(m.Body, "ORDER-1001")
	})
	var status string
	d.QueryRow(ctx, `SELECT status FROM inquiries`).Scan(&status)
	if status != "open" {
		t.Fatalf("status after the reply %q", status)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
