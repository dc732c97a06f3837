package orderedit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/shop"
)

// TestApply_Refee: "recompute the delivery fees" prices the parcel with
// the checkout's rule (delivery.ParcelSize of what is left in it,
// delivery.ParcelFee to the recipient as changed); without it the typed
// fee stays; a parcel the method cannot carry is refused on the fee
// field with nothing written.
func TestApply_Refee(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		pot := ordertest.Variant(t, d, "POT", "standard", 5)
		tea := ordertest.Variant(t, d, "TEA", "reduced", 10)
		ordertest.Variant(t, d, "BOX", "standard", 5)
		product := func(v int64) (id int64) {
			if err := d.QueryRow(ctx, `SELECT product_id FROM variants WHERE id = ?`, v).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		for sku, size := range map[string]int{"POT": 120, "BOX": 160} {
			if _, err := d.Exec(ctx, `UPDATE products SET parcel_size = ? WHERE id = (SELECT product_id FROM variants WHERE sku = ?)`, size, sku); err != nil {
				t.Fatal(err)
			}
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			return delivery.SaveSizeFees(ctx, tx, 1, true, map[int]map[int]shop.Yen{60: {13: 900, 1: 1200}, 120: {13: 1800}})
		})
		if err != nil {
			t.Fatal(err)
		}
		// A bank-transfer order not paid yet: 1 teapot, 3 teas, the old flat ¥930.
		o := &order.Order{IdempotencyKey: fmt.Sprintf("k-%d", time.Now().UnixNano()), Status: order.AwaitingPayment, Lang: "ja", Email: "taro@example.jp",
			Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: order.BankTransfer,
			Subtotal: 4340, DeliveryFee: 930, Total: 5270,
			Rates: []order.RateTotal{{Rate: 1000, Total: 2030, Tax: 184}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
			Lines: []order.Line{
				{VariantID: pot, ProductID: product(pot), NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 1},
				{VariantID: tea, ProductID: product(tea), NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
			},
			Parcels: []order.Parcel{{Ship: addr, Method: 1, Fee: 930, Items: []order.ParcelItem{{Line: 0, Qty: 1}, {Line: 1, Qty: 3}}}}}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return order.Create(ctx, tx, o) }); err != nil {
			t.Fatal(err)
		}
		lines, err := order.AdminLines(ctx, d, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		version := func() int {
			_, v, err := order.Version(ctx, d, o.Number)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		fee := func(want shop.Yen, what string) {
			t.Helper()
			got, err := order.ByNumber(ctx, d, o.Number)
			if err != nil {
				t.Fatal(err)
			}
			if got.DeliveryFee != want || got.Parcels[0].Fee != want {
				t.Fatalf("%s: order fee %d, parcel fee %d; want %d", what, got.DeliveryFee, got.Parcels[0].Fee, want)
			}
		}

		// Without the box ticked the typed fee is kept.
		c := change(o, version())
		c.DeliveryFee = 1000
		if _, err := apply(d, c); err != nil {
			t.Fatal(err)
		}
		fee(1000, "typed")

		// Ticked: the teapot makes it a 120 to Tokyo.
		c = change(o, version())
		c.Refee = true
		if _, err := apply(d, c); err != nil {
			t.Fatal(err)
		}
		fee(1800, "120 to Tokyo")

		// The teapot removed: teas only, a 60, to Hokkaido.
		c = change(o, version())
		c.Refee, c.Qty[lines[0].ID], c.Ship.Pref, c.Ship.PostalCode = true, 0, 1, "0600001"
		if _, err := apply(d, c); err != nil {
			t.Fatal(err)
		}
		fee(1200, "60 to Hokkaido")

		// A 160 box added: no column holds it; refused, nothing written.
		v, n := version(), count(t, d, `SELECT COUNT(*) FROM order_lines WHERE order_id = ?`, o.ID)
		c = change(o, v)
		c.Ship.Pref, c.Ship.PostalCode = 1, "0600001"
		c.Refee, c.Add = true, []AddLine{{SKU: "BOX", Qty: 1}}
		_, err = apply(d, c)
		if shop.FieldsOf(err)["delivery_fee"] != "sizes.no_fee" {
			t.Fatalf("160: %v", err)
		}
		if version() != v || count(t, d, `SELECT COUNT(*) FROM order_lines WHERE order_id = ?`, o.ID) != n {
			t.Fatal("written on a refusal")
		}
		fee(1200, "after the refusal")
	})
}
