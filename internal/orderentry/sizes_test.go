package orderentry

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/shop"
)

// TestTakeOrder_FeeByParcelSize: an order taken by phone is priced by
// the checkout's size rule: the teapot is a 100, so the parcel to Tokyo
// is a 100 and, with no 100 column, charged the 120 fee (¥1,800); the
// quote shown to the operator and the order agree.
func TestTakeOrder_FeeByParcelSize(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, dr, ids := fixture(t, d)
		err := d.Tx(ctx, func(tx *db.Tx) error {
			return delivery.SaveSizeFees(ctx, tx, 1, true, map[int]map[int]shop.Yen{60: {13: 900}, 120: {13: 1800}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE products SET parcel_size = 100 WHERE id = (SELECT product_id FROM variants WHERE id = ?)`, ids[0]); err != nil {
			t.Fatal(err)
		}
		qt, err := svc.Quote(ctx, dr)
		if err != nil || qt.DeliveryFee != 1800 {
			t.Fatalf("quote: %v %v", qt, err)
		}
		o, _, err := svc.Place(ctx, dr)
		if err != nil {
			t.Fatal(err)
		}
		if o.DeliveryFee != 1800 {
			t.Fatalf("order fee %d", o.DeliveryFee)
		}
	})
}
