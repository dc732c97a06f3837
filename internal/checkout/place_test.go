package checkout

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/payment/stripetest"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture seeds a standard-rate variant (¥1,000 excl., stock 5) and a
// reduced-rate one (¥500 excl., unlimited) and fills a cart with 2 + 3.
func fixture(t testing.TB, d *db.DB) (*Service, *Input, [2]int64) {
	t.Helper()
	ctx := context.Background()
	var ids [2]int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		for i, p := range []struct {
			class string
			price int
			stock any
		}{{"standard", 1000, 5}, {"reduced", 500, nil}} {
			var pid int64
			if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, tax_class, created_at, updated_at) VALUES (?, 'public', ?, ?, ?, ?) RETURNING id`,
				"p"+p.class, "商品"+p.class, p.class, now, now).Scan(&pid); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, price, stock, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				pid, "SKU-"+p.class, p.price, p.stock, now, now).Scan(&ids[i]); err != nil {
				return err
			}
		}
		return settings.New(d).Set(ctx, tx, map[string]string{settings.ShopEmail: "shop@example.jp", settings.InvoiceNumber: "T1234567890123"})
	})
	if err != nil {
		t.Fatal(err)
	}
	carts := cart.NewStore(d)
	cid, err := carts.Create(ctx, cart.NewToken())
	if err != nil {
		t.Fatal(err)
	}
	if err := carts.Add(ctx, cid, ids[0], 2); err != nil {
		t.Fatal(err)
	}
	if err := carts.Add(ctx, cid, ids[1], 3); err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.New(nil, nil)
	svc := &Service{DB: d, Settings: settings.New(d), Calendar: cal}
	addr := order.Address{FamilyName: "山田", GivenName: "花子", FamilyKana: "ヤマダ", GivenKana: "ハナコ", Phone: "0312345678",
		PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	in := &Input{CartID: cid, Key: cart.NewToken(), Lang: "ja", Email: "hanako@example.jp", Buyer: addr, Ship: addr,
		MethodID: 1, PaymentMethod: order.COD}
	return svc, in, ids
}

func stockOf(t *testing.T, d *db.DB, id int64) int {
	var n int
	if err := d.QueryRow(context.Background(), `SELECT stock FROM variants WHERE id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPlace_TotalsIdempotencyCancel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		o, err := svc.Place(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		// 2 × 1,100 + 3 × 540 = 3,820; Tokyo by Yamato 930; COD 330.
		if o.Subtotal != 3820 || o.DeliveryFee != 930 || o.CODFee != 330 || o.Total != 5080 {
			t.Fatalf("totals %+v", o)
		}
		// 10%: 2,200 + 930 + 330 = 3,460 → tax 314; 8%: 1,620 → tax 120.
		want := []order.RateTotal{{Rate: 1000, Total: 3460, Tax: 314}, {Rate: 800, Reduced: true, Total: 1620, Tax: 120}}
		if len(o.Rates) != 2 || o.Rates[0] != want[0] || o.Rates[1] != want[1] {
			t.Fatalf("rates %+v", o.Rates)
		}
		if stockOf(t, d, ids[0]) != 3 || o.Status != order.New {
			t.Fatalf("stock %d, status %s", stockOf(t, d, ids[0]), o.Status)
		}
		// The same key again: the same order, nothing new written.
		again, err := svc.Place(ctx, in)
		if err != nil || again.Number != o.Number {
			t.Fatalf("replay: %v %v", again, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 1 {
			t.Fatalf("%d orders", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event IN ('order_confirmation', 'order_shop_notice')`); n != 2 {
			t.Fatalf("%d mails", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM cart_items WHERE cart_id = ?`, in.CartID); n != 0 {
			t.Fatalf("cart not emptied: %d", n)
		}
		got, err := order.ByNumber(ctx, d, o.Number)
		if err != nil || len(got.Lines) != 2 || got.Lines[1].UnitPrice != 540 || !got.Lines[1].Reduced || got.InvoiceNumber != "T1234567890123" {
			t.Fatalf("stored %+v %v", got, err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return order.Cancel(ctx, tx, o.Number, "test") }); err != nil {
			t.Fatal(err)
		}
		if stockOf(t, d, ids[0]) != 5 {
			t.Fatalf("stock after cancel %d", stockOf(t, d, ids[0]))
		}
		err = d.Tx(ctx, func(tx *db.Tx) error { return order.Move(ctx, tx, o.Number, order.Paid, "") })
		if shop.KindOf(err) != shop.Conflict {
			t.Fatalf("cancelled → paid: %v", err)
		}
	})
}

func TestQuote_FieldErrors(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	svc, in, _ := fixture(t, d)
	in.Date, in.Slot, in.MethodID = "1999-01-01", "12_14", 1 // 12–14 is Yu-Pack only
	_, err := svc.Quote(context.Background(), in)
	var e *shop.Error
	if !errors.As(err, &e) || e.Fields["date"] != "checkout.bad_date" || e.Fields["slot"] != "checkout.bad_slot" {
		t.Fatalf("got %v", err)
	}
}

func TestCartMerge(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_, in, ids := fixture(t, d)
		carts := cart.NewStore(d)
		to, _ := carts.Create(ctx, cart.NewToken())
		if err := carts.Add(ctx, to, ids[0], 1); err != nil {
			t.Fatal(err)
		}
		if err := carts.Merge(ctx, in.CartID, to); err != nil {
			t.Fatal(err)
		}
		c, err := cart.Load(ctx, d, to, d.Now(), shop.Floor)
		if err != nil || len(c.Lines) != 2 || c.Count() != 5 {
			t.Fatalf("merged %+v %v", c, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM carts WHERE id = ?`, in.CartID); n != 0 {
			t.Fatal("source cart kept")
		}
	})
}

// startStripeMock runs stripe-mock on 127.0.0.1 and returns its URL.
// fixtures, when not "", replaces stripe-mock's bundled responses.
func startStripeMock(t *testing.T, fixtures string) string {
	return stripetest.Start(t, fixtures)
}

func TestPlace_Card(t *testing.T) {
	t.Parallel()
	u := startStripeMock(t, "")
	// stripe-mock answers with its fixture, a PaymentIntent in status
	// requires_payment_method (it does not simulate card outcomes), which
	// the provider must treat as not paid: the order is cancelled, the
	// stock returned, and the attempt recorded with the intent's ID.
	t.Run("intent not succeeded", func(t *testing.T) {
		t.Parallel()
		d := dbtest.MustOpen(t, dbtest.SQLite)
		svc, in, ids := fixture(t, d)
		svc.Payments = payment.NewStripe("sk_test_123", u)
		in.PaymentMethod, in.CardToken = order.Card, "pm_card_visa"
		o, err := svc.Place(context.Background(), in)
		if !errors.Is(err, payment.ErrDeclined) || o.Status != order.Cancelled {
			t.Fatalf("%v %v", o.Status, err)
		}
		ps, _ := order.Payments(context.Background(), d, o.ID)
		if len(ps) != 1 || ps[0].Status != "failed" || len(ps[0].Reference) < 4 || ps[0].Reference[:3] != "pi_" {
			t.Fatalf("payments %+v", ps)
		}
		if stockOf(t, d, ids[0]) != 5 || count(t, d, `SELECT COUNT(*) FROM outbox`) != 0 {
			t.Fatal("stock not returned or mail sent")
		}
		// Replaying the key shows the same cancelled order, never a new charge.
		again, err := svc.Place(context.Background(), in)
		if err != nil || again.Number != o.Number || count(t, d, `SELECT COUNT(*) FROM payments`) != 1 {
			t.Fatalf("replay %v %v", again, err)
		}
	})
	t.Run("declined order gives its coupon use back", func(t *testing.T) {
		t.Parallel()
		d := dbtest.MustOpen(t, dbtest.SQLite)
		svc, in, _ := fixture(t, d)
		svc.Payments = payment.NewStripe("sk_test_123", u)
		one := int64(1)
		mustCoupon(t, d, coupon.Coupon{Code: "ONCE", Kind: coupon.Fixed, Amount: 100, MaxUses: &one, PerCustomer: &one})
		in.PaymentMethod, in.CardToken, in.Coupon = order.Card, "pm_card_visa", "ONCE"
		if _, err := svc.Place(context.Background(), in); !errors.Is(err, payment.ErrDeclined) {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT uses FROM coupons`) + count(t, d, `SELECT COUNT(*) FROM coupon_uses`) + count(t, d, `SELECT COALESCE(SUM(uses), 0) FROM coupon_customer_uses`); n != 0 {
			t.Fatalf("coupon use kept: %d", n)
		}
	})
	t.Run("provider unreachable", func(t *testing.T) {
		t.Parallel()
		d := dbtest.MustOpen(t, dbtest.SQLite)
		svc, in, ids := fixture(t, d)
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		dead := "http://" + l.Addr().String()
		l.Close()
		svc.Payments = payment.NewStripe("sk_test_123", dead)
		in.PaymentMethod, in.CardToken = order.Card, "pm_card_visa"
		o, err := svc.Place(context.Background(), in)
		if err == nil || o.Status != order.Cancelled {
			t.Fatalf("%+v %v", o, err)
		}
		if stockOf(t, d, ids[0]) != 5 || count(t, d, `SELECT COUNT(*) FROM orders WHERE status = 'paid'`) != 0 {
			t.Fatal("stock not released or order paid")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 0 {
			t.Fatalf("%d mails for a failed payment", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM cart_items WHERE cart_id = ?`, in.CartID); n != 2 {
			t.Fatal("cart emptied after a failed payment")
		}
	})
}
