package checkout

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
)

// The sale price (¥800 excl. instead of ¥1,000) is charged inside the
// sale period only, with tax per rate as for any price; a product past
// its publishing end cannot be ordered.
func TestPlace_SalePeriod(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		now := d.Now()
		from, until := now.Add(-time.Hour), now.Add(time.Hour)
		if _, err := d.Exec(ctx, `UPDATE variants SET sale_price = 800 WHERE id = ?`, ids[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE products SET sale_from = ?, sale_until = ? WHERE id = (SELECT product_id FROM variants WHERE id = ?)`, from, until, ids[0]); err != nil {
			t.Fatal(err)
		}
		q, err := svc.Quote(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		// 2 × 880 + 3 × 540 = 3,380 during the sale.
		if q.Subtotal != 3380 {
			t.Fatalf("subtotal during the sale %d, want 3380", q.Subtotal)
		}
		d.Clock = func() time.Time { return until.Add(time.Minute) }
		if q, err = svc.Quote(ctx, in); err != nil || q.Subtotal != 3820 {
			t.Fatalf("subtotal after the sale %v, %v; want 3820", q, err)
		}
		d.Clock = func() time.Time { return from.Add(time.Minute) }
		o, err := svc.Place(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		// 10%: 1,760 + 930 + 330 = 3,020 → tax 274; 8% unchanged.
		want := []order.RateTotal{{Rate: 1000, Total: 3020, Tax: 274}, {Rate: 800, Reduced: true, Total: 1620, Tax: 120}}
		if o.Subtotal != 3380 || len(o.Rates) != 2 || o.Rates[0] != want[0] || o.Rates[1] != want[1] {
			t.Fatalf("order %+v rates %+v", o, o.Rates)
		}

		// Past its publishing end a product in a cart cannot be ordered.
		if _, err := d.Exec(ctx, `UPDATE products SET publish_until = ? WHERE id = (SELECT product_id FROM variants WHERE id = ?)`, until, ids[1]); err != nil {
			t.Fatal(err)
		}
		if err := cart.NewStore(d).Add(ctx, in.CartID, ids[1], 1); err != nil {
			t.Fatal(err)
		}
		d.Clock = func() time.Time { return until.Add(time.Minute) }
		in.Key = cart.NewToken()
		if _, err := svc.Place(ctx, in); err == nil {
			t.Fatal("ordered a product past its publishing end")
		}
	})
}
