package cart

import (
	"context"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/rank"
	"github.com/akinai/akinai/internal/shop"
)

// memberDiscount is what the rank of the signed-in customer will take
// off the cart's lines at checkout (per rate, as invoice.ItemDiscount and
// the checkout compute it), for the cart page. A guest (customerID 0) or
// a customer in no rank gets 0.
func memberDiscount(ctx context.Context, q db.Queryer, customerID int64, c *Cart) (int, shop.Yen, error) {
	if customerID == 0 {
		return 0, 0, nil
	}
	r, ok, err := rank.OfCustomer(ctx, q, customerID)
	if err != nil || !ok || r.Percent == 0 {
		return 0, 0, err
	}
	var lines []invoice.Line
	for _, l := range c.Lines {
		lines = append(lines, invoice.Line{Rate: l.Rate, UnitPrice: l.UnitPrice, Qty: l.Qty})
	}
	return r.Percent, invoice.ItemDiscount(lines, r.Percent), nil
}
