package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
)

var statusSelectRE = regexp.MustCompile(`(?s)<select name="status" id="(?:customer-)?status-select"[^>]*>(.*?)</select>`)

// wantNoChangeFirst checks that a status select starts on "no change"
// and that nothing else is pre-selected.
func wantNoChangeFirst(t *testing.T, what, body, noChange string) {
	t.Helper()
	m := statusSelectRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no status select", what)
	}
	if !strings.HasPrefix(m[1], `<option value="" selected>`+noChange+`</option>`) || strings.Count(m[1], "selected") != 1 {
		t.Fatalf("%s: the select does not start on %q alone:\n%s", what, noChange, m[1])
	}
}

func outboxID(t *testing.T, d *db.DB, where string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRow(context.Background(), `SELECT id FROM outbox WHERE `+where+` ORDER BY id DESC LIMIT 1`, args...).Scan(&id); err != nil {
		t.Fatalf("outbox row %s %v: %v", where, args, err)
	}
	return id
}

func insertOutbox(t *testing.T, d *db.DB, event, status, to, subject, text, html string) int64 {
	t.Helper()
	var id int64
	err := d.QueryRow(context.Background(), `INSERT INTO outbox (event, lang, to_addr, subject, body_text, body_html, status, next_attempt_at, created_at)
		VALUES (?, 'ja', ?, ?, ?, ?, ?, ?, ?) RETURNING id`, event, to, subject, text, html, status, d.Now(), d.Now()).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// What a new owner tripped over, on the admin side: status controls that
// pre-selected a change, English words and year-1 dates on the order
// page, no way to see the shop's mail, account mails without the shop's
// name, raw message keys.
func TestOwner_AdminScreens(t *testing.T) {
	t.Parallel()
	cfg, c, d, o, pot := orderShop(t)
	ctx := context.Background()
	a := c.admin
	var tea int64
	if err := d.QueryRow(ctx, `SELECT id FROM variants WHERE sku = 'TEA-1'`).Scan(&tea); err != nil {
		t.Fatal(err)
	}
	split := placeSplitOrder(t, d, "ja", pot, tea)
	splitPage := a + "/orders/" + split.Number

	t.Run("order status starts on no change", func(t *testing.T) {
		r := c.get(a + "/orders/" + o.Number)
		r.want(t, "order", 200)
		wantNoChangeFirst(t, "order page", r.body, "— 変更しない —")
		c.post(a+"/orders/"+o.Number+"/status", url.Values{"version": {pageVersion(t, r.body)}, "status": {""}}).
			want(t, "no status chosen", 422, "変更先の状態を選んでください。")
		if got, _ := order.ByNumber(ctx, d, o.Number); got.Status != order.New {
			t.Fatalf("status %s after an empty change", got.Status)
		}
	})

	t.Run("history and parcels read in the page's language", func(t *testing.T) {
		r := c.get(splitPage)
		c.post(fmt.Sprintf("%s/parcels/%d/ship", splitPage, split.Parcels[1].ID), url.Values{"version": {pageVersion(t, r.body)},
			"parcel": {fmt.Sprint(split.Parcels[1].ID)}, "carrier": {"yupack"}, "tracking": {"1234-5678-9012"}}).want(t, "ship parcel 2", 303)
		r = c.get(splitPage)
		r.want(t, "after one parcel", 200, "発送（伝票番号 1234-5678-9012）", "未発送")
		for _, bad := range []string{"shipment 1234", "0001-01-01"} {
			if strings.Contains(r.body, bad) {
				t.Errorf("order page shows %q", bad)
			}
		}
		en := c.get(splitPage + "?lang=en")
		en.want(t, "in English", 200, "Shipped (tracking 1234-5678-9012)", "Not shipped yet")
		c.get(splitPage + "?lang=ja")
	})

	t.Run("the order page lists its mails", func(t *testing.T) {
		r := c.get(splitPage)
		r.want(t, "mails block", 200, `id="order-mails"`, "発送のお知らせ（お客様宛）", "商品を発送しました")
		if other := c.get(a + "/orders/" + o.Number); strings.Contains(other.body, "商品を発送しました") {
			t.Fatal("another order's page lists this order's mail")
		}
	})

	shipped := outboxID(t, d, `event = 'order_shipped' AND order_number = ?`, split.Number)

	t.Run("mail log: list and filters", func(t *testing.T) {
		r := c.get(a + "/mail/log?order=" + split.Number)
		r.want(t, "by order", 200, `id="maillog"`, "商品を発送しました", split.Email, "送信待ち", "発送のお知らせ（お客様宛）")
		if strings.Contains(r.body, ">hanako@example.jp<") {
			t.Fatal("the order filter lists another order's mail")
		}
		if r := c.get(a + "/mail/log?status=sent&order=" + split.Number); strings.Contains(r.body, "商品を発送しました") {
			t.Fatal("a waiting mail is listed as sent")
		}
		c.get(a+"/mail/log?status=bogus").want(t, "bad status", 422, "絞り込みの条件が正しくありません。")
		c.get(a+"/mail/log?customer=abc").want(t, "bad customer", 422, "会員IDは数字で入力してください。")
		c.get(a+"/mail/log?to=EXAMPLE.JP&lang=en").want(t, "recipient, English", 200, "Mail log", "Shipping notice (customer)")
		c.get(a + "/mail/log?lang=ja")
	})

	t.Run("mail log: the message as sent, as text", func(t *testing.T) {
		r := c.get(fmt.Sprintf("%s/mail/log/%d", a, shipped))
		r.want(t, "view", 200, `id="mail-headers"`, "Subject", "商品を発送しました（注文番号 "+split.Number+"）", "Content-Transfer-Encoding", "1234-5678-9012")
		hostile := insertOutbox(t, d, "order_message", "sent", "x@example.jp", "HTML", "本文",
			`<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">y</a>`)
		r = c.get(fmt.Sprintf("%s/mail/log/%d", a, hostile))
		r.want(t, "html part", 200, `id="mail-html"`, "&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
		for _, bad := range []string{`<script>alert`, `<img src=x`, `href="javascript:`} {
			if strings.Contains(r.body, bad) {
				t.Fatalf("the mail's HTML reached the page: %q", bad)
			}
		}
		c.get(a+"/mail/log/999999").want(t, "unknown mail", 404)
		c.get(a+"/mail/log/abc").want(t, "bad id", 404)
	})

	t.Run("mail log: secrets hidden, one-time links never resent", func(t *testing.T) {
		id := insertOutbox(t, d, "customer_reset", "sent", "k@example.jp", "【Akinai】パスワード再設定のご案内",
			"山田 様\n\n----\nあなたの合言葉: 白い茶碗\n----\nhttps://shop.example.jp/forgot/reset?token=SECRET123abc\n", "")
		r := c.get(fmt.Sprintf("%s/mail/log/%d", a, id))
		r.want(t, "reset mail", 200, "token=•••", "あなたの合言葉: •••", "一度だけ使えるリンクを含むメールは再送できません")
		if strings.Contains(r.body, "SECRET123abc") || strings.Contains(r.body, "白い茶碗") || strings.Contains(r.body, `id="resend"`) {
			t.Fatal("the log shows a live reset token or an anti-phishing code, or offers to resend")
		}
		var before int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&before)
		c.post(fmt.Sprintf("%s/mail/log/%d/resend", a, id), nil).want(t, "resend reset", 409)
		var after int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&after)
		if after != before {
			t.Fatal("a refused resend wrote a row")
		}
	})

	t.Run("mail log: resend", func(t *testing.T) {
		c.get(fmt.Sprintf("%s/mail/log/%d", a, shipped))
		c.post(fmt.Sprintf("%s/mail/log/%d/resend", a, shipped), nil).want(t, "resend while waiting", 409)
		if _, err := d.Exec(ctx, `UPDATE outbox SET status = 'sent', attempts = 1, sent_at = ? WHERE id = ?`, d.Now(), shipped); err != nil {
			t.Fatal(err)
		}
		c.get(fmt.Sprintf("%s/mail/log/%d", a, shipped)).want(t, "sent", 200, `id="resend"`)
		c.post(fmt.Sprintf("%s/mail/log/%d/resend", a, shipped), url.Values{"csrf": {"forged"}}).want(t, "forged", 403)
		r := c.post(fmt.Sprintf("%s/mail/log/%d/resend", a, shipped), nil)
		r.want(t, "resend", 303, "/mail/log/")
		copyID := outboxID(t, d, `resent_from = ?`, shipped)
		var subject, status, number string
		d.QueryRow(ctx, `SELECT subject, status, order_number FROM outbox WHERE id = ?`, copyID).Scan(&subject, &status, &number)
		if status != "pending" || number != split.Number || !strings.Contains(subject, "商品を発送しました") {
			t.Fatalf("copy: %q %s %s", subject, status, number)
		}
		if auditCount(t, d, "mail.resent", "owner@example.jp") != 1 {
			t.Fatal("resend not audited")
		}
		c.get(r.location).want(t, "copy", 200, "再送をキューに入れました。", "再送元", "送信待ちのメールは再送できません")
	})

	t.Run("customer: account mails carry the shop's name, status starts on no change, mails listed", func(t *testing.T) {
		registerActive(t, c.base, Config{DatabaseURL: cfg.DatabaseURL}, "kaori@example.jp")
		var id int64
		var subject string
		if err := d.QueryRow(ctx, `SELECT customer_id, subject FROM outbox WHERE event = 'customer_welcome' AND to_addr = 'kaori@example.jp'`).Scan(&id, &subject); err != nil {
			t.Fatal(err)
		}
		if id == 0 || !strings.HasPrefix(subject, "【Akinai】") {
			t.Fatalf("welcome mail: customer %d subject %q", id, subject)
		}
		var confirm string
		if err := d.QueryRow(ctx, `SELECT subject FROM outbox WHERE event = 'customer_confirm' AND customer_id = ?`, id).Scan(&confirm); err != nil || confirm != "【Akinai】会員登録のご確認" {
			t.Fatalf("confirmation mail of the account: %q %v", confirm, err)
		}
		r := c.get(fmt.Sprintf("%s/customers/%d", a, id))
		r.want(t, "customer", 200, `id="customer-mails"`, "会員登録完了（お客様宛）")
		wantNoChangeFirst(t, "customer page", r.body, "— 変更しない —")
		c.post(fmt.Sprintf("%s/customers/%d/status", a, id), url.Values{"status": {""}}).want(t, "no status chosen", 422)
		c.get(fmt.Sprintf("%s/mail/log?customer=%d", a, id)).want(t, "by customer", 200, "会員登録が完了しました")
	})

	t.Run("no raw message keys on admin pages", func(t *testing.T) {
		seen := crawlAdmin(t, c, []string{a + "/", a + "/mail/templates", a + "/mail/log", splitPage, fmt.Sprintf("%s/mail/log/%d", a, shipped)}, 150)
		if len(seen) < 20 {
			t.Fatalf("crawled only %d pages", len(seen))
		}
		c.get(a + "/?lang=en")
		for _, p := range seen {
			if r := c.get(p); r.status == 200 {
				noRawKeys(t, p+" (en)", r.body)
			}
		}
		c.get(a + "/?lang=ja")
	})
}

var adminLinkRE = regexp.MustCompile(`href="(/[^"#]+)"`)

// crawlAdmin visits admin pages from start by their links (GET only; no
// exports or sign-out), checks each for raw message keys and returns the
// pages it saw.
func crawlAdmin(t *testing.T, c *client, start []string, limit int) []string {
	t.Helper()
	queue, seen := append([]string(nil), start...), map[string]bool{}
	var out []string
	for len(queue) > 0 && len(out) < limit {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		r := c.get(p)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			continue
		}
		out = append(out, p)
		noRawKeys(t, p, r.body)
		for _, m := range adminLinkRE.FindAllStringSubmatch(r.body, -1) {
			u := strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.HasPrefix(u, c.admin+"/") || strings.Contains(u, "lang=") || strings.Contains(u, "/logout") ||
				strings.Contains(u, ".csv") || strings.Contains(u, ".pdf") || strings.Contains(u, "/sudo") {
				continue
			}
			queue = append(queue, u)
		}
	}
	return out
}
