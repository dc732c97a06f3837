package customer

import (
	"context"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// OrderSummary is one row of the order history.
type OrderSummary struct {
	Number    string
	Status    string
	Total     shop.Yen
	CreatedAt time.Time
}

// Orders returns a page of a customer's orders, newest first, and the
// total count.
func Orders(ctx context.Context, q db.Queryer, customerID int64, limit, offset int) ([]OrderSummary, int, error) {
	rows, err := q.Query(ctx, `SELECT number, status, total, created_at, COUNT(*) OVER() FROM orders
		WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, customerID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []OrderSummary
	total := 0
	for rows.Next() {
		var o OrderSummary
		var t int64
		if err := rows.Scan(&o.Number, &o.Status, &t, &o.CreatedAt, &total); err != nil {
			return nil, 0, err
		}
		o.CreatedAt = o.CreatedAt.In(calendar.Tokyo()) // a shop in Japan dates its orders in JST
		o.Total = shop.Yen(t)
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// Shipment is a parcel of an order.
type Shipment struct {
	Carrier, Tracking string
	ShippedAt         *time.Time
}

// OrderOf returns one of the customer's orders with its shipments.
// Errors: NotFound also for another customer's order (no hint that it
// exists).
func OrderOf(ctx context.Context, q db.Queryer, customerID int64, number string) (*order.Order, []Shipment, error) {
	o, err := order.ByNumber(ctx, q, number)
	if err != nil {
		return nil, nil, err
	}
	if o.CustomerID == nil || *o.CustomerID != customerID {
		return nil, nil, shop.ErrNotFound
	}
	rows, err := q.Query(ctx, `SELECT carrier, tracking_number, shipped_at FROM shipments WHERE order_id = ? ORDER BY id`, o.ID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var sh []Shipment
	for rows.Next() {
		var s Shipment
		var at *time.Time
		if err := rows.Scan(&s.Carrier, &s.Tracking, &at); err != nil {
			return nil, nil, err
		}
		s.ShippedAt = at
		sh = append(sh, s)
	}
	return o, sh, rows.Err()
}
