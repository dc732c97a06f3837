package refund

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// mustOrder creates a bank-transfer order in status: 2 × ¥1,100 at 10%
// (v1) and 3 × ¥1,080 at 8% (v2), delivery ¥930, total ¥6,370.
func mustOrder(t *testing.T, d *db.DB, status order.Status, v1, v2 int64) *order.Order {
	t.Helper()
	addr := order.Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	o := &order.Order{IdempotencyKey: fmt.Sprintf("k-%d", time.Now().UnixNano()), Status: status, Lang: "ja", Email: "taro@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: order.BankTransfer,
		Subtotal: 5440, DeliveryFee: 930, Total: 6370,
		Rates: []order.RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []order.Line{
			{VariantID: v1, NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: v2, NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		}}
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return order.Create(context.Background(), tx, o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

func returnGoods(d *db.DB, g Goods) (*Refund, error) {
	var r *Refund
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		r, err = ReturnGoods(context.Background(), tx, g)
		return err
	})
	return r, err
}

func TestReturnGoods(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := ordertest.Variant(t, d, "POT", "standard", 5)
		v2 := ordertest.Variant(t, d, "TEA", "reduced", 10)
		o := mustOrder(t, d, order.Shipped, v1, v2)
		lines, _ := order.AdminLines(ctx, d, o.ID)
		pot, tea := lines[0].ID, lines[1].ID
		version := 1

		t.Run("bad input by field, nothing written", func(t *testing.T) {
			cases := []struct {
				name  string
				g     Goods
				field string
			}{
				{"more than sold", Goods{Lines: []Line{{OrderLineID: pot, Qty: 3, UnitAmount: 1100}}}, fmt.Sprintf("qty_%d", pot)},
				{"negative amount", Goods{Lines: []Line{{OrderLineID: pot, Qty: 1, UnitAmount: -5}}}, fmt.Sprintf("amount_%d", pot)},
				{"above the price", Goods{Lines: []Line{{OrderLineID: pot, Qty: 1, UnitAmount: 1101}}}, fmt.Sprintf("amount_%d", pot)},
				{"fee above the order's", Goods{DeliveryFee: 931}, "delivery_fee"},
				{"nothing", Goods{}, "total"},
			}
			for _, tc := range cases {
				tc.g.Number, tc.g.Version, tc.g.Rounding = o.Number, version, shop.Floor
				_, err := returnGoods(d, tc.g)
				var se *shop.Error
				if !errors.As(err, &se) || se.Fields[tc.field] == "" {
					t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
				}
			}
			if n, _ := count(d, `SELECT COUNT(*) FROM refunds`); n != 0 {
				t.Fatal("refund written")
			}
		})

		t.Run("partial return, damaged pot not restocked", func(t *testing.T) {
			r, err := returnGoods(d, Goods{Number: o.Number, Version: version, Rounding: shop.Floor, Reason: "割れ",
				Lines: []Line{{OrderLineID: pot, Qty: 1, UnitAmount: 1100}, {OrderLineID: tea, Qty: 2, UnitAmount: 1080, Restock: true}}})
			if err != nil {
				t.Fatal(err)
			}
			version++
			// 10%: 1,100 → tax 100; 8%: 2,160 → tax 160.
			if r.Amount != 3260 || r.Status != Recorded || len(r.Rates) != 2 || r.Rates[0].Tax != 100 || r.Rates[1].Tax != 160 {
				t.Fatalf("refund %+v", r)
			}
			if ordertest.Stock(t, d, v1) != 3 || ordertest.Stock(t, d, v2) != 9 {
				t.Fatalf("stock %d %d", ordertest.Stock(t, d, v1), ordertest.Stock(t, d, v2))
			}
		})

		t.Run("larger than what is left of the payment", func(t *testing.T) {
			// 6,370 − 3,260 = 3,110 left; 1 POT + 1 TEA + fee 930 = 3,110
			// fits; 1 ¥ more of fees would not, but the fee is capped — so
			// ask for the rest twice.
			_, err := returnGoods(d, Goods{Number: o.Number, Version: version, Rounding: shop.Floor, DeliveryFee: 930,
				Lines: []Line{{OrderLineID: pot, Qty: 1, UnitAmount: 1100}, {OrderLineID: tea, Qty: 1, UnitAmount: 1080}}})
			if err != nil {
				t.Fatal(err)
			}
			version++
			var status string
			d.QueryRow(ctx, `SELECT status FROM orders WHERE id = ?`, o.ID).Scan(&status)
			if status != string(order.Returned) {
				t.Fatalf("status %s after every unit came back", status)
			}
			_, err = returnGoods(d, Goods{Number: o.Number, Version: version, DeliveryFee: 1, Rounding: shop.Floor})
			if shop.KindOf(err) != shop.Conflict {
				t.Fatalf("a returned order refunded again: %v", err)
			}
		})

		t.Run("too much", func(t *testing.T) {
			o2 := mustOrder(t, d, order.Shipped, v1, v2)
			if _, err := d.Exec(ctx, `UPDATE orders SET total = 1000 WHERE id = ?`, o2.ID); err != nil {
				t.Fatal(err)
			}
			l2, _ := order.AdminLines(ctx, d, o2.ID)
			_, err := returnGoods(d, Goods{Number: o2.Number, Version: 1, Rounding: shop.Floor, Lines: []Line{{OrderLineID: l2[0].ID, Qty: 1, UnitAmount: 1100}}})
			var se *shop.Error
			if !errors.As(err, &se) || se.Fields["total"] != "refund.too_much_field" || se.Key != "refund.too_much" {
				t.Fatalf("err %v", err)
			}
		})

		t.Run("stale page", func(t *testing.T) {
			_, err := returnGoods(d, Goods{Number: o.Number, Version: 1})
			if !errors.Is(err, order.ErrVersion) {
				t.Fatalf("err %v", err)
			}
		})

		t.Run("cancel a paid order at the shop: stock back, full refund", func(t *testing.T) {
			v3, v4 := ordertest.Variant(t, d, "POT3", "standard", 5), ordertest.Variant(t, d, "TEA3", "reduced", 5)
			o3 := mustOrder(t, d, order.Paid, v3, v4)
			r, err := returnGoods(d, Goods{Number: o3.Number, Version: 1, Reason: "顧客都合"})
			if err != nil {
				t.Fatal(err)
			}
			if r == nil || r.Kind != Cancel || r.Amount != 6370 || ordertest.Stock(t, d, v3) != 5 || ordertest.Stock(t, d, v4) != 5 {
				t.Fatalf("refund %+v stock %d %d", r, ordertest.Stock(t, d, v3), ordertest.Stock(t, d, v4))
			}
		})
	})
}

