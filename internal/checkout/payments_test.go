package checkout

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

func setPayMethod(t *testing.T, d *db.DB, code string, fee, lo, hi int64, active bool) {
	t.Helper()
	if _, err := d.Exec(context.Background(), `UPDATE payment_methods SET fee = ?, min_amount = ?, max_amount = ?, active = ?,
		fee_type = CASE WHEN code = 'cod' AND ? = 0 THEN 'tiers' ELSE 'flat' END WHERE code = ?`,
		fee, lo, hi, active, fee, code); err != nil {
		t.Fatal(err)
	}
}

func offered(qt *Quote) map[string]shop.Yen {
	m := map[string]shop.Yen{}
	for _, p := range qt.Payments {
		m[p.Code] = p.Charge
	}
	return m
}

func paymentField(err error) string {
	if e, ok := err.(*shop.Error); ok {
		return e.Fields["payment"]
	}
	return ""
}

// The order in fixture owes ¥4,750 before any payment fee (3,820 goods +
// 930 delivery to Tokyo).
func TestQuote_PaymentMethodsFromTheAdmin(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)

		t.Run("defaults: COD by tiers, bank free, no card without a key", func(t *testing.T) {
			in.PaymentMethod = order.COD
			qt, err := svc.Quote(ctx, in)
			if err != nil || qt.CODFee != 330 || qt.Total != 5080 {
				t.Fatalf("%v %+v", err, qt)
			}
			got := offered(qt)
			if len(got) != 2 || got[order.COD] != 330 || got[order.BankTransfer] != 0 {
				t.Fatalf("offered %v", got)
			}
			in.PaymentMethod = order.Card
			if _, err := svc.Quote(ctx, in); paymentField(err) != "checkout.bad_payment" {
				t.Fatalf("card without a key: %v", err)
			}
		})
		t.Run("configured fees are charged and taxed", func(t *testing.T) {
			setPayMethod(t, d, order.BankTransfer, 220, 0, 0, true)
			setPayMethod(t, d, order.COD, 500, 0, 300000, true)
			defer setPayMethod(t, d, order.BankTransfer, 0, 0, 0, true)
			defer setPayMethod(t, d, order.COD, 0, 0, 300000, true)
			in.PaymentMethod = order.BankTransfer
			qt, err := svc.Quote(ctx, in)
			if err != nil || qt.CODFee != 220 || qt.Total != 4970 {
				t.Fatalf("bank fee: %v %+v", err, qt)
			}
			// 10%: 2,200 + 930 + 220 = 3,350 → tax 304.
			if qt.Rates[0].Total != 3350 || qt.Rates[0].Tax != 304 {
				t.Fatalf("rates %+v", qt.Rates)
			}
			in.PaymentMethod = order.COD
			if qt, err := svc.Quote(ctx, in); err != nil || qt.CODFee != 500 {
				t.Fatalf("flat COD fee: %v %+v", err, qt)
			}
		})
		t.Run("limits decide what is offered", func(t *testing.T) {
			setPayMethod(t, d, order.COD, 0, 5000, 300000, true)     // order too small
			setPayMethod(t, d, order.BankTransfer, 0, 0, 4750, true) // exactly fits
			defer setPayMethod(t, d, order.COD, 0, 0, 300000, true)
			in.PaymentMethod = order.BankTransfer
			qt, err := svc.Quote(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if got := offered(qt); len(got) != 1 {
				t.Fatalf("offered %v", got)
			}
			in.PaymentMethod = order.COD
			if _, err := svc.Quote(ctx, in); paymentField(err) != "checkout.payment_limit" {
				t.Fatalf("COD under its minimum: %v", err)
			}
			setPayMethod(t, d, order.BankTransfer, 0, 0, 4749, true)
			in.PaymentMethod = order.BankTransfer
			if _, err := svc.Quote(ctx, in); paymentField(err) != "checkout.payment_limit" {
				t.Fatalf("bank over its maximum: %v", err)
			}
			setPayMethod(t, d, order.BankTransfer, 0, 0, 0, true)
		})
		t.Run("a disabled method is refused, nothing written", func(t *testing.T) {
			setPayMethod(t, d, order.COD, 0, 0, 300000, false)
			defer setPayMethod(t, d, order.COD, 0, 0, 300000, true)
			in.PaymentMethod = order.COD
			qt, err := svc.Quote(ctx, in)
			if paymentField(err) != "checkout.payment_disabled" {
				t.Fatalf("disabled COD: %v", err)
			}
			if _, ok := offered(qt)[order.COD]; ok {
				t.Fatal("disabled COD offered")
			}
			if _, err := svc.Place(ctx, in); paymentField(err) != "checkout.payment_disabled" {
				t.Fatalf("place with disabled COD: %v", err)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
				t.Fatalf("%d orders written", n)
			}
			in.PaymentMethod = "bitcoin"
			if _, err := svc.Quote(ctx, in); paymentField(err) != "checkout.bad_payment" {
				t.Fatalf("unknown method: %v", err)
			}
		})
		t.Run("a disabled delivery method is refused", func(t *testing.T) {
			if _, err := d.Exec(ctx, `UPDATE delivery_methods SET active = ? WHERE id = ?`, false, in.MethodID); err != nil {
				t.Fatal(err)
			}
			defer d.Exec(ctx, `UPDATE delivery_methods SET active = ? WHERE id = ?`, true, in.MethodID)
			in.PaymentMethod = order.COD
			_, err := svc.Quote(ctx, in)
			if e, ok := err.(*shop.Error); !ok || e.Fields["method"] != "checkout.bad_method" {
				t.Fatalf("disabled delivery method: %v", err)
			}
		})
	})
}

