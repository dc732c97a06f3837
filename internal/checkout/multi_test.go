package checkout

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// TestPlace_MultipleShipping splits the fixture's cart (2 × standard,
// 3 × reduced) over Tokyo by Yamato and Hokkaido by Yu-Pack.
func TestPlace_MultipleShipping(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		hokkaido := order.Address{FamilyName: "佐藤", GivenName: "一郎", FamilyKana: "サトウ", GivenKana: "イチロウ", Phone: "0111234567",
			PostalCode: "0600001", Pref: 1, City: "札幌市中央区", Address1: "北1条西"}
		in.PaymentMethod = order.BankTransfer
		in.Dests = []Dest{
			{Ship: in.Ship, MethodID: 1, Slot: "am", Qty: map[int64]int{ids[0]: 1, ids[1]: 3}},
			{Ship: hokkaido, MethodID: 2, Slot: "12_14", Qty: map[int64]int{ids[0]: 1}},
		}

		// Errors first: nothing is written.
		bad := *in
		bad.Dests = []Dest{in.Dests[0], {Ship: hokkaido, MethodID: 1, Slot: "12_14", Qty: map[int64]int{ids[0]: 2}}}
		_, err := svc.Place(ctx, &bad)
		var e *shop.Error
		if !errors.As(err, &e) || e.Fields["split"] != "checkout.split_mismatch" || e.Fields["d2_slot"] != "checkout.bad_slot" {
			t.Fatalf("mismatch: %v", err)
		}
		bad.Dests = []Dest{in.Dests[0], in.Dests[1], {Ship: hokkaido, MethodID: 2, Qty: map[int64]int{}}}
		bad.PaymentMethod = order.COD
		_, err = svc.Place(ctx, &bad)
		if !errors.As(err, &e) || e.Fields["d3_items"] != "checkout.dest_empty" || e.Fields["payment"] != "checkout.cod_multi" {
			t.Fatalf("empty destination, COD: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 || stockOf(t, d, ids[0]) != 5 {
			t.Fatalf("%d orders, stock %d after refusals", n, stockOf(t, d, ids[0]))
		}

		o, err := svc.Place(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		// 3,820 goods + Yamato Tokyo 930 + Yu-Pack Hokkaido 1,450.
		if o.DeliveryFee != 2380 || o.Total != 6200 || o.CODFee != 0 {
			t.Fatalf("totals: fee %d total %d", o.DeliveryFee, o.Total)
		}
		// 10%: 2,200 + 2,380 = 4,580 → 416; 8%: 1,620 → 120.
		if len(o.Rates) != 2 || o.Rates[0].Tax != 416 || o.Rates[1].Tax != 120 {
			t.Fatalf("rates %+v", o.Rates)
		}
		got, err := order.ByNumber(ctx, d, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Parcels) != 2 {
			t.Fatalf("%d shipments", len(got.Parcels))
		}
		s1, s2 := got.Parcels[0], got.Parcels[1]
		if s1.Seq != 1 || s1.Fee != 930 || s1.Ship.Pref != 13 || s1.Slot != "am" || len(s1.Items) != 2 || s1.Items[0].Qty+s1.Items[1].Qty != 4 {
			t.Fatalf("shipment 1 %+v", s1)
		}
		if s2.Seq != 2 || s2.Fee != 1450 || s2.Method != 2 || s2.Ship.City != "札幌市中央区" || s2.Slot != "12_14" || len(s2.Items) != 1 ||
			got.Lines[s2.Items[0].Line].VariantID != ids[0] || s2.Items[0].Qty != 1 || s2.ShippedAt != nil {
			t.Fatalf("shipment 2 %+v", s2)
		}
		if got.Ship.Pref != 13 || got.DeliveryMethod != 1 {
			t.Fatalf("order header keeps the first destination: %+v", got.Ship)
		}
		// Each parcel gets its own tracking number: ShipParcel names it,
		// AddShipment fills the first one not shipped, then adds one.
		err = d.Tx(ctx, func(tx *db.Tx) error {
			if err := order.ShipParcel(ctx, tx, got.ID, s2.ID, "japanpost", "1234-5678-9012"); err != nil {
				return err
			}
			if err := order.AddShipment(ctx, tx, got.ID, "yamato", "4000-1111-2222"); err != nil {
				return err
			}
			return order.AddShipment(ctx, tx, got.ID, "yamato", "4000-3333-4444")
		})
		if err != nil {
			t.Fatal(err)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error { return order.ShipParcel(ctx, tx, got.ID+1000, s1.ID, "yamato", "x") })
		if shop.KindOf(err) != shop.NotFound {
			t.Fatalf("shipment of another order: %v", err)
		}
		got, _ = order.ByNumber(ctx, d, o.Number)
		ps := got.Parcels
		if len(ps) != 3 || ps[1].Tracking != "1234-5678-9012" || ps[1].ShippedAt == nil ||
			ps[0].Tracking != "4000-1111-2222" || ps[0].ShippedAt == nil || ps[0].Fee != 930 ||
			ps[2].Seq != 3 || ps[2].Tracking != "4000-3333-4444" {
			t.Fatalf("after shipping %+v", ps)
		}
		// Both destinations are in the customer's mail.
		var body string
		if err := d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'order_confirmation'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"札幌市中央区", "12時〜14時", "1,450", "千代田区"} {
			if !strings.Contains(body, want) {
				t.Errorf("mail lacks %q:\n%s", want, body)
			}
		}
	})
}
