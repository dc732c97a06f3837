package db_test

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// Migration 0320 relaxes the CHECK constraints that listed the three
// original payment codes, with a line per engine (forDialect): afterwards
// both engines take an operator's own code and still refuse an empty one.
func TestMigrate_PaymentCodesRelaxed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO payment_methods (code, name_ja, name_en, kind) VALUES ('postal', '郵便振替', 'Postal transfer', 'manual')`)
			return err
		})
		if err != nil {
			t.Fatalf("an operator's code: %v", err)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO payment_methods (code, name_ja, name_en) VALUES ('', 'x', 'x')`)
			return err
		})
		if err == nil {
			t.Fatal("an empty code was accepted")
		}
		var kind string
		if err := d.QueryRow(ctx, `SELECT kind FROM payment_methods WHERE code = 'konbini'`).Scan(&kind); err != nil || kind != "konbini" {
			t.Fatalf("konbini %q %v", kind, err)
		}
		var def string
		if d.Dialect == db.SQLite {
			if err := d.QueryRow(ctx, `SELECT sql FROM sqlite_master WHERE name = 'orders'`).Scan(&def); err != nil {
				t.Fatal(err)
			}
			if want := `CHECK (payment_method <> '')`; !contains(def, want) {
				t.Fatalf("orders definition lacks %s", want)
			}
		}
	})
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
