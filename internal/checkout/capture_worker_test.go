package checkout

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
)

// placeAuthorisedAndShip places a card order that the provider only
// authorises and ships it: the shipment's transaction queues the capture.
func placeAuthorisedAndShip(t *testing.T, d *db.DB, held string) (*Service, *order.Order) {
	t.Helper()
	ctx := context.Background()
	svc, in, _ := fixture(t, d)
	p := payment.NewStripe("sk_test_123", held)
	p.ManualCapture = true
	svc.Payments = p
	in.PaymentMethod, in.CardToken = order.Card, "pm_card_visa"
	o, err := svc.Place(ctx, in)
	if err != nil || o.Status != order.New {
		t.Fatalf("authorise: %v %v", o, err)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM payment_captures`); n != 0 {
		t.Fatalf("%d captures queued before shipment", n)
	}
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		_, err := order.Ship(ctx, tx, o.Number, 1, "yamato", "1234-5678-9012")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return svc, o
}

func TestCaptureWorker_CapturesAfterShipment(t *testing.T) {
	t.Parallel()
	held := startStripeMock(t, "testdata/stripe_requires_capture.json")
	taken := startStripeMock(t, "testdata/stripe_succeeded.json")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, o := placeAuthorisedAndShip(t, d, held)
		j, ok, err := order.Capture(ctx, d, o.ID)
		if err != nil || !ok || j.Status != "pending" || j.Attempts != 0 {
			t.Fatalf("job after shipment: %+v %v %v", j, ok, err)
		}
		svc.Payments = payment.NewStripe("sk_test_123", taken)
		w := &CaptureWorker{DB: d, Service: svc}
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("run: %d %v", n, err)
		}
		j, _, _ = order.Capture(ctx, d, o.ID)
		ps, _ := order.Payments(ctx, d, o.ID)
		if j.Status != "done" || len(ps) != 2 || ps[1].Status != "succeeded" || ps[1].Amount != o.Total {
			t.Fatalf("after capture: %+v %+v", j, ps)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatalf("claimed %d again", n)
		}
	})
}

func TestCaptureWorker_RetriesThenFailsVisibly(t *testing.T) {
	t.Parallel()
	held := startStripeMock(t, "testdata/stripe_requires_capture.json")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, o := placeAuthorisedAndShip(t, d, held)
		// The provider is unreachable: retried with back-off.
		svc.Payments = payment.NewStripe("sk_test_123", "http://127.0.0.1:1")
		w := &CaptureWorker{DB: d, Service: svc, MaxAttempts: 2, BaseDelay: time.Hour}
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("run: %d %v", n, err)
		}
		j, _, _ := order.Capture(ctx, d, o.ID)
		if j.Status != "pending" || j.Attempts != 1 || j.LastError == "" || !j.NextAt.After(d.Now().Add(30*time.Minute)) {
			t.Fatalf("after an unreachable provider: %+v", j)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatal("claimed before its back-off")
		}
		if _, err := d.Exec(ctx, `UPDATE payment_captures SET next_attempt_at = ?`, d.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		// A provider that refuses (requires_capture answered to a capture
		// stands for an expired authorisation): failed at once, audited.
		svc.Payments = payment.NewStripe("sk_test_123", held)
		w.MaxAttempts = 8
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("run: %d %v", n, err)
		}
		j, _, _ = order.Capture(ctx, d, o.ID)
		if j.Status != "failed" || j.Attempts != 2 || j.LastError == "" {
			t.Fatalf("after a refusal: %+v", j)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'order.capture_failed' AND target = ?`, o.Number); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
		if st, _ := order.ByNumber(ctx, d, o.Number); st.Status != order.Shipped {
			t.Fatalf("status %s", st.Status)
		}
	})
}
