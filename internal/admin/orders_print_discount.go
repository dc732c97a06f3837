package admin

import (
	"context"

	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/invoicepdf"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/points"
	"github.com/akinai/akinai/internal/shop"
)

// discountLines are the invoice's discount rows, as negative amounts:
// the coupon, the points and any other discount of o. The per-rate totals
// printed below them are already after the discounts (invoice.Compute).
func discountLines(ctx context.Context, q db.Queryer, o *order.Order, lang i18n.Lang) ([]invoicepdf.Fee, error) {
	if o.Discount == 0 {
		return nil, nil
	}
	var out []invoicepdf.Fee
	left := o.Discount
	u, err := coupon.OfOrder(ctx, q, o.ID)
	if err != nil {
		return nil, err
	}
	if u != nil {
		out = append(out, invoicepdf.Fee{Label: i18n.T(lang, "loyalty.pdf.coupon", u.Code), Amount: -u.Discount})
		left -= u.Discount
	}
	p, err := points.OfOrder(ctx, q, o.ID)
	if err != nil {
		return nil, err
	}
	if p.Spent > 0 {
		out = append(out, invoicepdf.Fee{Label: i18n.T(lang, "loyalty.pdf.points", p.Spent), Amount: -shop.Yen(p.Spent)})
		left -= shop.Yen(p.Spent)
	}
	if left > 0 {
		out = append(out, invoicepdf.Fee{Label: i18n.T(lang, "loyalty.pdf.other"), Amount: -left})
	}
	return out, nil
}
