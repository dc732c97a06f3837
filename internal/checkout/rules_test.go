package checkout

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// savePay saves a payment method through the store the admin uses.
func savePay(t *testing.T, d *db.DB, m payment.Method, create bool) {
	t.Helper()
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return payment.SaveMethod(context.Background(), tx, m, create) }); err != nil {
		t.Fatal(err)
	}
}

// The operator's fee rules decide the fee the checkout charges; the
// order in fixture owes ¥4,750 before the payment fee, delivered to
// Tokyo (13) by Yamato (method 1).
func TestQuote_PaymentFeeRules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)
		postal := payment.Method{Code: "postal", Kind: payment.Manual, NameJA: "郵便振替", NameEN: "Postal transfer",
			FeeType: payment.FeeFlat, Fee: 150, Active: true, ExpiresDays: 3}
		savePay(t, d, postal, true)
		in.PaymentMethod = "postal"
		quoteFee := func(name string, want shop.Yen) {
			t.Helper()
			qt, err := svc.Quote(ctx, in)
			if err != nil || qt.CODFee != want {
				t.Fatalf("%s: fee %v, want %d (%v)", name, qt, want, err)
			}
		}
		quoteFee("flat", 150)

		postal.FeeType, postal.Tiers = payment.FeeTiers, []payment.Tier{{UpTo: 3000, Fee: 100}, {UpTo: 5000, Fee: 200}, {UpTo: 10000, Fee: 300}}
		savePay(t, d, postal, false)
		quoteFee("tier up to 5,000", 200)

		postal.Tiers = []payment.Tier{{UpTo: 4000, Fee: 100}}
		savePay(t, d, postal, false)
		if _, err := svc.Quote(ctx, in); paymentField(err) != "checkout.payment_limit" {
			t.Fatalf("past the last tier: %v", err)
		}

		postal.FeeType, postal.Prefs = payment.FeePref, map[int]shop.Yen{13: 90, 47: 500}
		savePay(t, d, postal, false)
		quoteFee("Tokyo's fee", 90)
		in.Ship.Pref = 1
		quoteFee("no fee for Hokkaido: the flat fee", 150)
		in.Ship.Pref = 13

		postal.FreeOver = 4750
		savePay(t, d, postal, false)
		quoteFee("free from 4,750", 0)
		postal.FreeOver = 4751
		savePay(t, d, postal, false)
		quoteFee("not yet free", 90)

		// Combined only with ゆうパック (method 2): refused with Yamato,
		// offered with ゆうパック.
		postal.Delivery = []int64{2}
		savePay(t, d, postal, false)
		if qt, err := svc.Quote(ctx, in); paymentField(err) != "checkout.payment_delivery" {
			t.Fatalf("with Yamato: %v", err)
		} else if _, ok := offered(qt)["postal"]; ok {
			t.Fatal("offered with a delivery method it does not combine with")
		}
		in.MethodID = 2
		qt, err := svc.Quote(ctx, in)
		if err != nil || offered(qt)["postal"] != 90 {
			t.Fatalf("with ゆうパック: %v %v", err, offered(qt))
		}
		o, err := svc.Place(ctx, in)
		if err != nil || o.PaymentMethod != "postal" || o.CODFee != 90 || o.Status != order.AwaitingPayment {
			t.Fatalf("placed %+v %v", o, err)
		}
		// In use: it cannot be deleted, and the refusal names the order.
		err = d.Tx(ctx, func(tx *db.Tx) error { return payment.DeleteMethod(ctx, tx, "postal") })
		if e, ok := err.(*shop.Error); !ok || e.Key != "paydeliv.in_use" || e.Args[0] != 1 || e.Args[1] != o.Number {
			t.Fatalf("delete in use: %v", err)
		}
	})
}

// A delivery method's own lead days push the first date a customer may
// choose back by as many business days.
func TestQuote_DeliveryLeadDays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)
		before, err := svc.Quote(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE delivery_methods SET lead_days = 3 WHERE id = ?`, in.MethodID); err != nil {
			t.Fatal(err)
		}
		after, err := svc.Quote(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if !before.Dates[0].Before(after.Dates[0]) {
			t.Fatalf("first date %v, before %v", after.Dates[0], before.Dates[0])
		}
		in.Date = before.Dates[0].String()
		if _, err := svc.Quote(ctx, in); err == nil {
			t.Fatal("a date before the lead days accepted")
		}
	})
}
