package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Parcel is one planned shipment of an order: where it goes, how and when, its
// fee, what is in it, and — once it left — its carrier and tracking
// number. An order with one address has one shipment with every line.
type Parcel struct {
	ID        int64
	Seq       int // 1, 2, … in the order
	Ship      Address
	Method    int64
	Date      string // YYYY-MM-DD or ""
	Slot      string
	Fee       shop.Yen // tax-included
	Carrier   string
	Tracking  string
	ShippedAt *time.Time
	Items     []ParcelItem
}

// ParcelItem is a quantity of an order line in a shipment.
type ParcelItem struct {
	Line int // index into Order.Lines
	Qty  int
}

// createParcels writes o's shipments; lineIDs are the IDs of o.Lines.
func createParcels(ctx context.Context, tx *db.Tx, o *Order, lineIDs []int64) error {
	now := tx.Now()
	for i := range o.Parcels {
		s := &o.Parcels[i]
		s.Seq = i + 1
		a := s.Ship
		err := tx.QueryRow(ctx, `INSERT INTO shipments (order_id, seq, carrier, tracking_number, created_at,
			family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2,
			delivery_method_id, delivery_date, delivery_slot, fee)
			VALUES (?, ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			o.ID, s.Seq, now, a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana, a.Phone, a.PostalCode, a.Pref, a.City, a.Address1, a.Address2,
			s.Method, s.Date, s.Slot, int64(s.Fee)).Scan(&s.ID)
		if err != nil {
			return fmt.Errorf("order: insert shipment: %w", err)
		}
		for _, it := range s.Items {
			if _, err := tx.Exec(ctx, `INSERT INTO shipment_items (shipment_id, order_line_id, qty) VALUES (?, ?, ?)`,
				s.ID, lineIDs[it.Line], it.Qty); err != nil {
				return fmt.Errorf("order: insert shipment item: %w", err)
			}
		}
	}
	return nil
}

// loadParcels reads an order's shipments; lineIDs are the IDs of its
// lines in Order.Lines order.
func loadParcels(ctx context.Context, q db.Queryer, o *Order, lineIDs []int64) error {
	rows, err := q.Query(ctx, `SELECT id, seq, carrier, tracking_number, shipped_at,
		family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2,
		delivery_method_id, delivery_date, delivery_slot, fee
		FROM shipments WHERE order_id = ? ORDER BY seq, id`, o.ID)
	if err != nil {
		return fmt.Errorf("order: shipments: %w", err)
	}
	for rows.Next() {
		var s Parcel
		var shipped sql.NullTime
		var method sql.NullInt64
		var fee int64
		a := &s.Ship
		if err := rows.Scan(&s.ID, &s.Seq, &s.Carrier, &s.Tracking, &shipped,
			&a.FamilyName, &a.GivenName, &a.FamilyKana, &a.GivenKana, &a.Phone, &a.PostalCode, &a.Pref, &a.City, &a.Address1, &a.Address2,
			&method, &s.Date, &s.Slot, &fee); err != nil {
			rows.Close()
			return err
		}
		if shipped.Valid {
			t := shipped.Time
			s.ShippedAt = &t
		}
		s.Method, s.Fee = method.Int64, shop.Yen(fee)
		o.Parcels = append(o.Parcels, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	index := map[int64]int{}
	for i, id := range lineIDs {
		index[id] = i
	}
	for i := range o.Parcels {
		s := &o.Parcels[i]
		irows, err := q.Query(ctx, `SELECT order_line_id, qty FROM shipment_items WHERE shipment_id = ? ORDER BY order_line_id`, s.ID)
		if err != nil {
			return err
		}
		for irows.Next() {
			var lid int64
			var it ParcelItem
			if err := irows.Scan(&lid, &it.Qty); err != nil {
				irows.Close()
				return err
			}
			it.Line = index[lid]
			s.Items = append(s.Items, it)
		}
		irows.Close()
		if err := irows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// AddShipment records a parcel handed to a carrier: it fills the first
// planned parcel of the order not shipped yet (in seq order), and adds a
// new shipment when every planned one has left (a re-sent item, a split
// the shop decided).
func AddShipment(ctx context.Context, tx *db.Tx, orderID int64, carrier, tracking string) error {
	now := tx.Now()
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM shipments WHERE order_id = ? AND shipped_at IS NULL ORDER BY seq, id LIMIT 1`, orderID).Scan(&id)
	if err == nil {
		_, err = tx.Exec(ctx, `UPDATE shipments SET carrier = ?, tracking_number = ?, shipped_at = ? WHERE id = ?`, carrier, tracking, now, id)
		return err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var seq int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM shipments WHERE order_id = ?`, orderID).Scan(&seq); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO shipments (order_id, seq, carrier, tracking_number, shipped_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		orderID, seq, carrier, tracking, now, now)
	return err
}

// ShipParcel records that a planned shipment of an order left with a
// carrier and tracking number. Errors: NotFound when the order has no
// shipment with that ID.
func ShipParcel(ctx context.Context, tx *db.Tx, orderID, shipmentID int64, carrier, tracking string) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE shipments SET carrier = ?, tracking_number = ?, shipped_at = ? WHERE id = ? AND order_id = ?`,
		carrier, tracking, tx.Now(), shipmentID, orderID))
	if err != nil {
		return err
	}
	if n != 1 {
		return shop.ErrNotFound
	}
	return nil
}
