package checkout

import (
	"context"
	"errors"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// sizeFees charges method id by size: to Tokyo 60 → ¥900, 120 → ¥1,800;
// to Hokkaido 60 → ¥1,200 only.
func sizeFees(t testing.TB, d *db.DB, id int64) {
	t.Helper()
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		return delivery.SaveSizeFees(context.Background(), tx, id, true, map[int]map[int]shop.Yen{60: {13: 900, 1: 1200}, 120: {13: 1800}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func setSize(t testing.TB, d *db.DB, variantID int64, size any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), `UPDATE products SET parcel_size = ? WHERE id = (SELECT product_id FROM variants WHERE id = ?)`, size, variantID); err != nil {
		t.Fatal(err)
	}
}

// TestPlace_FeeByParcelSize: with the fixture's standard product a 120
// and the reduced one unsized, the one parcel to Tokyo is a 120 (its
// largest item) and costs ¥1,800; split over two addresses each parcel is
// priced on its own items (Tokyo gets the 120, Hokkaido only unsized
// items: a 60); a 120 to Hokkaido, where the table has no 120 column, is
// refused on the method with nothing written.
func TestPlace_FeeByParcelSize(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		sizeFees(t, d, 1)
		setSize(t, d, ids[0], 120)

		qt, err := svc.Quote(ctx, in)
		if err != nil || qt.DeliveryFee != 1800 {
			t.Fatalf("one parcel: fee %v %v", qt, err)
		}
		setSize(t, d, ids[0], nil)
		if qt, err = svc.Quote(ctx, in); err != nil || qt.DeliveryFee != 900 {
			t.Fatalf("unsized: fee %v %v", qt, err)
		}
		setSize(t, d, ids[0], 120)

		hokkaido := in.Ship
		hokkaido.Pref, hokkaido.PostalCode, hokkaido.City = 1, "0600001", "札幌市中央区"
		bad := *in
		bad.Ship = hokkaido
		_, err = svc.Place(ctx, &bad)
		var e *shop.Error
		if !errors.As(err, &e) || e.Fields["method"] != "checkout.bad_method" {
			t.Fatalf("120 to Hokkaido: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
			t.Fatalf("%d orders after a refusal", n)
		}

		in.PaymentMethod = order.BankTransfer
		in.Dests = []Dest{
			{Ship: in.Ship, MethodID: 1, Qty: map[int64]int{ids[0]: 2, ids[1]: 1}},
			{Ship: hokkaido, MethodID: 1, Qty: map[int64]int{ids[1]: 2}},
		}
		o, err := svc.Place(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := order.ByNumber(ctx, d, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if o.DeliveryFee != 3000 || len(got.Parcels) != 2 || got.Parcels[0].Fee != 1800 || got.Parcels[1].Fee != 1200 {
			t.Fatalf("split: fee %d, parcels %+v", o.DeliveryFee, got.Parcels)
		}
	})
}
