// Package webhook tells other systems what happened in the shop: an event
// (an order placed, paid, shipped or cancelled, a product changed, stock
// running low, a customer registered) becomes one delivery row per
// subscribed endpoint, written in the transaction of the change (Emit),
// and a worker under a lease (internal/lease) POSTs it, signed the
// Standard Webhooks way, with exponential back-off. An endpoint that keeps
// failing is switched off and the owners are mailed. Deliveries go only to
// URLs the owner entered, and never to loopback, private or link-local
// addresses unless the owner allowed it for that endpoint (guard.go).
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// The events an endpoint can subscribe to.
const (
	OrderCreated    = "order.created"
	OrderPaid       = "order.paid"
	OrderShipped    = "order.shipped"
	OrderCancelled  = "order.cancelled"
	ProductUpdated  = "product.updated"
	StockLow        = "stock.low"
	CustomerCreated = "customer.created"
)

// Events lists every event in the order the admin shows them.
var Events = []string{OrderCreated, OrderPaid, OrderShipped, OrderCancelled, ProductUpdated, StockLow, CustomerCreated}

// LowStock is the stock level at or under which a variant is "low" (the
// admin's 残りわずか, catalog.FewLeft): stock.low fires when a change
// takes a variant from above it to at or under it.
const LowStock = 5

func known(event string) bool {
	for _, e := range Events {
		if e == event {
			return true
		}
	}
	return false
}

// payload is the body of every delivery, as Standard Webhooks recommends:
// the event type, when it happened, and the event's data (IDs the
// receiver can fetch through the API, plus the few fields it will want).
type payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// Emit records event for every active endpoint subscribed to it, inside
// tx: the deliveries exist exactly when the change commits. It costs one
// small query when no endpoint wants the event.
func Emit(ctx context.Context, tx *db.Tx, event string, data any) error {
	if !known(event) {
		return fmt.Errorf("webhook: unknown event %q", event)
	}
	rows, err := tx.Query(ctx, `SELECT id, events FROM webhook_endpoints WHERE active = ?`, true)
	if err != nil {
		return fmt.Errorf("webhook: endpoints: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var events string
		if err := rows.Scan(&id, &events); err != nil {
			rows.Close()
			return err
		}
		if subscribed(events, event) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	body, err := json.Marshal(payload{Type: event, Timestamp: tx.Now().UTC(), Data: data})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := insertDelivery(ctx, tx, id, NewMessageID(), event, string(body)); err != nil {
			return err
		}
	}
	return nil
}

func insertDelivery(ctx context.Context, tx *db.Tx, endpointID int64, msgID, event, body string) error {
	_, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (endpoint_id, msg_id, event, payload, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, 'pending', ?, ?)`, endpointID, msgID, event, body, tx.Now(), tx.Now())
	if err != nil {
		return fmt.Errorf("webhook: insert delivery: %w", err)
	}
	return nil
}

func subscribed(events, event string) bool {
	for _, e := range strings.Fields(events) {
		if e == event {
			return true
		}
	}
	return false
}

// NewMessageID returns a fresh webhook-id ("msg_" and 26 random base32
// characters).
func NewMessageID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "msg_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// StockChanged emits stock.low when a variant's stock went from above
// LowStock to at or under it (before and after are the stock levels;
// nil is unlimited).
func StockChanged(ctx context.Context, tx *db.Tx, variantID int64, before, after *int) error {
	if after == nil || *after > LowStock || (before != nil && *before <= LowStock) {
		return nil
	}
	var sku string
	var productID int64
	if err := tx.QueryRow(ctx, `SELECT sku, product_id FROM variants WHERE id = ?`, variantID).Scan(&sku, &productID); err != nil {
		return fmt.Errorf("webhook: variant: %w", err)
	}
	return Emit(ctx, tx, StockLow, map[string]any{"variant_id": variantID, "product_id": productID, "sku": sku, "stock": *after})
}
