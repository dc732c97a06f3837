package mail_test

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
)

func TestLog_FiltersAndResend(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cust := int64(42)
		enqueue := func(m *mail.Message) int64 {
			t.Helper()
			var id int64
			if err := d.Tx(ctx, func(tx *db.Tx) (err error) { id, err = mail.Enqueue(ctx, tx, m); return err }); err != nil {
				t.Fatal(err)
			}
			return id
		}
		shipped := enqueue((&mail.Message{Event: "order_shipped", To: "a@example.jp", Subject: "発送", Text: "本文"}).About("20261202-0001", &cust))
		guest := enqueue((&mail.Message{Event: "order_shipped", To: "b@example.jp", Subject: "発送", Text: "本文"}).About("20261202-0002", nil))
		reset := enqueue((&mail.Message{Event: "customer_reset", To: "a@example.jp", Subject: "再設定", Text: "?token=x"}).About("", &cust))

		for name, c := range map[string]struct {
			f    mail.LogFilter
			want []int64
		}{
			"all":             {mail.LogFilter{}, []int64{reset, guest, shipped}},
			"order":           {mail.LogFilter{Order: "20261202-0002"}, []int64{guest}},
			"customer":        {mail.LogFilter{Customer: cust}, []int64{reset, shipped}},
			"recipient":       {mail.LogFilter{To: "B@EXAMPLE"}, []int64{guest}},
			"like is literal": {mail.LogFilter{To: "%"}, nil},
			"status":          {mail.LogFilter{Status: mail.StatusSent}, nil},
		} {
			list, total, err := mail.Log(ctx, d, c.f, 10, 0)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var got []int64
			for _, e := range list {
				got = append(got, e.ID)
			}
			if len(got) != len(c.want) || total != len(c.want) {
				t.Fatalf("%s: %v (total %d), want %v", name, got, total, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("%s: %v, want %v", name, got, c.want)
				}
			}
		}
		if _, _, err := mail.Log(ctx, d, mail.LogFilter{Status: "bogus"}, 10, 0); shop.KindOf(err) != shop.Invalid {
			t.Fatalf("bad status: %v", err)
		}

		resend := func(id int64) (int64, error) {
			var n int64
			err := d.Tx(ctx, func(tx *db.Tx) (err error) { n, err = mail.Resend(ctx, tx, id); return err })
			return n, err
		}
		if _, err := resend(shipped); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("resend of a waiting mail: %v", err)
		}
		if _, err := d.Exec(ctx, `UPDATE outbox SET status = 'dead', attempts = 8, last_error = '550 no such user' WHERE id IN (?, ?)`, shipped, reset); err != nil {
			t.Fatal(err)
		}
		if _, err := resend(reset); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("resend of a one-time link: %v", err)
		}
		copyID, err := resend(shipped)
		if err != nil {
			t.Fatal(err)
		}
		e, m, err := mail.Logged(ctx, d, copyID)
		if err != nil {
			t.Fatal(err)
		}
		if e.ResentFrom != shipped || e.Status != mail.StatusPending || e.Attempts != 0 || e.OrderNumber != "20261202-0001" || e.CustomerID != cust || m.Text != "本文" {
			t.Fatalf("copy %+v %+v", e, m)
		}
		if _, _, err := mail.Logged(ctx, d, 999999); shop.KindOf(err) != shop.NotFound {
			t.Fatalf("unknown row: %v", err)
		}
	})
}
