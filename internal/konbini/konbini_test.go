package konbini_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/konbini"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const secret = "whsec_akinai_test_secret"

// mustKonbiniOrder reserves 2 of a variant with stock 5 for a konbini
// order of ¥2,200 awaiting payment, with instructions expiring at exp.
func mustKonbiniOrder(t *testing.T, d *db.DB, intent string, exp time.Time) (*order.Order, int64) {
	t.Helper()
	ctx := context.Background()
	var vid int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var pid int64
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, tax_class, created_at, updated_at) VALUES (?, 'public', '茶', 'standard', ?, ?) RETURNING id`,
			"p-"+intent, now, now).Scan(&pid); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, price, stock, created_at, updated_at) VALUES (?, ?, 1000, 5, ?, ?) RETURNING id`,
			pid, "SKU-"+intent, now, now).Scan(&vid)
	})
	if err != nil {
		t.Fatal(err)
	}
	tokyo := order.Address{FamilyName: "山田", GivenName: "花子", FamilyKana: "ヤマダ", GivenKana: "ハナコ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	o := &order.Order{IdempotencyKey: "k-" + intent, Status: order.AwaitingPayment, Lang: "ja", Email: "hanako@example.jp",
		Buyer: tokyo, Ship: tokyo, DeliveryMethod: 1, PaymentMethod: "konbini", Subtotal: 2200, Total: 2200,
		Rates:   []order.RateTotal{{Rate: 1000, Total: 2200, Tax: 200}},
		Lines:   []order.Line{{VariantID: vid, NameJA: "茶", SKU: "SKU-" + intent, UnitPrice: 1100, Rate: 1000, Qty: 2}},
		Parcels: []order.Parcel{{Ship: tokyo, Method: 1, Items: []order.ParcelItem{{Line: 0, Qty: 2}}}}}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := order.Create(ctx, tx, o); err != nil {
			return err
		}
		return konbini.Save(ctx, tx, o.ID, payment.KonbiniResult{Reference: intent, ExpiresAt: exp, VoucherURL: "https://example.com/v",
			Stores: []payment.KonbiniStore{{Store: "lawson", ConfirmationNumber: "1234", PaymentCode: "5678"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return o, vid
}

func stock(t *testing.T, d *db.DB, vid int64) int {
	var n int
	if err := d.QueryRow(context.Background(), `SELECT stock FROM variants WHERE id = ?`, vid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func status(t *testing.T, d *db.DB, number string) order.Status {
	o, err := order.ByNumber(context.Background(), d, number)
	if err != nil {
		t.Fatal(err)
	}
	return o.Status
}

func event(typ, intent string, amount int) []byte {
	return []byte(fmt.Sprintf(`{"id":"evt_%s_%s","object":"event","api_version":"2020-08-27","type":%q,
		"data":{"object":{"id":%q,"object":"payment_intent","amount":%d,"amount_received":%d,"currency":"jpy","payment_method_types":["konbini"],"status":"succeeded"}}}`,
		typ, intent, typ, intent, amount, amount))
}

// post sends body to the webhook signed with key (now, or at t).
func post(t *testing.T, h http.Handler, body []byte, key string, at time.Time) int {
	t.Helper()
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: key, Timestamp: at})
	req := httptest.NewRequest("POST", konbini.WebhookPath, bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", sp.Header)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func newHook(d *db.DB) *konbini.Webhook {
	return &konbini.Webhook{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Secret: func(context.Context) (string, error) { return secret, nil }}
}

func TestWebhook_PaidBySignedEvent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o, vid := mustKonbiniOrder(t, d, "pi_paid", time.Now().Add(72*time.Hour))
		h := newHook(d)

		// A bad signature, a stale one and none at all: 400, nothing changes.
		for name, code := range map[string]int{
			"wrong secret": post(t, h, event("payment_intent.succeeded", "pi_paid", 2200), "whsec_wrong", time.Now()),
			"stale":        post(t, h, event("payment_intent.succeeded", "pi_paid", 2200), secret, time.Now().Add(-time.Hour)),
		} {
			if code != http.StatusBadRequest {
				t.Fatalf("%s: %d", name, code)
			}
		}
		req := httptest.NewRequest("POST", konbini.WebhookPath, bytes.NewReader(event("payment_intent.succeeded", "pi_paid", 2200)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("unsigned: %d", rec.Code)
		}
		if st := status(t, d, o.Number); st != order.AwaitingPayment {
			t.Fatalf("status after refused events: %s", st)
		}
		if ps, _ := order.Payments(ctx, d, o.ID); len(ps) != 0 {
			t.Fatalf("payments after refused events: %+v", ps)
		}

		if code := post(t, h, event("payment_intent.succeeded", "pi_paid", 2200), secret, time.Now()); code != http.StatusOK {
			t.Fatalf("signed: %d", code)
		}
		if st := status(t, d, o.Number); st != order.Paid {
			t.Fatalf("status %s", st)
		}
		// Stripe delivers at least once: a repeat changes nothing.
		if code := post(t, h, event("payment_intent.succeeded", "pi_paid", 2200), secret, time.Now()); code != http.StatusOK {
			t.Fatalf("repeat: %d", code)
		}
		ps, _ := order.Payments(ctx, d, o.ID)
		if len(ps) != 1 || ps[0].Status != "succeeded" || ps[0].Amount != 2200 || ps[0].Reference != "pi_paid" {
			t.Fatalf("payments %+v", ps)
		}
		if stock(t, d, vid) != 3 {
			t.Fatalf("stock %d", stock(t, d, vid))
		}
		// An expiry reported for a paid order leaves it paid.
		if code := post(t, h, event("payment_intent.payment_failed", "pi_paid", 2200), secret, time.Now()); code != http.StatusOK || status(t, d, o.Number) != order.Paid {
			t.Fatalf("late expiry: %d %s", code, status(t, d, o.Number))
		}
		// Events about intents the shop does not know are acknowledged.
		if code := post(t, h, event("payment_intent.succeeded", "pi_other", 1), secret, time.Now()); code != http.StatusOK {
			t.Fatalf("unknown intent: %d", code)
		}
	})
}

// Without a signing secret nothing can be verified: 503, so that Stripe
// retries once the operator has set it, and nothing changes.
func TestWebhook_NoSecret(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	o, _ := mustKonbiniOrder(t, d, "pi_nosecret", time.Now().Add(time.Hour))
	h := newHook(d)
	h.Secret = func(context.Context) (string, error) { return "", nil }
	if code := post(t, h, event("payment_intent.succeeded", "pi_nosecret", 2200), secret, time.Now()); code != http.StatusServiceUnavailable {
		t.Fatalf("%d", code)
	}
	if status(t, d, o.Number) != order.AwaitingPayment {
		t.Fatal("changed without a secret")
	}
}

func TestWebhook_ExpiredReturnsStock(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		o, vid := mustKonbiniOrder(t, d, "pi_expired", time.Now().Add(-2*time.Hour))
		if stock(t, d, vid) != 3 {
			t.Fatal("not reserved")
		}
		if code := post(t, newHook(d), event("payment_intent.payment_failed", "pi_expired", 2200), secret, time.Now()); code != http.StatusOK {
			t.Fatalf("%d", code)
		}
		if status(t, d, o.Number) != order.Cancelled || stock(t, d, vid) != 5 {
			t.Fatalf("status %s, stock %d", status(t, d, o.Number), stock(t, d, vid))
		}
		// A payment reported after the cancellation is recorded and noted
		// for the operator; the order stays cancelled.
		if code := post(t, newHook(d), event("payment_intent.succeeded", "pi_expired", 2200), secret, time.Now()); code != http.StatusOK {
			t.Fatalf("%d", code)
		}
		if status(t, d, o.Number) != order.Cancelled || stock(t, d, vid) != 5 {
			t.Fatal("a late payment revived a cancelled order")
		}
		var n int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM order_events WHERE order_id = ? AND note LIKE '%refund%'`, o.ID).Scan(&n)
		if n != 1 {
			t.Fatalf("%d notes for the operator", n)
		}
	})
}

func TestSweep_CancelsExpiredAfterGrace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now()
		old, oldV := mustKonbiniOrder(t, d, "pi_old", now.Add(-konbini.Grace-time.Minute))
		recent, recentV := mustKonbiniOrder(t, d, "pi_recent", now.Add(-konbini.Grace+time.Minute))
		open, openV := mustKonbiniOrder(t, d, "pi_open", now.Add(48*time.Hour))
		n, err := konbini.Sweep(ctx, d, now, nil)
		if err != nil || n != 1 {
			t.Fatalf("swept %d %v", n, err)
		}
		if status(t, d, old.Number) != order.Cancelled || stock(t, d, oldV) != 5 {
			t.Fatal("expired order kept")
		}
		for _, o := range []*order.Order{recent, open} {
			if status(t, d, o.Number) != order.AwaitingPayment {
				t.Fatalf("%s cancelled too early", o.Number)
			}
		}
		if stock(t, d, recentV) != 3 || stock(t, d, openV) != 3 {
			t.Fatal("stock of open orders released")
		}
		// Again: nothing more to do.
		if n, err := konbini.Sweep(ctx, d, now, nil); err != nil || n != 0 {
			t.Fatalf("second sweep %d %v", n, err)
		}
	})
}
