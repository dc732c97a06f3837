package main

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/db"
)

// seedSubscribers adds active customers: n in Tokyo who opted in, and one
// in Tokyo who did not.
func seedSubscribers(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *db.Tx) error {
		for i := range n + 1 {
			email := fmt.Sprintf("member%d@example.jp", i)
			if _, err := tx.Exec(ctx, `INSERT INTO customers (email, email_key, status, family_name, given_name, pref, newsletter, terms_at, anti_phishing, created_at, updated_at)
				VALUES (?, ?, 'active', '山田', '花子', 13, ?, ?, 'さくら', ?, ?)`, email, email, i < n, tx.Now(), tx.Now(), tx.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An operator writes a mail magazine in Chromium: the form from the menu,
// a preview of the unsaved text and HTML (whose script does not run), a
// segment that matches nobody refused with a clear message, then Tokyo's
// subscribers; a test send; "send now"; the real sender delivers one mail
// per subscriber to a loopback SMTP server and the statistics say so. A
// recipient's one-click POST (RFC 8058) then unsubscribes them.
func TestMagazine_BrowserComposeScheduleSend(t *testing.T) {
	t.Parallel()
	rec, smtpCfg := startSMTP(t)
	cfg := Config{DataDir: t.TempDir(), Mail: MailConfig{From: "shop@example.co.jp", SMTP: smtpCfg}}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	adminPath := adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	d := openShopDB(t, cfg)
	seedSubscribers(t, d, 5)
	ctx := newBrowser(t)
	var dialogs atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, base+adminPath, "ja", secret)

	f := func(name string) chromedp.CSS { return chromedp.CSS(`#magazine-form [name=` + name + `]`) }
	browse(t, ctx, "the compose form from the menu",
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/magazine/new"]`)),
		chromedp.WaitVisible(chromedp.CSS("#magazine-form")),
		chromedp.SendKeys(f("subject"), "冬のお茶セール"),
		chromedp.SendKeys(f("text"), "山田様\nいつもありがとうございます。\n冬のセールのお知らせです。"),
		chromedp.SendKeys(f("html"), `<h2>冬のお茶セール</h2><p>煎茶が20%オフ</p><script>alert("pwned")</script>`),
		chromedp.SetValue(f("pref"), "47"),
	)
	browse(t, ctx, "the preview of the unsaved form",
		chromedp.Click(chromedp.CSS("#magazine-preview-button")),
		chromedp.Sleep(500*time.Millisecond), // let the frame load; nothing is asserted on timing
	)
	screenshot(t, ctx, "magazine-compose")
	browse(t, ctx, "saved with a segment that matches nobody",
		chromedp.Click(chromedp.CSS(`#magazine-form button.primary`)),
		chromedp.WaitVisible(chromedp.CSS("#magazine-nobody")),
	)
	if got := text(t, ctx, "#magazine-nobody"); !strings.Contains(got, "当てはまる会員（配信に同意済み）はいません") {
		t.Fatalf("nobody message: %q", got)
	}
	browse(t, ctx, "scheduling is refused",
		chromedp.Click(chromedp.CSS(`#magazine-schedule input[value=now]`)),
		chromedp.Click(chromedp.CSS(`#magazine-schedule button`)),
		chromedp.WaitVisible(chromedp.CSS("#magazine-error")),
	)
	screenshot(t, ctx, "magazine-nobody")
	browse(t, ctx, "Tokyo instead",
		chromedp.SetValue(f("pref"), "13"),
		chromedp.Click(chromedp.CSS(`#magazine-form button.primary`)),
		chromedp.WaitVisible(chromedp.CSS("#magazine-matching")),
	)
	if got := text(t, ctx, "#magazine-matching"); !strings.Contains(got, "5 名") {
		t.Fatalf("matching: %q", got)
	}
	// The save's flash goes, so the one waited for is the test send's.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".admin-flash").remove(), true`)); err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, "a test send to the owner",
		chromedp.Click(chromedp.CSS(`#magazine-test button`)),
		chromedp.WaitVisible(chromedp.CSS(".admin-flash")),
	)
	if got := text(t, ctx, ".admin-flash"); !strings.Contains(got, "テストメール") {
		t.Fatalf("flash after the test send: %q", got)
	}
	browse(t, ctx, "send now",
		chromedp.Click(chromedp.CSS(`#magazine-schedule input[value=now]`)),
		chromedp.Click(chromedp.CSS(`#magazine-schedule button`)),
		chromedp.WaitVisible(chromedp.CSS("#magazine-stats")),
	)
	var id int64
	d.QueryRow(context.Background(), `SELECT id FROM magazines ORDER BY id DESC LIMIT 1`).Scan(&id)
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		var status string
		d.QueryRow(context.Background(), `SELECT status FROM magazines WHERE id = ?`, id).Scan(&status)
		if status == "sent" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the magazine was not sent (status %q):\n%s", status, logs)
		}
	}
	browse(t, ctx, "the statistics",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#stat-sent")),
	)
	if got := text(t, ctx, "#stat-sent"); got != "5" {
		t.Fatalf("sent %q", got)
	}
	screenshot(t, ctx, "magazine-sent")
	browse(t, ctx, "the list",
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/magazine"]`)),
		chromedp.WaitVisible(chromedp.CSS("#magazines")),
	)
	screenshot(t, ctx, "magazine-list")
	// The preview is a sandboxed document where no script may run.
	csp, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		fmt.Sprintf(`fetch(%q).then(r => r.headers.get("Content-Security-Policy"))`, base+adminPath+fmt.Sprintf("/magazine/%d/preview", id)),
		chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(csp, "sandbox;") || strings.Contains(csp, "script-src") {
		t.Fatalf("preview CSP %q, %v", csp, err)
	}
	// The preview on its own (headless screenshots leave out-of-process
	// frames blank).
	browse(t, ctx, "the preview",
		chromedp.Navigate(base+adminPath+fmt.Sprintf("/magazine/%d/preview", id)),
		chromedp.WaitVisible(chromedp.CSS("pre")),
	)
	if got := text(t, ctx, "body"); !strings.Contains(got, "あなたの合言葉") || !strings.Contains(got, "煎茶が20%オフ") {
		t.Fatalf("preview: %q", got)
	}
	screenshot(t, ctx, "magazine-preview")
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened: the preview ran the HTML's script", n)
	}

	// At the SMTP server: one mail per subscriber, and the test mail.
	var test int
	per := map[string]int{}
	var oneClick string
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		rec.mu.Lock()
		got := append([][]byte(nil), rec.got...)
		rec.mu.Unlock()
		test, per = 0, map[string]int{}
		for _, raw := range got {
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			to := m.Header.Get("To")
			if strings.Contains(to, "owner@example.jp") {
				// The owner also gets the shop's own notices.
				if subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); subj == "［テスト］冬のお茶セール" {
					test++
				}
				continue
			}
			per[to]++
			if strings.Contains(to, "member0@") {
				oneClick = strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
			}
		}
		if test == 1 && len(per) == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("at the server: %d test mails, magazine %v", test, per)
		}
	}
	for to, n := range per {
		if n != 1 {
			t.Errorf("%s got %d mails", to, n)
		}
	}

	// One click, as a mailbox provider makes it: no cookie, no token.
	res, err := http.Post(oneClick, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var newsletter bool
	d.QueryRow(context.Background(), `SELECT newsletter FROM customers WHERE email = 'member0@example.jp'`).Scan(&newsletter)
	if res.StatusCode != http.StatusOK || newsletter {
		t.Fatalf("one-click: %d, still subscribed %v", res.StatusCode, newsletter)
	}
	browse(t, ctx, "the unsubscribe page of a used link",
		chromedp.Navigate(oneClick),
		chromedp.WaitVisible(chromedp.CSS("#unsubscribe")),
	)
	if got := text(t, ctx, "#unsubscribe"); !strings.Contains(got, "すでに使われています") {
		t.Fatalf("used link page: %q", got)
	}
	screenshot(t, ctx, "magazine-unsubscribe-used")
}
