package orderentry

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture seeds a standard-rate teapot (¥1,000 excl., stock 5) and
// reduced-rate tea (¥500 excl., unlimited) and returns the service and a
// draft for 2 teapots and 3 teas, COD, to Tokyo.
func fixture(t *testing.T, d *db.DB) (*Service, *Draft, [2]int64) {
	t.Helper()
	ctx := context.Background()
	var ids [2]int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		for i, p := range []struct {
			class, name string
			price       int
			stock       any
		}{{"standard", "急須", 1000, 5}, {"reduced", "煎茶", 500, nil}} {
			var pid int64
			if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, name_en, tax_class, created_at, updated_at) VALUES (?, 'public', ?, ?, ?, ?, ?) RETURNING id`,
				"p"+p.class, p.name, "Item "+p.class, p.class, now, now).Scan(&pid); err != nil {
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
	cal, _ := calendar.New(nil, nil)
	svc := &Service{DB: d, Checkout: &checkout.Service{DB: d, Settings: settings.New(d), Calendar: cal}, Carts: cart.NewStore(d)}
	dr := &Draft{Key: "admin-" + cart.NewToken(), Lang: "ja", Channel: "phone", SendMail: true,
		Lines: []Line{{ids[0], 2}, {ids[1], 3}},
		Form: &checkout.Form{FamilyName: "山田", GivenName: "花子", FamilyKana: "やまだ", GivenKana: "ハナコ", Email: "Hanako@Example.jp",
			Phone: "03-1234-5678", PostalCode: "100-0001", Pref: "13", City: "千代田区", Address1: "1-1", Method: "1", Payment: order.COD}}
	return svc, dr, ids
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func fieldsOf(err error) map[string]string {
	var se *shop.Error
	if errors.As(err, &se) {
		return se.Fields
	}
	return nil
}

func TestTakeOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, dr, ids := fixture(t, d)

		t.Run("priced exactly as the storefront", func(t *testing.T) {
			got, err := svc.Quote(ctx, dr)
			if err != nil {
				t.Fatal(err)
			}
			// The same lines in a customer's cart, quoted by the checkout.
			cid, _ := svc.Carts.Create(ctx, cart.NewToken())
			defer svc.Carts.Delete(ctx, cid)
			svc.Carts.Add(ctx, cid, ids[0], 2)
			svc.Carts.Add(ctx, cid, ids[1], 3)
			in, _ := dr.input()
			in.Adjust, in.CartID = nil, cid
			want, err := svc.Checkout.Quote(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != want.Total || got.DeliveryFee != want.DeliveryFee || got.CODFee != want.CODFee || fmt.Sprint(got.Rates) != fmt.Sprint(want.Rates) {
				t.Fatalf("admin quote %d %+v, storefront %d %+v", got.Total, got.Rates, want.Total, want.Rates)
			}
			// 2 × ¥1,100 + 3 × ¥540 = ¥3,820 of goods.
			if got.Subtotal != 3820 || got.CODFee == 0 {
				t.Fatalf("subtotal %d, COD fee %d", got.Subtotal, got.CODFee)
			}
		})

		t.Run("fees and discount of the operator", func(t *testing.T) {
			d2 := *dr
			d2.DeliveryFee, d2.PaymentFee, d2.Discount = "0", "¥0", "1,000"
			qt, err := svc.Quote(ctx, &d2)
			if err != nil {
				t.Fatal(err)
			}
			var sum, disc shop.Yen
			for _, r := range qt.Rates {
				sum += r.Total
			}
			disc = qt.Discount
			if qt.Total != 2820 || sum != 2820 || disc != 1000 || qt.DeliveryFee != 0 || qt.CODFee != 0 {
				t.Fatalf("total %d, rates %+v", qt.Total, qt.Rates)
			}
		})

		t.Run("refused by the field", func(t *testing.T) {
			for name, tc := range map[string]struct {
				change func(*Draft)
				field  string
			}{
				"discount over the order": {func(x *Draft) { x.Discount = "999999" }, "discount"},
				"negative fee":            {func(x *Draft) { x.DeliveryFee = "-5" }, "delivery_fee"},
				"fee not a number":        {func(x *Draft) { x.PaymentFee = "abc" }, "payment_fee"},
				"card":                    {func(x *Draft) { f := *x.Form; f.Payment = order.Card; x.Form = &f }, "payment"},
				"no lines":                {func(x *Draft) { x.Lines = nil }, "lines"},
				"zero quantity":           {func(x *Draft) { x.Lines = []Line{{ids[0], 0}} }, fmt.Sprintf("qty_%d", ids[0])},
				"bad kana":                {func(x *Draft) { f := *x.Form; f.FamilyKana = "yamada"; x.Form = &f }, "family_kana"},
				"channel":                 {func(x *Draft) { x.Channel = "pigeon" }, "channel"},
				"unknown method":          {func(x *Draft) { f := *x.Form; f.Method = "999"; x.Form = &f }, "method"},
			} {
				x := *dr
				x.Key = "admin-" + cart.NewToken()
				tc.change(&x)
				_, _, err := svc.Place(ctx, &x)
				if shop.KindOf(err) != shop.Invalid || fieldsOf(err)[tc.field] == "" {
					t.Errorf("%s: %v %v", name, err, fieldsOf(err))
				}
			}
			if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
				t.Fatalf("%d orders written by refused submits", n)
			}
		})

		t.Run("double submit makes one order; stock reserved once", func(t *testing.T) {
			var wg sync.WaitGroup
			numbers := make([]string, 3)
			errs := make([]error, 3)
			for i := range numbers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					o, _, err := svc.Place(ctx, dr)
					errs[i] = err
					if err == nil {
						numbers[i] = o.Number
					}
				}()
			}
			wg.Wait()
			for i := range numbers {
				if errs[i] != nil || numbers[i] != numbers[0] {
					t.Fatalf("submits: %v %v", numbers, errs)
				}
			}
			if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 1 {
				t.Fatalf("%d orders", n)
			}
			if n := count(t, d, `SELECT stock FROM variants WHERE id = ?`, ids[0]); n != 3 {
				t.Fatalf("stock %d, want 3", n)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'order_confirmation'`); n != 1 {
				t.Fatalf("%d confirmations", n)
			}
			o, _ := order.ByNumber(ctx, d, numbers[0])
			if o.Email != "Hanako@example.jp" || o.Buyer.FamilyKana != "ヤマダ" || o.Ship.City != "千代田区" || o.CustomerID != nil {
				t.Fatalf("order %+v", o)
			}
		})

		t.Run("no mail when unticked", func(t *testing.T) {
			x := *dr
			x.Key, x.SendMail, x.Lines = "admin-"+cart.NewToken(), false, []Line{{ids[1], 1}}
			if _, _, err := svc.Place(ctx, &x); err != nil {
				t.Fatal(err)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'order_confirmation'`); n != 1 {
				t.Fatalf("%d confirmations, want still 1", n)
			}
		})

		t.Run("sold out: refused, nothing written", func(t *testing.T) {
			x := *dr
			x.Key, x.Lines = "admin-"+cart.NewToken(), []Line{{ids[1], 1}, {ids[0], 4}}
			before := count(t, d, `SELECT COUNT(*) FROM orders`)
			_, _, err := svc.Place(ctx, &x)
			if shop.KindOf(err) != shop.SoldOut || fieldsOf(err)[fmt.Sprintf("qty_%d", ids[0])] != "orderentry.sold_out" {
				t.Fatalf("sold out: %v %v", err, fieldsOf(err))
			}
			if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != before {
				t.Fatal("an order was written")
			}
			if n := count(t, d, `SELECT stock FROM variants WHERE id = ?`, ids[0]); n != 3 {
				t.Fatalf("stock %d", n)
			}
		})

		if n := count(t, d, `SELECT COUNT(*) FROM carts`); n != 0 {
			t.Fatalf("%d carts left behind", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM cart_items`); n != 0 {
			t.Fatalf("%d cart lines left behind", n)
		}
	})
}
