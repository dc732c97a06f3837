package order

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

// mustSplitOrder creates an order of 2 × POT, 3 × TEA and 1 × CUP over
// three parcels: 1 = POT ×1 + TEA ×3 (Tokyo, ¥930), 2 = POT ×1 (Sapporo,
// ¥1,450), 3 = CUP ×1 (Osaka, ¥930). Delivery fee ¥3,310.
func mustSplitOrder(t *testing.T, d *db.DB, status Status, pot, tea, cup int64) *Order {
	t.Helper()
	tokyo := Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	sapporo := Address{FamilyName: "佐藤", GivenName: "一郎", FamilyKana: "サトウ", GivenKana: "イチロウ", Phone: "0111234567", PostalCode: "0600001", Pref: 1, City: "札幌市中央区", Address1: "北1条西"}
	osaka := Address{FamilyName: "田中", GivenName: "花子", FamilyKana: "タナカ", GivenKana: "ハナコ", Phone: "0612345678", PostalCode: "5300001", Pref: 27, City: "大阪市北区", Address1: "梅田1-1"}
	o := &Order{IdempotencyKey: "s-" + time.Now().Format("150405.000000000"), Status: status, Lang: "ja", Email: "taro@example.jp",
		Buyer: tokyo, Ship: tokyo, DeliveryMethod: 1, PaymentMethod: BankTransfer,
		Subtotal: 6540, DeliveryFee: 3310, Total: 9850,
		Rates: []RateTotal{{Rate: 1000, Total: 6610, Tax: 600}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []Line{
			{VariantID: pot, NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: tea, NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
			{VariantID: cup, NameJA: "湯呑み", SKU: "CUP", UnitPrice: 1100, Rate: 1000, Qty: 1},
		},
		Parcels: []Parcel{
			{Ship: tokyo, Method: 1, Slot: "am", Fee: 930, Items: []ParcelItem{{Line: 0, Qty: 1}, {Line: 1, Qty: 3}}},
			{Ship: sapporo, Method: 2, Fee: 1450, Items: []ParcelItem{{Line: 0, Qty: 1}}},
			{Ship: osaka, Method: 1, Fee: 930, Items: []ParcelItem{{Line: 2, Qty: 1}}},
		}}
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return Create(context.Background(), tx, o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

func mustVersion(t *testing.T, d *db.DB, number string) int {
	t.Helper()
	_, v, err := Version(context.Background(), d, number)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantKey(t *testing.T, err error, kind shop.Kind, key string) *shop.Error {
	t.Helper()
	var e *shop.Error
	if !errors.As(err, &e) || e.Kind != kind || e.Key != key {
		t.Fatalf("got %v, want %v %q", err, kind, key)
	}
	return e
}

func TestShipOneParcel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		pot, tea, cup := mustVariant(t, d, "POT", "standard", -1), mustVariant(t, d, "TEA", "reduced", -1), mustVariant(t, d, "CUP", "standard", -1)
		o := mustSplitOrder(t, d, Paid, pot, tea, cup)
		// A card authorised at checkout is captured when the order ships:
		// once, with its last parcel.
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			return RecordPayment(ctx, tx, o.ID, Payment{Provider: "stripe", Method: Card, Reference: "pi_1", Amount: o.Total, Status: "authorized"})
		}); err != nil {
			t.Fatal(err)
		}
		ship := func(version int, p Parcel, tracking string) (bool, error) {
			var done bool
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				_, done, err = ShipOneParcel(ctx, tx, o.Number, version, p.ID, "yamato", tracking)
				return err
			})
			return done, err
		}
		captures := func() int {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM payment_captures WHERE order_id = ?`, o.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		t.Run("bad tracking number", func(t *testing.T) {
			_, err := ship(mustVersion(t, d, o.Number), o.Parcels[1], "12 34")
			if e := wantKey(t, err, shop.Invalid, "error.invalid"); e.Fields["tracking"] != "order.admin.bad_tracking" {
				t.Fatalf("fields %v", e.Fields)
			}
		})
		t.Run("parcel of another order", func(t *testing.T) {
			other := mustSplitOrder(t, d, Paid, pot, tea, cup)
			if _, err := ship(mustVersion(t, d, o.Number), other.Parcels[0], "1111-2222"); !errors.Is(err, shop.ErrNotFound) {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("first of three leaves the order paid", func(t *testing.T) {
			done, err := ship(mustVersion(t, d, o.Number), o.Parcels[1], "2000-0000-0002")
			if err != nil || done {
				t.Fatalf("done %v err %v", done, err)
			}
			got, _ := ByNumber(ctx, d, o.Number)
			if got.Status != Paid || got.Parcels[1].Tracking != "2000-0000-0002" || got.Parcels[1].ShippedAt == nil || got.Parcels[0].ShippedAt != nil {
				t.Fatalf("after one parcel: %s %+v", got.Status, got.Parcels)
			}
			if s, n := ParcelCounts(got); s != 1 || n != 3 || captures() != 0 {
				t.Fatalf("counts %d/%d, %d captures", s, n, captures())
			}
		})
		t.Run("same parcel twice", func(t *testing.T) {
			_, err := ship(mustVersion(t, d, o.Number), o.Parcels[1], "2000-0000-0009")
			wantKey(t, err, shop.Conflict, "order.admin.parcel_already_shipped")
		})
		t.Run("stale page", func(t *testing.T) {
			_, err := ship(mustVersion(t, d, o.Number)-1, o.Parcels[0], "2000-0000-0001")
			if !errors.Is(err, ErrVersion) {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("whole-order ship fills the next parcel only", func(t *testing.T) {
			err := d.Tx(ctx, func(tx *db.Tx) error {
				_, err := Ship(ctx, tx, o.Number, mustVersion(t, d, o.Number), "yamato", "2000-0000-0001")
				return err
			})
			got, _ := ByNumber(ctx, d, o.Number)
			if err != nil || got.Status != Paid || got.Parcels[0].Tracking != "2000-0000-0001" || captures() != 0 {
				t.Fatalf("err %v status %s parcels %+v", err, got.Status, got.Parcels)
			}
		})
		t.Run("last parcel ships the order and queues the capture once", func(t *testing.T) {
			done, err := ship(mustVersion(t, d, o.Number), o.Parcels[2], "2000-0000-0003")
			if err != nil || !done {
				t.Fatalf("done %v err %v", done, err)
			}
			got, _ := ByNumber(ctx, d, o.Number)
			if got.Status != Shipped || captures() != 1 {
				t.Fatalf("status %s, %d captures", got.Status, captures())
			}
			evs, _ := Events(ctx, d, o.ID)
			moves := 0
			for _, e := range evs {
				if e.To == Shipped && e.From != Shipped {
					moves++
				}
			}
			if moves != 1 {
				t.Fatalf("%d moves to shipped: %+v", moves, evs)
			}
		})
	})
}

func TestShipOneParcel_AwaitingPayment(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		pot, tea, cup := mustVariant(t, d, "POT", "standard", -1), mustVariant(t, d, "TEA", "reduced", -1), mustVariant(t, d, "CUP", "standard", -1)
		o := mustSplitOrder(t, d, AwaitingPayment, pot, tea, cup)
		err := d.Tx(ctx, func(tx *db.Tx) error {
			_, _, err := ShipOneParcel(ctx, tx, o.Number, mustVersion(t, d, o.Number), o.Parcels[0].ID, "yamato", "1234-5678")
			return err
		})
		wantKey(t, err, shop.Conflict, "order.cannot_move_to.shipped")
		got, _ := ByNumber(ctx, d, o.Number)
		if got.Parcels[0].ShippedAt != nil {
			t.Fatal("parcel of an unpaid order marked shipped")
		}
	})
}
