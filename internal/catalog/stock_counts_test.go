package catalog_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestStockCounts checks that products' stock_in/low/out (migration 0480,
// kept by triggers) equal the counts summed from the variants after every
// kind of write a shop makes — the admin's save, a sale, a restock, a
// deactivation, a delete, a variant moved to another product — and that
// the admin list's stock filters and the dashboard read them.
func TestStockCounts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		s := catalog.NewStore(d)
		a, err := save(t, d, newTwoAxisProduct("counts-a")) // four variants, 10 each
		if err != nil {
			t.Fatal(err)
		}
		b, err := save(t, d, newTwoAxisProduct("counts-b"))
		if err != nil {
			t.Fatal(err)
		}
		check := func(step string, want map[int64][3]int) {
			t.Helper()
			for id, w := range want {
				var got, sum [3]int
				if err := d.QueryRow(ctx, `SELECT stock_in, stock_low, stock_out FROM products WHERE id = ?`, id).Scan(&got[0], &got[1], &got[2]); err != nil {
					t.Fatal(err)
				}
				if err := d.QueryRow(ctx, `SELECT
					COALESCE(SUM(CASE WHEN v.active AND (v.stock IS NULL OR v.stock > 5) THEN 1 ELSE 0 END), 0),
					COALESCE(SUM(CASE WHEN v.active AND v.stock > 0 AND v.stock <= 5 THEN 1 ELSE 0 END), 0),
					COALESCE(SUM(CASE WHEN v.active AND v.stock = 0 THEN 1 ELSE 0 END), 0)
					FROM variants v WHERE v.product_id = ?`, id).Scan(&sum[0], &sum[1], &sum[2]); err != nil {
					t.Fatal(err)
				}
				if got != w || got != sum {
					t.Errorf("%s: product %d counts in/low/out %v, want %v (summed from variants %v)", step, id, got, w, sum)
				}
			}
		}
		check("saved", map[int64][3]int{a: {4, 0, 0}, b: {4, 0, 0}})

		// The admin's save: stock 0, 4, 50 and 0.
		e, err := s.Edit(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		for i := range e.Variants {
			e.Variants[i].Stock = intp([]int{0, 4, 50, 0}[i])
		}
		if _, err := save(t, d, e); err != nil {
			t.Fatal(err)
		}
		check("saved again", map[int64][3]int{a: {1, 1, 2}, b: {4, 0, 0}})

		var va []int64
		rows, err := d.Query(ctx, `SELECT id FROM variants WHERE product_id = ? ORDER BY sort_order, id`, a)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			va = append(va, id)
		}
		rows.Close()
		exec := func(q string, args ...any) {
			t.Helper()
			if err := d.Tx(ctx, func(tx *db.Tx) error { _, err := tx.Exec(ctx, q, args...); return err }); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// The statements checkout, cancellation and refunds run.
		sell := `UPDATE variants SET stock = stock - ? WHERE id = ? AND (stock IS NULL OR stock >= ?)`
		restock := `UPDATE variants SET stock = stock + ? WHERE id = ? AND stock IS NOT NULL`
		exec(sell, 1, va[2], 1) // 50 → 49: the state does not change
		check("a sale within in-stock", map[int64][3]int{a: {1, 1, 2}})
		exec(sell, 46, va[2], 46) // 49 → 3
		check("a sale to few left", map[int64][3]int{a: {0, 2, 2}})
		exec(`UPDATE variants SET stock = NULL WHERE id = ?`, va[0])
		check("unlimited", map[int64][3]int{a: {1, 2, 1}})
		exec(restock, 2, va[3]) // 0 → 2
		check("restock", map[int64][3]int{a: {1, 3, 0}})
		exec(`UPDATE variants SET active = ? WHERE id = ?`, false, va[1])
		check("deactivated", map[int64][3]int{a: {1, 2, 0}})
		exec(`UPDATE variants SET product_id = ? WHERE id = ?`, b, va[2])
		check("moved", map[int64][3]int{a: {1, 1, 0}, b: {4, 1, 0}})
		exec(`DELETE FROM variants WHERE id = ?`, va[3])
		check("deleted", map[int64][3]int{a: {1, 0, 0}})
		exec(`UPDATE variants SET stock = 0 WHERE id = ?`, va[0])
		check("sold out", map[int64][3]int{a: {0, 0, 1}})

		for _, tc := range []struct {
			stock string
			want  []int64
		}{{"low", []int64{b}}, {"out", []int64{a}}, {"in", []int64{b}}} {
			got, total, err := s.AdminList(ctx, catalog.AdminQuery{Stock: tc.stock, Status: catalog.StatusPublic})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) || total != len(tc.want) {
				t.Errorf("filter %s: %v (total %d), want %v", tc.stock, ids, total, tc.want)
			}
		}

		exec(`DELETE FROM products WHERE id = ?`, b) // cascades to its variants
		var left int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM products WHERE id = ?`, b).Scan(&left)
		if left != 0 {
			t.Errorf("product %d still there", b)
		}
	})
}
