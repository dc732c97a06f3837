package checkout

import (
	"context"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/order"
)

// TestPlace_UsesEditedTemplate: a template the operator saved in the
// admin is the one the order confirmation is composed from.
func TestPlace_UsesEditedTemplate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)
		src := "Subject: 【編集済み】ご注文 {{.O.Number}}\n\n{{.O.Buyer.FamilyName}} 様\n店長が書き直した本文です。\n"
		ts := &mail.Templates{DB: d}
		if _, err := ts.Save(ctx, "order_confirmation", "ja", src, &View{O: &order.Order{Number: "S-1"}}, "admin:1", 0); err != nil {
			t.Fatal(err)
		}
		o, err := svc.Place(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var subject, body string
		if err := d.QueryRow(ctx, `SELECT subject, body_text FROM outbox WHERE event = 'order_confirmation'`).Scan(&subject, &body); err != nil {
			t.Fatal(err)
		}
		if subject != "【編集済み】ご注文 "+o.Number || !strings.Contains(body, "山田 様\n店長が書き直した本文です。") {
			t.Fatalf("confirmation not from the edited template:\n%s\n%s", subject, body)
		}
		// The shop's notice was not edited: still the default.
		var notice string
		d.QueryRow(ctx, `SELECT subject FROM outbox WHERE event = 'order_shop_notice'`).Scan(&notice)
		if strings.Contains(notice, "編集済み") || notice == "" {
			t.Fatalf("notice subject %q", notice)
		}
	})
}
