package orderedit

import (
	"fmt"
	"strings"

	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// Diff is the order-history line of an edit: what changed, before → after,
// in SKUs, symbols and amounts that read the same in both languages
// ("POT-1 ×2→×0; total ¥6,370→¥4,170; 10% tax ¥284→¥84").
func Diff(before, after *order.Order) string {
	type line struct {
		qty   int
		price shop.Yen
	}
	sum := func(o *order.Order) (map[string]line, []string) {
		m := map[string]line{}
		var skus []string
		for _, l := range o.Lines {
			if _, ok := m[l.SKU]; !ok {
				skus = append(skus, l.SKU)
			}
			x := m[l.SKU]
			x.qty += l.Qty
			x.price = l.UnitPrice
			m[l.SKU] = x
		}
		return m, skus
	}
	b, skus := sum(before)
	a, more := sum(after)
	for _, s := range more {
		if _, ok := b[s]; !ok {
			skus = append(skus, s)
		}
	}
	var parts []string
	for _, s := range skus {
		x, y := b[s], a[s]
		if x.qty != y.qty {
			parts = append(parts, fmt.Sprintf("%s ×%d→×%d", s, x.qty, y.qty))
		}
		if x.qty > 0 && y.qty > 0 && x.price != y.price {
			parts = append(parts, fmt.Sprintf("%s ¥%s→¥%s", s, x.price, y.price))
		}
	}
	money := func(name string, x, y shop.Yen) {
		if x != y {
			parts = append(parts, fmt.Sprintf("%s ¥%s→¥%s", name, x, y))
		}
	}
	money("delivery", before.DeliveryFee, after.DeliveryFee)
	money("COD", before.CODFee, after.CODFee)
	money("discount", before.Discount, after.Discount)
	money("total", before.Total, after.Total)
	for _, rb := range before.Rates {
		for _, ra := range after.Rates {
			if ra.Rate == rb.Rate && ra.Tax != rb.Tax {
				parts = append(parts, fmt.Sprintf("%s%% tax ¥%s→¥%s", rb.Rate.Percent(), rb.Tax, ra.Tax))
			}
		}
	}
	if before.Ship != after.Ship {
		parts = append(parts, fmt.Sprintf("ship-to %s%s→%s%s", before.Ship.FamilyName, before.Ship.GivenName, after.Ship.FamilyName, after.Ship.GivenName))
	}
	if before.DeliveryDate != after.DeliveryDate || before.DeliverySlot != after.DeliverySlot {
		parts = append(parts, fmt.Sprintf("delivery %s %s→%s %s", dash(before.DeliveryDate), before.DeliverySlot, dash(after.DeliveryDate), after.DeliverySlot))
	}
	for i := range min(len(before.Parcels), len(after.Parcels)) {
		pb, pa := before.Parcels[i], after.Parcels[i]
		if pb.Ship != pa.Ship || pb.Fee != pa.Fee || pb.Date != pa.Date || pb.Slot != pa.Slot {
			parts = append(parts, fmt.Sprintf("parcel %d: %s ¥%s→%s ¥%s", i+1, pb.Ship.City+pb.Ship.Address1, pb.Fee, pa.Ship.City+pa.Ship.Address1, pa.Fee))
		}
	}
	if len(parts) == 0 {
		return "edit: no change"
	}
	return "edit: " + strings.Join(parts, "; ")
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
