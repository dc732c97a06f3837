package order

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// placement is a quantity of an order line packed in one planned parcel.
type placement struct {
	Parcel  int64
	Seq     int
	Qty     int
	Shipped bool
}

// parcelPlan is how an admin edit changes an order's parcels: the new
// quantity of each (parcel, line) item (0 removes it), and whether the
// first parcel takes the edited recipient and the only parcel the edited
// delivery fee.
type parcelPlan struct {
	parcels int
	items   []parcelItemChange
}

type parcelItemChange struct {
	Parcel, Line int64
	Qty          int
}

// planParcels checks an edit of an order with planned parcels and decides
// what it does to them. A quantity change is applied to the parcel when
// the line sits in exactly one parcel still at the shop; a line split over
// several parcels, or in a parcel that already left, cannot change — which
// of its parcels would lose or gain is the operator's call — nor may an
// edit empty a parcel, nor change the delivery fee of a split order (it
// is the sum of the parcels' fees). Errors: Invalid
// "order.admin.parcels_inconsistent" with a message per refused line
// ("qty_<line ID>") or "delivery_fee".
func planParcels(ctx context.Context, tx *db.Tx, orderID int64, lines []AdminLine, e Edit) (*parcelPlan, error) {
	places, perParcel, err := placements(ctx, tx, orderID)
	if err != nil {
		return nil, err
	}
	plan := &parcelPlan{parcels: len(perParcel)}
	fields := map[string]string{}
	for _, l := range lines {
		qty, ok := e.Qty[l.ID]
		ps := places[l.ID]
		if !ok || qty == l.Qty || len(ps) == 0 {
			continue
		}
		field := fmt.Sprintf("qty_%d", l.ID)
		switch p := ps[0]; {
		case len(ps) > 1:
			fields[field] = "order.admin.qty_split"
		case p.Shipped:
			fields[field] = "order.admin.qty_parcel_shipped"
		case qty == 0 && perParcel[p.Parcel] == 1:
			fields[field] = "order.admin.qty_parcel_empty"
		default:
			if qty == 0 {
				perParcel[p.Parcel]--
			}
			plan.items = append(plan.items, parcelItemChange{Parcel: p.Parcel, Line: l.ID, Qty: qty})
		}
	}
	if plan.parcels > 1 {
		var fee int64
		if err := tx.QueryRow(ctx, `SELECT delivery_fee FROM orders WHERE id = ?`, orderID).Scan(&fee); err != nil {
			return nil, err
		}
		if shop.Yen(fee) != e.DeliveryFee {
			fields["delivery_fee"] = "order.admin.fee_split"
		}
	}
	if len(fields) > 0 {
		return nil, &shop.Error{Kind: shop.Invalid, Key: "order.admin.parcels_inconsistent", Fields: fields}
	}
	return plan, nil
}

// apply writes the plan: item quantities, the first parcel's recipient
// (orders.ship_* are the first destination's) while it is at the shop,
// and the fee of an order's only parcel.
func (p *parcelPlan) apply(ctx context.Context, tx *db.Tx, orderID int64, e Edit) error {
	if p.parcels == 0 {
		return nil
	}
	for _, it := range p.items {
		var err error
		if it.Qty == 0 {
			_, err = tx.Exec(ctx, `DELETE FROM shipment_items WHERE shipment_id = ? AND order_line_id = ?`, it.Parcel, it.Line)
		} else {
			_, err = tx.Exec(ctx, `UPDATE shipment_items SET qty = ? WHERE shipment_id = ? AND order_line_id = ?`, it.Qty, it.Parcel, it.Line)
		}
		if err != nil {
			return fmt.Errorf("order: edit parcel item: %w", err)
		}
	}
	a := e.Ship
	_, err := tx.Exec(ctx, `UPDATE shipments SET family_name = ?, given_name = ?, family_kana = ?, given_kana = ?, phone = ?,
		postal_code = ?, pref = ?, city = ?, address1 = ?, address2 = ?
		WHERE id = (SELECT MIN(id) FROM shipments WHERE order_id = ? AND seq = 1) AND shipped_at IS NULL`,
		a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana, a.Phone, a.PostalCode, a.Pref, a.City, a.Address1, a.Address2, orderID)
	if err != nil {
		return fmt.Errorf("order: edit parcel recipient: %w", err)
	}
	if p.parcels == 1 {
		if _, err := tx.Exec(ctx, `UPDATE shipments SET fee = ? WHERE order_id = ? AND shipped_at IS NULL`, int64(e.DeliveryFee), orderID); err != nil {
			return fmt.Errorf("order: edit parcel fee: %w", err)
		}
	}
	return nil
}

// placements returns, for each order line, the planned parcels it is
// packed in, and the number of lines in each parcel.
func placements(ctx context.Context, tx *db.Tx, orderID int64) (map[int64][]placement, map[int64]int, error) {
	rows, err := tx.Query(ctx, `SELECT i.order_line_id, s.id, s.seq, i.qty, s.shipped_at
		FROM shipment_items i JOIN shipments s ON s.id = i.shipment_id WHERE s.order_id = ? ORDER BY s.seq, s.id`, orderID)
	if err != nil {
		return nil, nil, fmt.Errorf("order: parcel items: %w", err)
	}
	defer rows.Close()
	places := map[int64][]placement{}
	perParcel := map[int64]int{}
	for rows.Next() {
		var line int64
		var p placement
		var shipped sql.NullTime
		if err := rows.Scan(&line, &p.Parcel, &p.Seq, &p.Qty, &shipped); err != nil {
			return nil, nil, err
		}
		p.Shipped = shipped.Valid
		places[line] = append(places[line], p)
		perParcel[p.Parcel]++
	}
	return places, perParcel, rows.Err()
}
