package orderedit

import (
	"context"
	"strconv"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// refee sets the fee of every parcel of o still at the shop to what its
// delivery method charges for it now, with the checkout's own rule: the
// parcel's size class from its items (delivery.ParcelSize; a line the
// change removes no longer counts, a line it adds is in the first parcel
// at the shop) and the fee for that size to the recipient's prefecture
// as changed (delivery.ParcelFee). Errors: Invalid on "delivery_fee"
// (one parcel) or "p<id>_fee" when the method does not deliver there.
func refee(ctx context.Context, tx *db.Tx, o *order.Order, c *Change) error {
	rows, err := tx.Query(ctx, `SELECT si.shipment_id, si.order_line_id, COALESCE(p.parcel_size, 0)
		FROM shipment_items si JOIN order_lines ol ON ol.id = si.order_line_id
		LEFT JOIN products p ON p.id = ol.product_id WHERE ol.order_id = ?`, o.ID)
	if err != nil {
		return err
	}
	sizes := map[int64][]int{}
	for rows.Next() {
		var parcel, line int64
		var size int
		if err := rows.Scan(&parcel, &line, &size); err != nil {
			rows.Close()
			return err
		}
		if q, ok := c.Qty[line]; ok && q == 0 {
			continue
		}
		sizes[parcel] = append(sizes[parcel], size)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ms, err := delivery.AllMethods(ctx, tx)
	if err != nil {
		return err
	}
	methods := map[int64]delivery.Method{}
	for _, m := range ms {
		methods[m.ID] = m
	}
	fee := func(p order.Parcel, pref int, field string) (shop.Yen, error) {
		f, err := delivery.ParcelFee(ctx, tx, methods[p.Method], pref, delivery.ParcelSize(sizes[p.ID]))
		if shop.KindOf(err) == shop.NotFound {
			return 0, shop.Invalidf(map[string]string{field: "sizes.no_fee"})
		}
		return f, err
	}
	if len(o.Parcels) < 2 {
		c.DeliveryFee, err = fee(o.Parcels[0], c.Ship.Pref, "delivery_fee")
		return err
	}
	for i := range c.Parcels {
		pc := &c.Parcels[i]
		for _, p := range o.Parcels {
			if p.ID == pc.ID {
				if pc.Fee, err = fee(p, pc.Ship.Pref, "p"+strconv.FormatInt(p.ID, 10)+"_fee"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
