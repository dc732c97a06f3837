package order

import (
	"context"
	"fmt"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

// Admin quantity edits of a split order stay consistent with its parcels:
// refused per line when ambiguous, carried into the parcel when not.
func TestApplyEdit_Parcels(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		pot, tea, cup := mustVariant(t, d, "POT", "standard", 10), mustVariant(t, d, "TEA", "reduced", 10), mustVariant(t, d, "CUP", "standard", 10)
		o := mustSplitOrder(t, d, Paid, pot, tea, cup)
		lines, err := AdminLines(ctx, d, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		potID, teaID, cupID := lines[0].ID, lines[1].ID, lines[2].ID
		edit := func(qty map[int64]int, fee shop.Yen) (*Order, error) {
			var got *Order
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				got, err = ApplyEdit(ctx, tx, Edit{Number: o.Number, Version: mustVersion(t, d, o.Number), Qty: qty, Ship: o.Ship, DeliveryFee: fee, Rounding: shop.Floor})
				return err
			})
			return got, err
		}
		refused := func(t *testing.T, err error, field, key string) {
			t.Helper()
			e := wantKey(t, err, shop.Invalid, "order.admin.parcels_inconsistent")
			if e.Fields[field] != key {
				t.Fatalf("fields %v, want %s=%s", e.Fields, field, key)
			}
			if stockOf(t, d, pot) != 8 || stockOf(t, d, tea) != 7 || stockOf(t, d, cup) != 9 {
				t.Fatal("a refused edit changed the stock")
			}
		}

		t.Run("line split over two parcels", func(t *testing.T) {
			_, err := edit(map[int64]int{potID: 3}, 3310)
			refused(t, err, fmt.Sprintf("qty_%d", potID), "order.admin.qty_split")
		})
		t.Run("removing the only line of a parcel", func(t *testing.T) {
			_, err := edit(map[int64]int{cupID: 0}, 3310)
			refused(t, err, fmt.Sprintf("qty_%d", cupID), "order.admin.qty_parcel_empty")
		})
		t.Run("delivery fee of a split order", func(t *testing.T) {
			_, err := edit(map[int64]int{}, 930)
			refused(t, err, "delivery_fee", "order.admin.fee_split")
		})
		t.Run("line in one parcel follows the edit", func(t *testing.T) {
			got, err := edit(map[int64]int{teaID: 2, potID: 2}, 3310)
			if err != nil {
				t.Fatal(err)
			}
			if it := got.Parcels[0].Items; len(it) != 2 || got.Lines[it[1].Line].SKU != "TEA" || it[1].Qty != 2 || stockOf(t, d, tea) != 8 {
				t.Fatalf("parcel 1 items %+v", it)
			}
		})
		t.Run("line in a shipped parcel", func(t *testing.T) {
			if err := d.Tx(ctx, func(tx *db.Tx) error {
				_, _, err := ShipOneParcel(ctx, tx, o.Number, mustVersion(t, d, o.Number), o.Parcels[0].ID, "yamato", "1000-2000")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			_, err := edit(map[int64]int{teaID: 1}, 3310)
			e := wantKey(t, err, shop.Invalid, "order.admin.parcels_inconsistent")
			if e.Fields[fmt.Sprintf("qty_%d", teaID)] != "order.admin.qty_parcel_shipped" || stockOf(t, d, tea) != 8 {
				t.Fatalf("fields %v", e.Fields)
			}
		})
	})
}

// A one-parcel order is unambiguous: the parcel takes the new quantities,
// the recipient and the fee.
func TestApplyEdit_OneParcel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		pot, tea := mustVariant(t, d, "POT", "standard", 10), mustVariant(t, d, "TEA", "reduced", 10)
		addr := Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
		o := &Order{IdempotencyKey: "one", Status: New, Lang: "ja", Email: "taro@example.jp", Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: COD,
			Subtotal: 5440, DeliveryFee: 930, Total: 6370,
			Rates: []RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
			Lines: []Line{{VariantID: pot, NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 2},
				{VariantID: tea, NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3}},
			Parcels: []Parcel{{Ship: addr, Method: 1, Fee: 930, Items: []ParcelItem{{Line: 0, Qty: 2}, {Line: 1, Qty: 3}}}}}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return Create(ctx, tx, o) }); err != nil {
			t.Fatal(err)
		}
		lines, _ := AdminLines(ctx, d, o.ID)
		moved := addr
		moved.Address1 = "2-2"
		var got *Order
		err := d.Tx(ctx, func(tx *db.Tx) error {
			var err error
			got, err = ApplyEdit(ctx, tx, Edit{Number: o.Number, Version: mustVersion(t, d, o.Number),
				Qty: map[int64]int{lines[0].ID: 0, lines[1].ID: 5}, Ship: moved, DeliveryFee: 1100, Rounding: shop.Floor})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		p := got.Parcels[0]
		if len(got.Lines) != 1 || len(p.Items) != 1 || p.Items[0].Qty != 5 || got.Lines[p.Items[0].Line].SKU != "TEA" ||
			p.Fee != 1100 || p.Ship.Address1 != "2-2" || got.DeliveryFee != 1100 {
			t.Fatalf("order %+v parcel %+v", got.Lines, p)
		}
	})
}
