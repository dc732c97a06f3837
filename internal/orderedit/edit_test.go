package orderedit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/payment/stripetest"
	"github.com/akinai/akinai/internal/refund"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var addr = order.Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}

// mustCardOrder creates a paid card order, captured for its total: 2 ×
// ¥1,100 at 10% (v1) and 3 × ¥1,080 at 8% reduced (v2), delivery ¥930,
// total ¥6,370, in one parcel.
func mustCardOrder(t *testing.T, d *db.DB, v1, v2 int64) *order.Order {
	t.Helper()
	ctx := context.Background()
	o := &order.Order{IdempotencyKey: fmt.Sprintf("k-%d", time.Now().UnixNano()), Status: order.Paid, Lang: "ja", Email: "taro@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: order.Card,
		Subtotal: 5440, DeliveryFee: 930, Total: 6370,
		Rates: []order.RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []order.Line{
			{VariantID: v1, NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: v2, NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		},
		Parcels: []order.Parcel{{Ship: addr, Method: 1, Fee: 930, Items: []order.ParcelItem{{Line: 0, Qty: 2}, {Line: 1, Qty: 3}}}}}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := order.Create(ctx, tx, o); err != nil {
			return err
		}
		return order.RecordPayment(ctx, tx, o.ID, order.Payment{Provider: "stripe", Method: order.Card, Reference: "pi_test_1", Amount: 6370, Status: "succeeded"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// change is a Change of o from version that keeps everything as it is.
func change(o *order.Order, version int) Change {
	return Change{Edit: order.Edit{Number: o.Number, Version: version, Qty: map[int64]int{}, Ship: o.Ship,
		DeliveryFee: o.DeliveryFee, CODFee: o.CODFee, Rounding: shop.Floor}, Discount: o.Discount, Actor: "owner@example.jp"}
}

func apply(d *db.DB, c Change) (*Result, error) {
	var res *Result
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		res, err = Apply(context.Background(), tx, c)
		return err
	})
	return res, err
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApply(t *testing.T) {
	t.Parallel()
	mock := stripetest.Start(t, "")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := ordertest.Variant(t, d, "POT", "standard", 5)
		v2 := ordertest.Variant(t, d, "TEA", "reduced", 10)
		ordertest.Variant(t, d, "CUP", "standard", 1)
		o := mustCardOrder(t, d, v1, v2)
		lines, err := order.AdminLines(ctx, d, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		pot, tea := lines[0].ID, lines[1].ID

		t.Run("bad input refused by field, nothing written", func(t *testing.T) {
			cases := []struct {
				name  string
				edit  func(c *Change)
				field string
			}{
				{"negative price", func(c *Change) { c.Prices = map[int64]shop.Yen{pot: -1} }, fmt.Sprintf("price_%d", pot)},
				{"unknown SKU", func(c *Change) { c.Add = []AddLine{{SKU: "NOPE", Qty: 1}} }, "add_sku"},
				{"stock short", func(c *Change) { c.Add = []AddLine{{SKU: "CUP", Qty: 2}} }, "add_qty"},
				{"discount over total", func(c *Change) { c.Discount = 100000 }, "discount"},
				{"card increase", func(c *Change) { c.Qty[pot] = 3 }, "total"},
			}
			for _, tc := range cases {
				c := change(o, 1)
				tc.edit(&c)
				_, err := apply(d, c)
				var se *shop.Error
				if !errors.As(err, &se) || se.Fields[tc.field] == "" {
					t.Errorf("%s: err = %v, want a message on %s", tc.name, err, tc.field)
				}
			}
			if ordertest.Stock(t, d, v1) != 3 || count(t, d, `SELECT COUNT(*) FROM refunds`) != 0 || count(t, d, `SELECT version FROM orders WHERE id = ?`, o.ID) != 1 {
				t.Fatal("a refused edit wrote something")
			}
		})

		t.Run("line removed: stock back, tax recomputed, partial refund at stripe-mock", func(t *testing.T) {
			c := change(o, 1)
			c.Qty[pot] = 0
			c.Note = "customer cancelled the pot"
			res, err := apply(d, c)
			if err != nil {
				t.Fatal(err)
			}
			// Left: 3 × ¥1,080 at 8% (tax floor(3240×8/108) = 240) and
			// delivery ¥930 at 10% (tax floor(930×10/110) = 84).
			a := res.After
			if a.Total != 4170 || len(a.Rates) != 2 || a.Rates[0].Total != 930 || a.Rates[0].Tax != 84 || a.Rates[1].Tax != 240 {
				t.Fatalf("after: total %d rates %+v", a.Total, a.Rates)
			}
			if ordertest.Stock(t, d, v1) != 5 {
				t.Fatalf("stock %d, want 5", ordertest.Stock(t, d, v1))
			}
			r := res.Refund
			if r == nil || r.Amount != 2200 || r.Status != refund.Pending || len(r.Rates) != 1 || r.Rates[0].Total != 2200 || r.Rates[0].Tax != 200 {
				t.Fatalf("refund %+v", r)
			}
			w := &refund.Worker{DB: d, Refunder: payment.NewStripe("sk_test_123", mock)}
			if n, err := w.RunOnce(ctx); err != nil || n != 1 {
				t.Fatalf("worker: %d %v", n, err)
			}
			rs, err := refund.ByOrder(ctx, d, o.ID)
			if err != nil || len(rs) != 1 || rs[0].Status != refund.Succeeded || !strings.HasPrefix(rs[0].Reference, "re_") {
				t.Fatalf("refunds after the worker: %+v %v", rs, err)
			}
			var note string
			if err := d.QueryRow(ctx, `SELECT note FROM order_events WHERE order_id = ? AND note LIKE 'edit: %' ORDER BY id DESC LIMIT 1`, o.ID).Scan(&note); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(note, "POT ×2→×0") || !strings.Contains(note, "total ¥6,370→¥4,170") {
				t.Fatalf("history %q", note)
			}
		})

		t.Run("stale page gets 409", func(t *testing.T) {
			c := change(o, 1)
			c.Qty[tea] = 2
			if _, err := apply(d, c); !errors.Is(err, order.ErrVersion) {
				t.Fatalf("err = %v, want ErrVersion", err)
			}
		})

		t.Run("add a line, re-price, discount, date", func(t *testing.T) {
			cur, err := order.ByNumber(ctx, d, o.Number)
			if err != nil {
				t.Fatal(err)
			}
			_, version, _ := order.Version(ctx, d, o.Number)
			c := change(cur, version)
			c.Add = []AddLine{{SKU: "CUP", Qty: 1}}
			c.Prices = map[int64]shop.Yen{tea: 700}
			c.Discount = 100
			c.DeliveryDate, c.DeliverySlot = "2026-12-24", "14-16"
			res, err := apply(d, c)
			if err != nil {
				t.Fatal(err)
			}
			// 3 × 700 (8%) + CUP 1,100 (¥1,000 + 10%) + 930 − 100 = 4,030:
			// ¥140 less than the 4,170 left on the card. The discount is
			// split by amount: 10% 2,030 → 1,981 (tax 180), 8% 2,100 →
			// 2,049 (tax 151).
			a := res.After
			if a.Total != 4030 || a.Discount != 100 || a.DeliveryDate != "2026-12-24" || a.DeliverySlot != "14-16" {
				t.Fatalf("after %+v", a)
			}
			if a.Rates[0].Total != 1981 || a.Rates[0].Tax != 180 || a.Rates[1].Total != 2049 || a.Rates[1].Tax != 151 {
				t.Fatalf("rates %+v", a.Rates)
			}
			if res.Refund == nil || res.Refund.Amount != 140 {
				t.Fatalf("refund %+v", res.Refund)
			}
			if count(t, d, `SELECT COUNT(*) FROM shipment_items i JOIN order_lines l ON l.id = i.order_line_id WHERE l.sku = 'CUP'`) != 1 {
				t.Fatal("added line not packed in the parcel")
			}
			if got := count(t, d, `SELECT stock FROM variants WHERE sku = 'CUP'`); got != 0 {
				t.Fatalf("CUP stock %d", got)
			}
		})
	})
}
