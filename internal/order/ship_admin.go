package order

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Shipment is a parcel handed to a carrier.
type Shipment struct {
	ID        int64
	Carrier   string // delivery method code ("yamato")
	Tracking  string
	ShippedAt time.Time
}

// Shipments returns an order's shipments, oldest first.
func Shipments(ctx context.Context, q db.Queryer, orderID int64) ([]Shipment, error) {
	rows, err := q.Query(ctx, `SELECT id, carrier, tracking_number, shipped_at FROM shipments WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Shipment
	for rows.Next() {
		var s Shipment
		var at sql.NullTime
		if err := rows.Scan(&s.ID, &s.Carrier, &s.Tracking, &at); err != nil {
			return nil, err
		}
		s.ShippedAt = at.Time
		out = append(out, s)
	}
	return out, rows.Err()
}

// Ship records a shipment — the first planned parcel not yet shipped, or
// a new one — and, once no planned parcel is left at the shop, moves the
// order to Shipped, after claiming the version the page was loaded with. The
// caller queues the shipping notice in the same transaction. Errors:
// NotFound; ErrVersion; Conflict "order.bad_transition" from a status
// that cannot ship; Invalid (field "tracking") for a tracking number that
// is not 4–40 letters, digits or hyphens.
func Ship(ctx context.Context, tx *db.Tx, number string, version int, carrier, tracking string) (int64, error) {
	tracking = strings.TrimSpace(tracking)
	if !validTracking(tracking) {
		return 0, shop.Invalidf(map[string]string{"tracking": "order.admin.bad_tracking"})
	}
	id, status, err := claim(ctx, tx, number, version)
	if err != nil {
		return 0, err
	}
	if status != Shipped && !CanMove(status, Shipped) {
		return 0, badMove(Shipped)
	}
	if err := AddShipment(ctx, tx, id, carrier, tracking); err != nil {
		return 0, err
	}
	_, err = afterShipment(ctx, tx, id, number, status, "shipment "+tracking)
	return id, err
}

func validTracking(s string) bool {
	if len(s) < 4 || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return true
}

// Event is a status change or an edit in an order's history.
type Event struct {
	From, To Status
	Note     string
	At       time.Time
}

// Events returns an order's history, oldest first.
func Events(ctx context.Context, q db.Queryer, orderID int64) ([]Event, error) {
	rows, err := q.Query(ctx, `SELECT from_status, to_status, note, created_at FROM order_events WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var from, to string
		if err := rows.Scan(&from, &to, &e.Note, &e.At); err != nil {
			return nil, err
		}
		e.From, e.To = Status(from), Status(to)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Note is an internal note on an order, or a message sent to the
// customer from it.
type Note struct {
	Kind    string // "note" or "message"
	Author  string
	Subject string
	Body    string
	At      time.Time
}

// MaxNote bounds a note or a message body, in characters.
const MaxNote = 4000

// AddNote stores a note or a sent message. Errors: Invalid (field "body")
// for an empty or too long body.
func AddNote(ctx context.Context, tx *db.Tx, orderID int64, n Note) error {
	n.Body = strings.TrimSpace(n.Body)
	if n.Body == "" || len([]rune(n.Body)) > MaxNote {
		return shop.Invalidf(map[string]string{"body": "order.admin.bad_note"})
	}
	if n.Kind != "message" {
		n.Kind = "note"
	}
	_, err := tx.Exec(ctx, `INSERT INTO order_notes (order_id, kind, author, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		orderID, n.Kind, n.Author, n.Subject, n.Body, tx.Now())
	return err
}

// Notes returns an order's notes and messages, oldest first.
func Notes(ctx context.Context, q db.Queryer, orderID int64) ([]Note, error) {
	rows, err := q.Query(ctx, `SELECT kind, author, subject, body, created_at FROM order_notes WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.Kind, &n.Author, &n.Subject, &n.Body, &n.At); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
