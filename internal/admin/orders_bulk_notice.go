package admin

import (
	"context"

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
	return func(ctx context.Context, tx *db.Tx, job *order.BulkJob, _ int64, number string) error {
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
