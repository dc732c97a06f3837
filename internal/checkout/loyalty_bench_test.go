package checkout

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/points"
)

// BenchmarkPlaceLoyalty compares, per engine and in one run, the
// checkout transaction of a guest without coupon or points ("plain"), a
// member's order without them ("member": rank read, points to earn
// booked) and a member's order that applies a coupon (checked, priced,
// its use counted by the conditional UPDATEs) and spends points
// (conditional UPDATE, ledger row, earn computed and booked). The three
// kinds take turns order by order, so a loaded machine slows all alike;
// each order is timed and the medians are reported with the ratios
// loyalty/plain and loyalty/member. docs/PERFORMANCE.md has the figures.
func BenchmarkPlaceLoyalty(b *testing.B) {
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.MustOpen(b, e)
			ctx := context.Background()
			svc, in, ids := fixture(b, d)
			_, _ = d.Exec(ctx, `UPDATE variants SET stock = NULL`)
			pointsOn(b, d, points.Settings{Rate: 1, GrantAt: points.GrantShipped, Min: 1, Max: 0})
			mustCoupon(b, d, coupon.Coupon{Code: "BENCH100", Kind: coupon.Fixed, Amount: 100})
			cid := mustCustomer(b, d, "bench@example.jp", 1_000_000_000)
			carts := cart.NewStore(d)
			inputs := make([]Input, 3*b.N)
			for i := range inputs {
				id, err := carts.Create(ctx, cart.NewToken())
				if err != nil {
					b.Fatal(err)
				}
				if err := carts.Add(ctx, id, ids[0], 1); err != nil {
					b.Fatal(err)
				}
				inputs[i] = *in
				inputs[i].CartID, inputs[i].Key = id, cart.NewToken()
				switch i % 3 {
				case 1:
					inputs[i].CustomerID = &cid
				case 2:
					inputs[i].CustomerID, inputs[i].Coupon, inputs[i].Points = &cid, "BENCH100", 50
				}
			}
			took := [3][]time.Duration{}
			b.ResetTimer()
			for i := range inputs {
				t0 := time.Now()
				if _, err := svc.Place(ctx, &inputs[i]); err != nil {
					b.Fatal(err)
				}
				took[i%3] = append(took[i%3], time.Since(t0))
			}
			b.StopTimer()
			med := func(ds []time.Duration) float64 {
				slices.Sort(ds)
				return float64(ds[len(ds)/2].Microseconds())
			}
			p, m, l := med(took[0]), med(took[1]), med(took[2])
			b.ReportMetric(p, "plain-µs")
			b.ReportMetric(m, "member-µs")
			b.ReportMetric(l, "loyalty-µs")
			b.ReportMetric(l/p, "ratio")
			b.ReportMetric(l/m, "ratio-member")
		})
	}
}
