package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
)

// With the operator's BCC address set, an order mail is queued twice
// (the customer's and the shop's copy, in the same transaction) while a
// password reset and a marketing mail are not copied; the footer ends
// customer mails in their language and never an admin mail.
func TestShopCopyAndFooter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		set := func(k, v string) {
			if _, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, k, v, d.Now()); err != nil {
				t.Fatal(err)
			}
		}
		set("mail.bcc", "copies@example.jp")
		set("mail.footer_ja", "年末年始は12月29日〜1月3日までお休みです。")
		set("mail.footer_en", "Closed 29 Dec – 3 Jan.")

		enqueue := func(m *mail.Message) {
			t.Helper()
			if err := d.Tx(ctx, func(tx *db.Tx) error { _, err := mail.Enqueue(ctx, tx, m); return err }); err != nil {
				t.Fatal(err)
			}
		}
		enqueue(&mail.Message{Event: "order_shipped", To: "a@example.jp", Subject: "発送", Text: "本文", OrderNumber: "20261202-0001", CustomerID: 7})
		enqueue(&mail.Message{Event: "customer_reset", To: "a@example.jp", Subject: "再設定", Text: "?token=x"})
		enqueue(&mail.Message{Event: "order_confirmation", To: "b@example.jp", Subject: "広告", Text: "本文", Marketing: true, Headers: map[string]string{"List-Unsubscribe": "<https://shop.example.jp/u/x>"}})
		var n, copyCustomer int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE to_addr = 'copies@example.jp'`).Scan(&n)
		d.QueryRow(ctx, `SELECT customer_id FROM outbox WHERE to_addr = 'copies@example.jp'`).Scan(&copyCustomer)
		if n != 1 || copyCustomer != 0 {
			t.Fatalf("%d shop copies (customer %d), want 1 order copy not filed under the customer", n, copyCustomer)
		}

		data := map[string]any{"ShopName": "茶舗", "ShopEmail": "", "ShopPhone": ""}
		m, err := mail.Compose(ctx, d, "test", "ja", "a@example.jp", data)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(m.Text, "年末年始は12月29日〜1月3日までお休みです。\n") {
			t.Errorf("ja footer missing:\n%s", m.Text)
		}
		m, err = mail.Compose(ctx, d, "test", "en", "a@example.jp", data)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(m.Text, "Closed 29 Dec – 3 Jan.\n") {
			t.Errorf("en footer missing:\n%s", m.Text)
		}
		m, err = mail.Compose(ctx, d, "admin_backup_failed", "ja", "a@example.jp", map[string]any{"AntiPhishing": "", "At": "", "Error": "disk full", "Name": "", "Where": ""})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(m.Text, "年末年始") {
			t.Error("an admin mail got the customer footer")
		}
	})
}
