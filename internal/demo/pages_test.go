package demo_test

import (
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/demo"
	"github.com/akinai/akinai/internal/settings"
)

// A demo made by an earlier version listed a convenience-store payment on
// its legal notice and had neither terms nor a bank account: loading the
// demo again fixes an unedited page and adds what was missing, and leaves
// a page the operator edited alone.
func TestLoad_UpgradesOldDemoPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		now := d.Now()
		if _, err := d.Exec(ctx, `INSERT INTO pages (slug, title_ja, title_en, body_ja, body_en, published, sort_order, created_at, updated_at)
			VALUES ('tokushoho', '特定商取引法に基づく表記', 'Legal notice', '| お支払い方法 | クレジットカード、コンビニ払い、銀行振込、代金引換 |', 'x', TRUE, 1, ?, ?),
			       ('privacy', 'プライバシーポリシー', 'Privacy', '当店独自の方針 コンビニ払い', 'x', TRUE, 2, ?, ?)`, now, now, now, now); err != nil {
			t.Fatal(err)
		}
		if err := demo.Load(ctx, d, demo.Options{Products: 1}); err != nil {
			t.Fatal(err)
		}
		var legal, privacy string
		d.QueryRow(ctx, `SELECT body_ja FROM pages WHERE slug = 'tokushoho'`).Scan(&legal)
		d.QueryRow(ctx, `SELECT body_ja FROM pages WHERE slug = 'privacy'`).Scan(&privacy)
		if strings.Contains(legal, "コンビニ") || !strings.Contains(legal, "{payment_methods}") {
			t.Fatalf("legal notice not upgraded:\n%s", legal)
		}
		if privacy != "当店独自の方針 コンビニ払い" {
			t.Fatalf("another page changed: %q", privacy)
		}
		var terms int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM pages WHERE slug = 'terms' AND published = ?`, true).Scan(&terms)
		bank, err := settings.New(d).Get(ctx, settings.BankAccount)
		if terms != 1 || err != nil || !strings.Contains(bank, "普通") {
			t.Fatalf("terms %d, bank account %q %v", terms, bank, err)
		}
	})
}