func count(d *db.DB, q string, args ...any) (int, error) {
	var n int
	err := d.QueryRow(context.Background(), q, args...).Scan(&n)
	return n, err
}

func TestRateDiff(t *testing.T) {
	before := []order.RateTotal{{Rate: 1000, Total: 930, Tax: 84}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}}
	after := []order.RateTotal{{Rate: 1000, Total: 1981, Tax: 180}, {Rate: 800, Reduced: true, Total: 2049, Tax: 151}}
	got := RateDiff(before, after)
	if len(got) != 2 || got[0].Total != -1051 || got[0].Tax != -96 || got[1].Total != 1191 || got[1].Tax != 89 {
		t.Fatalf("%+v", got)
	}
}

// A card refund whose provider cannot be reached stays pending with the
// error and is retried; out of attempts it fails, audit-logged.
func TestWorker_ProviderUnreachable(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	o := mustOrder(t, d, order.Shipped, ordertest.Variant(t, d, "POT", "standard", 5), ordertest.Variant(t, d, "TEA", "reduced", 5))
	if _, err := d.Exec(ctx, `UPDATE orders SET payment_method = 'card' WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	o.PaymentMethod = order.Card
	err := d.Tx(ctx, func(tx *db.Tx) error {
		return order.RecordPayment(ctx, tx, o.ID, order.Payment{Provider: "stripe", Method: order.Card, Reference: "pi_dead", Amount: o.Total, Status: "succeeded"})
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := order.AdminLines(ctx, d, o.ID)
	r, err := returnGoods(d, Goods{Number: o.Number, Version: 1, Rounding: shop.Floor, Lines: []Line{{OrderLineID: lines[0].ID, Qty: 1, UnitAmount: 1100}}})
	if err != nil || r.Status != Pending || r.PaymentRef != "pi_dead" {
		t.Fatalf("%+v %v", r, err)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + l.Addr().String()
	l.Close()
	w := &Worker{DB: d, Refunder: payment.NewStripe("sk_test_123", dead), MaxAttempts: 2, BaseDelay: time.Nanosecond}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("%d %v", n, err)
	}
	got, _ := ByID(ctx, d, o.ID, r.ID)
	if got.Status != Pending || got.LastError == "" {
		t.Fatalf("after one failure: %+v", got)
	}
	if _, err := d.Exec(ctx, `UPDATE refunds SET next_attempt_at = ? WHERE id = ?`, d.Now().Add(-time.Minute), r.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("%d %v", n, err)
	}
	got, _ = ByID(ctx, d, o.ID, r.ID)
	if got.Status != Failed {
		t.Fatalf("after the last attempt: %+v", got)
	}
	if n, _ := count(d, `SELECT COUNT(*) FROM audit_log WHERE action = 'order.refund_failed' AND target = ?`, o.Number); n != 1 {
		t.Fatal("failure not audit-logged")
	}
	// A failed refund does not count against what is left to refund.
	p, err := PaidOf(ctx, d, o)
	if err != nil || p.Left() != o.Total {
		t.Fatalf("left %d %v", p.Left(), err)
	}
}
