package checkout

import (
	"context"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/konbini"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/payment/stripetest"
)

// A konbini order against stripe-mock (a fixture PaymentIntent waiting in
// requires_action with konbini_display_details, as Stripe answers a
// confirmed konbini intent): the stock is reserved, the order waits for
// payment, the instructions are stored and the confirmation mail carries
// them; the cart is emptied.
func TestPlace_Konbini(t *testing.T) {
	t.Parallel()
	issued := startStripeMock(t, stripetest.Fixture(t, stripetest.Konbini))
	refused := startStripeMock(t, "") // requires_payment_method: no instructions
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		if _, err := d.Exec(ctx, `UPDATE payment_methods SET active = ? WHERE code = 'konbini'`, true); err != nil {
			t.Fatal(err)
		}
		in.PaymentMethod = "konbini"
		if _, err := svc.Quote(ctx, in); paymentField(err) != "checkout.bad_payment" {
			t.Fatalf("konbini without a provider: %v", err)
		}
		svc.Payments = payment.NewStripe("sk_test_123", refused)
		o, err := svc.Place(ctx, in)
		if err == nil || o.Status != order.Cancelled || stockOf(t, d, ids[0]) != 5 {
			t.Fatalf("refused: %v %v, stock %d", o, err, stockOf(t, d, ids[0]))
		}

		svc.Payments = payment.NewStripe("sk_test_123", issued)
		in.Key = "konbini-2"
		o, err = svc.Place(ctx, in)
		if err != nil || o.Status != order.AwaitingPayment || o.PaymentMethod != "konbini" {
			t.Fatalf("%+v %v", o, err)
		}
		if stockOf(t, d, ids[0]) != 3 {
			t.Fatalf("stock %d", stockOf(t, d, ids[0]))
		}
		kp, err := konbini.ByOrder(ctx, d, o.ID)
		if err != nil || len(kp.Stores) != 4 || kp.Stores[1].Store != "lawson" || kp.Stores[1].ConfirmationNumber != "12345678901" || kp.VoucherURL == "" {
			t.Fatalf("instructions %+v %v", kp, err)
		}
		ps, _ := order.Payments(ctx, d, o.ID)
		if len(ps) != 1 || ps[0].Status != "pending" || ps[0].Method != "konbini" || ps[0].Reference != kp.IntentID {
			t.Fatalf("payments %+v", ps)
		}
		var body string
		if err := d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'order_confirmation'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"コンビニ決済", "お支払い期限: 2026年12月31日 23:59", "ローソン: 確認番号 12345678901　お客様番号 123456", "払込票: https://payments.stripe.com/konbini/voucher/test_akinai"} {
			if !strings.Contains(body, want) {
				t.Fatalf("mail lacks %q:\n%s", want, body)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM cart_items WHERE cart_id = ?`, in.CartID); n != 0 {
			t.Fatal("cart kept")
		}
		v, err := svc.NewView(ctx, d, o, i18n.English)
		if err != nil || v.Konbini == nil || v.Konbini.Expires != "31 Dec 2026 23:59 (JST)" || v.Payment != "Convenience store payment" {
			t.Fatalf("view %+v %v", v, err)
		}
	})
}
