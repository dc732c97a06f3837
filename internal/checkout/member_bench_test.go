package checkout

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// BenchmarkQuote_Member compares a quote for a guest with one for a
// member of a 5% rank (one more indexed lookup and the per-rate
// discount), on SQLite; the ratio goes to docs/PERFORMANCE.md.
func BenchmarkQuote_Member(b *testing.B) {
	d := dbtest.MustOpen(b, dbtest.SQLite)
	ctx := context.Background()
	svc, in, _ := fixture(b, d)
	for _, who := range []string{"guest", "member"} {
		b.Run(who, func(b *testing.B) {
			q := *in
			if who == "member" {
				id := memberOf(b, d, "bench@example.jp", 5)
				q.CustomerID = &id
			}
			for b.Loop() {
				if _, err := svc.Quote(ctx, &q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
