package admin

import (
	"context"
	"fmt"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// BulkNotice prepares the bulk action "send the shipping notice" for
// order.BulkWorker: each selected order that has left the shop gets the
// notice of every parcel shipped, queued in the order's own transaction
// and audit-logged in the name of the admin who started the job. An order
// with no parcel shipped is refused ("order.bulk.not_shipped"). The shop's
// settings and the carriers are read once, before any transaction.
func (h *Handlers) BulkNotice(ctx context.Context, _ *order.BulkJob) (order.BulkFunc, error) {
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := carriers(ctx, h.DB)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, tx *db.Tx, job *order.BulkJob, it order.BulkItem) error {
		number := it.Number
		o, err := order.ByNumber(ctx, tx, number)
		if err != nil {
			return err
		}
		sent := 0
		for i, p := range o.Parcels {
			if p.ShippedAt == nil {
				continue
			}
			data := shopMailData(sh, o)
			data.Tracking = p.Tracking
			for _, c := range cs {
				if c.Code == p.Carrier {
					data.Carrier, data.TrackingURL = c.Name(o.Lang == "en"), c.URL(p.Tracking)
				}
			}
			data.setParcel(o, i)
			if err := queueShipped(ctx, tx, o, data); err != nil {
				return err
			}
			sent++
		}
		if sent == 0 {
			return shop.Errorf(shop.Conflict, "order.bulk.not_shipped")
		}
		_, err = audit.Append(ctx, tx, order.BulkAudit(job, "order.notice_sent", number, map[string]any{"parcels": sent}))
		return err
	}, nil
}

// BulkShip prepares the tracking import's action for order.BulkWorker:
// each order's parcels listed in its item are shipped with the job's
// carrier and their tracking numbers (order.ShipOneParcel, which moves
// the order to shipped with its last parcel and queues a card capture),
// and each parcel's shipping notice is queued, in the order's own
// transaction, audit-logged in the name of the admin who applied the
// import.
func (h *Handlers) BulkShip(ctx context.Context, job *order.BulkJob) (order.BulkFunc, error) {
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := carriers(ctx, h.DB)
	if err != nil {
		return nil, err
	}
	var c *carrier
	for i := range cs {
		if cs[i].Code == job.Param {
			c = &cs[i]
		}
	}
	if c == nil {
		return nil, fmt.Errorf("bulk job %d: unknown carrier %q", job.ID, job.Param)
	}
	return func(ctx context.Context, tx *db.Tx, job *order.BulkJob, it order.BulkItem) error {
		parcels, err := order.ShipParcels(it.Param)
		if err != nil {
			return err
		}
		o, err := order.ByNumber(ctx, tx, it.Number)
		if err != nil {
			return err
		}
		for _, pp := range parcels {
			_, version, err := order.Version(ctx, tx, it.Number)
			if err != nil {
				return err
			}
			if _, _, err := order.ShipOneParcel(ctx, tx, it.Number, version, pp.ParcelID, c.Code, pp.Tracking); err != nil {
				return err
			}
			data := shopMailData(sh, o)
			data.Carrier, data.Tracking, data.TrackingURL = c.Name(o.Lang == "en"), pp.Tracking, c.URL(pp.Tracking)
			for i, p := range o.Parcels {
				if p.ID == pp.ParcelID {
					data.setParcel(o, i)
				}
			}
			if err := queueShipped(ctx, tx, o, data); err != nil {
				return err
			}
			if _, err := audit.Append(ctx, tx, order.BulkAudit(job, "order.parcel_shipped", it.Number,
				map[string]any{"carrier": c.Code, "tracking": pp.Tracking})); err != nil {
				return err
			}
		}
		return nil
	}, nil
}
