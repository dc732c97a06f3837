package demo_test

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/demo"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/settings"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func counts(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tc := range []struct{ name, q string }{
		{"products", "SELECT COUNT(*) FROM products"},
		{"variants", "SELECT COUNT(*) FROM variants"},
		{"categories", "SELECT COUNT(*) FROM categories"},
		{"images", "SELECT COUNT(*) FROM product_images"},
		{"blobs", "SELECT COUNT(*) FROM image_blobs"},
		{"axes", "SELECT COUNT(*) FROM variant_axes"},
		{"pages", "SELECT COUNT(*) FROM pages"},
		{"tax", "SELECT COUNT(*) FROM tax_rules"},
		{"two-axis products", "SELECT COUNT(*) FROM variant_axes WHERE position = 2"},
		{"one-axis products", "SELECT COUNT(*) FROM variant_axes a WHERE position = 1 AND NOT EXISTS (SELECT 1 FROM variant_axes b WHERE b.product_id = a.product_id AND b.position = 2)"},
		{"sold-out variants", "SELECT COUNT(*) FROM variants WHERE stock = 0"},
		{"limited variants", "SELECT COUNT(*) FROM variants WHERE sale_limit IS NOT NULL"},
		{"reduced products", "SELECT COUNT(*) FROM products WHERE tax_class = 'reduced'"},
		{"sold-out products", "SELECT COUNT(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND (v.stock IS NULL OR v.stock > 0))"},
	} {
		var n int
		if err := d.QueryRow(context.Background(), tc.q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		out[tc.name] = n
	}
	return out
}

func TestLoadTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		if err := demo.Load(ctx, d, demo.Options{}); err != nil {
			t.Fatal(err)
		}
		first := counts(t, d)
		if err := demo.Load(ctx, d, demo.Options{}); err != nil {
			t.Fatal(err)
		}
		second := counts(t, d)
		for k, v := range first {
			if second[k] != v {
				t.Errorf("%s: %d after the first load, %d after the second", k, v, second[k])
			}
		}
		for k, min := range map[string]int{"products": 60, "two-axis products": 5, "one-axis products": 5, "sold-out variants": 1,
			"sold-out products": 1, "limited variants": 1, "reduced products": 10, "pages": 3, "tax": 2, "categories": 10} {
			if first[k] < min {
				t.Errorf("%s = %d, want at least %d", k, first[k], min)
			}
		}
		tree, err := catalog.NewStore(d).Tree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tree.Depth() < 3 {
			t.Errorf("category depth %d, want 3", tree.Depth())
		}
		sh, err := settings.New(d).Shop(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Name == "" || sh.InvoiceNumber != demo.InvoiceNumber() {
			t.Errorf("shop settings %+v", sh)
		}
	})
}

func TestLarge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large catalogue")
	}
	d := dbtest.MustOpen(t, dbtest.SQLite)
	if err := demo.Load(t.Context(), d, demo.Options{Products: 1200}); err != nil {
		t.Fatal(err)
	}
	if n := counts(t, d)["products"]; n != 1200 {
		t.Fatalf("%d products, want 1200", n)
	}
}

func TestInvoiceNumber(t *testing.T) {
	t.Parallel()
	n := demo.InvoiceNumber()
	if got, err := invoice.RegistrationNumber(n); err != nil || got != n {
		t.Fatalf("InvoiceNumber %q: %q, %v", n, got, err)
	}
}
