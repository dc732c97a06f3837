package main

import (
	"context"
	"net/url"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
)

// Marking an order whose card was only authorised as shipped queues its
// capture in the ship transaction; the capture's state, and a failure,
// show on the order page. (The worker's calls to the provider are tested
// against stripe-mock in internal/checkout.)
func TestAdminOrders_ShipQueuesCapture(t *testing.T) {
	t.Parallel()
	_, c, d, o, _ := orderShop(t)
	ctx := context.Background()
	a := c.admin
	err := d.Tx(ctx, func(tx *db.Tx) error {
		return order.RecordPayment(ctx, tx, o.ID, order.Payment{Provider: "stripe", Method: order.Card, Reference: "pi_test_held", Amount: o.Total, Status: "authorized"})
	})
	if err != nil {
		t.Fatal(err)
	}
	r := c.get(a + "/orders/" + o.Number)
	c.post(a+"/orders/"+o.Number+"/ship", url.Values{"version": {pageVersion(t, r.body)}, "carrier": {"yamato"}, "tracking": {"4321-8765-0002"}}).want(t, "ship", 303)
	job, ok, err := order.Capture(ctx, d, o.ID)
	if err != nil || !ok || job.Status == "done" {
		t.Fatalf("capture job after shipment: %+v %v %v", job, ok, err)
	}
	c.get(a+"/orders/"+o.Number).want(t, "pending capture shown", 200, "カード売上確定: 処理待ち")

	if _, err := d.Exec(ctx, `UPDATE payment_captures SET status = 'failed', last_error = 'authorisation expired' WHERE order_id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	c.get(a+"/orders/"+o.Number).want(t, "failed capture shown", 200, "カード売上確定に失敗しました", "authorisation expired")
}