// The card key the admin seals is read per request: no key, no card; a
// key set afterwards is used by the next order without a new Service; the
// older plain key is a fallback only when no sealed key is set.
func TestPlace_CardKeyFromTheAdmin(t *testing.T) {
	t.Parallel()
	u := startStripeMock(t, "testdata/stripe_succeeded.json")
	master := []byte("0123456789abcdef0123456789abcdef-master")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)
		svc.Cards = &Cards{Settings: svc.Settings, Master: master}
		in.PaymentMethod, in.CardToken = order.Card, "pm_card_visa"
		if _, err := svc.Place(ctx, in); paymentField(err) != "checkout.bad_payment" {
			t.Fatalf("card with no key: %v", err)
		}
		sealed, err := settings.SealCardKey(master, "sk_test_SealedByAdmin42")
		if err != nil {
			t.Fatal(err)
		}
		set := func(m map[string]string) {
			if err := d.Tx(ctx, func(tx *db.Tx) error { return svc.Settings.Set(ctx, tx, m) }); err != nil {
				t.Fatal(err)
			}
		}
		set(map[string]string{settings.PaymentCardKeySealed: sealed, StripeURL: u})
		p, err := svc.Cards.Provider(ctx)
		if err != nil || p == nil || svc.Cards.last.key != "sk_test_SealedByAdmin42" {
			t.Fatalf("provider %v %v", p, err)
		}
		o, err := svc.Place(ctx, in)
		if err != nil || o.Status != order.Paid {
			t.Fatalf("card with the sealed key: %v %v", o, err)
		}
		// The plain key is ignored while a sealed one is set, used once it
		// is removed.
		set(map[string]string{StripeKey: "sk_test_PlainFallback42"})
		if _, err := svc.Cards.Provider(ctx); err != nil || svc.Cards.last.key != "sk_test_SealedByAdmin42" {
			t.Fatalf("sealed key not preferred: %v %q", err, svc.Cards.last.key)
		}
		set(map[string]string{settings.PaymentCardKeySealed: ""})
		if p, err := svc.Cards.Provider(ctx); err != nil || p == nil || svc.Cards.last.key != "sk_test_PlainFallback42" {
			t.Fatalf("fallback: %v %q", err, svc.Cards.last.key)
		}
		// A master secret that no longer opens the key is an error, not
		// a silent "no cards".
		set(map[string]string{settings.PaymentCardKeySealed: sealed})
		other := &Cards{Settings: svc.Settings, Master: []byte("another-master-secret-of-32-bytes!!")}
		if _, err := other.Provider(ctx); err == nil {
			t.Fatal("wrong master secret accepted")
		}
	})
}
