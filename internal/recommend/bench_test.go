package recommend_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/recommend"
)

// BenchmarkAlsoBoughtRefresh times a first refresh over 10,000 orders of
// 1–4 of 300 products on SQLite (every product's list computed), next to
// the reference: one query that counts every pair of products bought
// together, the least any computation from the orders has to read. The
// figures are in docs/PERFORMANCE.md.
func BenchmarkAlsoBoughtRefresh(b *testing.B) {
	d := dbtest.MustOpen(b, dbtest.SQLite)
	type pv struct{ p, v int64 }
	var ps []pv
	for i := range 300 {
		p, v := ordertest.Product(b, d, fmt.Sprintf("p%03d", i))
		ps = append(ps, pv{p, v})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		lines := map[int64]int64{}
		for range 1 + r.IntN(4) {
			// Skewed: low-numbered products sell more.
			x := ps[int(float64(len(ps))*r.Float64()*r.Float64())]
			lines[x.p] = x.v
		}
		ordertest.Place(b, d, 0, order.Paid, lines)
	}
	s := &recommend.Store{DB: d}
	b.Run("reference-pairs-query", func(b *testing.B) {
		for b.Loop() {
			var n int
			if err := d.QueryRow(b.Context(), `SELECT COUNT(*) FROM (SELECT l1.product_id, l2.product_id FROM order_lines l1
				JOIN order_lines l2 ON l2.order_id = l1.order_id AND l2.product_id <> l1.product_id GROUP BY l1.product_id, l2.product_id) x`).Scan(&n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("refresh-all", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.Exec(b.Context(), `DELETE FROM also_bought`); err != nil {
				b.Fatal(err)
			}
			if _, err := d.Exec(b.Context(), `UPDATE also_bought_state SET watermark = '1970-01-01 00:00:00+00:00', lock_until = '1970-01-01 00:00:00+00:00' WHERE id = 1`); err != nil {
				b.Fatal(err)
			}
			changed, err := s.Refresh(b.Context())
			if err != nil || len(changed) < 250 {
				b.Fatalf("refresh: %d products changed, %v", len(changed), err)
			}
		}
	})
}
