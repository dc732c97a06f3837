package checkout

import (
	"context"
	"errors"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// stripe-mock answers every PaymentIntent request with one canned object
// (its README: responses are hardcoded, only request parameters with the
// same name are reflected, such as amount and capture_method); its bundled
// object has status requires_payment_method, so a success can only be
// shown with our own fixture file (-fixtures), one per status. The client,
// the HTTP calls and the parameter validation are stripe-mock's and
// stripe-go's real ones.

func TestPlace_CardSucceeded(t *testing.T) {
	t.Parallel()
	u := startStripeMock(t, "testdata/stripe_succeeded.json")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		svc.Payments = payment.NewStripe("sk_test_123", u)
		in.PaymentMethod, in.CardToken = order.Card, "pm_card_visa"
		o, err := svc.Place(ctx, in)
		if err != nil || o.Status != order.Paid {
			t.Fatalf("%v %v", o, err)
		}
		got, _ := order.ByNumber(ctx, d, o.Number)
		if got.Status != order.Paid || stockOf(t, d, ids[0]) != 3 {
			t.Fatalf("stored status %s, stock %d", got.Status, stockOf(t, d, ids[0]))
		}
		ps, _ := order.Payments(ctx, d, o.ID)
		// stripe-mock reflects the amount we sent: ¥4,750 (no COD fee).
		if len(ps) != 1 || ps[0].Status != "succeeded" || ps[0].Amount != o.Total || o.Total != 4750 || ps[0].Reference[:3] != "pi_" {
			t.Fatalf("payments %+v, total %d", ps, o.Total)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event IN ('order_confirmation', 'order_shop_notice')`); n != 2 {
			t.Fatalf("%d mails", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM cart_items WHERE cart_id = ?`, in.CartID); n != 0 {
			t.Fatal("cart kept after payment")
		}
		// Capturing an order paid at once: nothing to capture.
		if err := svc.Capture(ctx, o.Number); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("capture of a captured payment: %v", err)
		}
	})
}

func TestPlace_CardAuthorizeThenCapture(t *testing.T) {
	t.Parallel()
	held := startStripeMock(t, "testdata/stripe_requires_capture.json")
	taken := startStripeMock(t, "testdata/stripe_succeeded.json")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)
		p := payment.NewStripe("sk_test_123", held)
		p.ManualCapture = true
		svc.Payments = p
		in.PaymentMethod, in.CardToken = order.Card, "pm_card_visa"
		o, err := svc.Place(ctx, in)
		if err != nil || o.Status != order.New {
			t.Fatalf("authorise: %v %v", o.Status, err)
		}
		ps, _ := order.Payments(ctx, d, o.ID)
		if len(ps) != 1 || ps[0].Status != "authorized" {
			t.Fatalf("payments after authorisation %+v", ps)
		}
		// A provider that answers requires_capture to the capture (the
		// authorisation was not taken) is a refusal, recorded.
		if err := svc.Capture(ctx, o.Number); !errors.Is(err, payment.ErrDeclined) {
			t.Fatalf("capture answered requires_capture: %v", err)
		}
		// The order was lowered by ¥500 after the authorisation (受注編集):
		// the capture takes the new total only.
		if _, err := d.Exec(ctx, `UPDATE orders SET total = total - 500 WHERE id = ?`, o.ID); err != nil {
			t.Fatal(err)
		}
		// At shipment: the capture succeeds once; a retry does nothing.
		p2 := payment.NewStripe("sk_test_123", taken)
		svc.Payments = p2
		if err := svc.Capture(ctx, o.Number); err != nil {
			t.Fatal(err)
		}
		if err := svc.Capture(ctx, o.Number); err != nil {
			t.Fatal(err)
		}
		ps, _ = order.Payments(ctx, d, o.ID)
		if len(ps) != 3 || ps[1].Status != "failed" || ps[2].Status != "succeeded" || ps[2].Reference != ps[0].Reference || ps[2].Amount != o.Total-500 {
			t.Fatalf("payments %+v", ps)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return order.Move(ctx, tx, o.Number, order.Shipped, "") }); err != nil {
			t.Fatalf("ship an authorised order: %v", err)
		}

	})
}
