package db_test

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// With statistics, SQLite counts "public and few left" from the partial
// index that holds only those products instead of reading every public
// product's row through the plain status index.
func TestOptimize_PlannerUsesThePartialIndex(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
			INSERT INTO products (slug, status, name_ja, stock_low, created_at, updated_at)
			SELECT 'p' || i, 'public', 'p', CASE WHEN i % 50 = 0 THEN 1 ELSE 0 END, ?, ? FROM n`, tx.Now(), tx.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	plan := func() string {
		var id, parent, notused int
		var detail string
		if err := d.QueryRow(ctx, `EXPLAIN QUERY PLAN SELECT COUNT(*) FROM products p WHERE p.status = ? AND p.stock_low > 0`, "public").
			Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		return detail
	}
	t.Logf("plan without statistics: %s", plan())
	if err := d.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if p := plan(); p != "SEARCH p USING INDEX products_status_stock_low (status=?)" && p != "SEARCH p USING COVERING INDEX products_status_stock_low (status=?)" {
		t.Fatalf("plan with statistics: %s", p)
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'products'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("no statistics: %d %v", n, err)
	}
}
