package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// The operator sets a BCC address and a footer on the mail settings
// screen: a malformed address stores nothing; afterwards an order message
// reaches the customer with the footer and the shop's copy; the change is
// audited.
func TestAdminMailSettings(t *testing.T) {
	t.Parallel()
	_, c, d, o, _ := orderShop(t)
	ctx := context.Background()
	a := c.admin

	r := c.get(a + "/mail/settings")
	r.want(t, "screen", 200, `id="mail-settings-form"`, "受注メールの控え", "署名・フッター")
	c.post(a+"/mail/settings", url.Values{"bcc": {"店舗@例え.jp"}, "footer_ja": {"x"}}).want(t, "bad bcc", 422, "半角英数字")
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM settings WHERE key IN ('mail.bcc', 'mail.footer_ja')`).Scan(&n)
	if n != 0 {
		t.Fatalf("a refused form stored %d settings", n)
	}
	c.post(a+"/mail/settings", url.Values{"bcc": {"copies@example.jp"}, "footer_ja": {"年末年始は休業します。"}, "footer_en": {"Closed at new year."}}).want(t, "save", 303, "/mail/settings")
	c.get(a+"/mail/settings").want(t, "saved", 200, "保存しました", "copies@example.jp", "年末年始は休業します。")

	c.get(a + "/orders/" + o.Number)
	c.post(a+"/orders/"+o.Number+"/message", url.Values{"subject": {"お届け日について"}, "body": {"明日発送予定です。"}}).want(t, "message", 303)
	var body string
	d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'order_message' AND to_addr = ?`, o.Email).Scan(&body)
	if !strings.Contains(body, "年末年始は休業します。") {
		t.Errorf("customer mail lacks the footer:\n%s", body)
	}
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'order_message' AND to_addr = 'copies@example.jp' AND body_text LIKE ?`, "%明日発送予定です。%").Scan(&n)
	if n != 1 {
		t.Errorf("%d shop copies", n)
	}
	c.get(a+"/audit?action=mail.settings").want(t, "audited", 200, "mail.settings", "copies@example.jp")
	if body := c.get(a + "/mail/settings?lang=en").body; strings.Contains(body, ">mailsettings.") {
		t.Error("raw key in English")
	}
}
