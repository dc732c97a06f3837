package order

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// ShipOneParcel records that one planned parcel of an order left with a
// carrier and tracking number, after claiming the version the page was
// loaded with. The order moves to Shipped (through Move, so a card
// capture is queued exactly once) only when this was the last parcel
// still at the shop; until then its status stays and the parcel count
// tells how far it got. It returns the order's ID and whether the order is
// now shipped. The caller queues the parcel's shipping notice in the same
// transaction. Errors: NotFound (order, or a parcel not of this order);
// ErrVersion; Invalid (field "tracking") for a bad tracking number;
// Conflict "order.cannot_move_to.shipped" from a status that cannot ship
// (awaiting payment, cancelled…); Conflict "order.admin.parcel_already_shipped"
// for a parcel that already left.
func ShipOneParcel(ctx context.Context, tx *db.Tx, number string, version int, parcelID int64, carrier, tracking string) (int64, bool, error) {
	tracking = strings.TrimSpace(tracking)
	if !validTracking(tracking) {
		return 0, false, shop.Invalidf(map[string]string{"tracking": "order.admin.bad_tracking"})
	}
	id, status, err := claim(ctx, tx, number, version)
	if err != nil {
		return 0, false, err
	}
	if status != Shipped && !CanMove(status, Shipped) {
		return 0, false, badMove(Shipped)
	}
	var shipped sql.NullTime
	err = tx.QueryRow(ctx, `SELECT shipped_at FROM shipments WHERE id = ? AND order_id = ?`, parcelID, id).Scan(&shipped)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, shop.ErrNotFound
	}
	if err != nil {
		return 0, false, err
	}
	if shipped.Valid {
		return 0, false, shop.Errorf(shop.Conflict, "order.admin.parcel_already_shipped")
	}
	if err := ShipParcel(ctx, tx, id, parcelID, carrier, tracking); err != nil {
		return 0, false, err
	}
	done, err := afterShipment(ctx, tx, id, number, status, "shipment "+tracking)
	return id, done, err
}

// afterShipment moves an order whose parcels have all left to Shipped, or
// logs the partial shipment when some are still at the shop. It reports
// whether the order is shipped now.
func afterShipment(ctx context.Context, tx *db.Tx, id int64, number string, status Status, note string) (bool, error) {
	var left int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM shipments WHERE order_id = ? AND shipped_at IS NULL`, id).Scan(&left); err != nil {
		return false, err
	}
	switch {
	case left > 0:
		return false, logEvent(ctx, tx, id, status, status, note)
	case status == Shipped:
		return true, logEvent(ctx, tx, id, status, status, note)
	}
	return true, Move(ctx, tx, number, Shipped, note)
}

// ParcelCounts returns how many of an order's parcels have left and how
// many there are.
func ParcelCounts(o *Order) (shipped, total int) {
	for _, p := range o.Parcels {
		if p.ShippedAt != nil {
			shipped++
		}
	}
	return shipped, len(o.Parcels)
}
