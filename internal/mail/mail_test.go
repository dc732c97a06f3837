package mail_test

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestEnqueueRefusesHeaderInjection(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	for name, m := range map[string]*mail.Message{
		"subject":   {To: "a@example.jp", Subject: "hi\r\nBcc: victim@example.com", Text: "x"},
		"recipient": {To: "a@example.jp\nBcc: x@example.com", Subject: "hi", Text: "x"},
		"header":    {To: "a@example.jp", Subject: "hi", Text: "x", Headers: map[string]string{"X-A": "1\r\nBcc: b@example.com"}},
		"garbage":   {To: "not an address", Subject: "hi", Text: "x"},
	} {
		err := d.Tx(ctx, func(tx *db.Tx) error { _, err := mail.Enqueue(ctx, tx, m); return err })
		if shop.KindOf(err) != shop.Invalid {
			t.Errorf("%s: Enqueue = %v, want Invalid", name, err)
		}
	}
	var n int
	d.QueryRow(ctx, "SELECT COUNT(*) FROM outbox").Scan(&n)
	if n != 0 {
		t.Fatalf("%d rows written for refused mail", n)
	}
}

func TestComposeAndEnqueue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m, err := mail.Compose(context.Background(), nil, "test", "en", "owner@example.jp", map[string]any{"ShopName": "Akinai Tea"})
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != "[Akinai Tea] Test mail" {
			t.Fatalf("subject %q", m.Subject)
		}
		var id int64
		err = d.Tx(ctx, func(tx *db.Tx) error { id, err = mail.Enqueue(ctx, tx, m); return err })
		if err != nil || id == 0 {
			t.Fatalf("Enqueue = %d, %v", id, err)
		}
		var status, subject string
		d.QueryRow(ctx, "SELECT status, subject FROM outbox WHERE id = ?", id).Scan(&status, &subject)
		if status != "pending" || subject != m.Subject {
			t.Fatalf("row = %s %q", status, subject)
		}
		if _, err := mail.Compose(context.Background(), nil, "test", "ja", "x@example.jp", map[string]any{}); err == nil {
			t.Fatal("Compose with a missing key succeeded")
		}
	})
}
