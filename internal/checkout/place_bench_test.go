package checkout

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// BenchmarkPlace measures the checkout transaction (re-quote, conditional
// stock UPDATE, order + lines, two outbox mails, cart emptied) per engine.
// Filling the carts is outside the timer.
func BenchmarkPlace(b *testing.B) {
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.MustOpen(b, e)
			ctx := context.Background()
			svc, in, ids := fixture(b, d)
			_, _ = d.Exec(ctx, `UPDATE variants SET stock = NULL`)
			carts := cart.NewStore(d)
			inputs := make([]Input, b.N)
			for i := range inputs {
				cid, err := carts.Create(ctx, cart.NewToken())
				if err != nil {
					b.Fatal(err)
				}
				if err := carts.Add(ctx, cid, ids[0], 1); err != nil {
					b.Fatal(err)
				}
				inputs[i] = *in
				inputs[i].CartID, inputs[i].Key = cid, cart.NewToken()
			}
			b.ResetTimer()
			for i := range inputs {
				if _, err := svc.Place(ctx, &inputs[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
		})
	}
}
