package customer

import (
	"context"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
)

// parcelView is one destination of an order on My Page: where, how and
// when it goes, what is in it and whether it has left.
type parcelView struct {
	Seq               int
	Ship              order.Address
	Pref              string
	Method, Date      string
	Slot              string
	Items             []parcelItem
	Carrier, Tracking string
	ShippedAt         *time.Time
}

type parcelItem struct {
	Name, Variant string
	Qty           int
}

// parcelViews describes every destination of o in the reader's language
// (en): a split order lists each address with its own items, not only the
// first one.
func parcelViews(ctx context.Context, q db.Queryer, o *order.Order, en bool) ([]parcelView, error) {
	methods, err := delivery.Methods(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []parcelView
	for _, p := range o.Parcels {
		v := parcelView{Seq: p.Seq, Ship: p.Ship, Date: calendar.LabelOf(p.Date, en), Carrier: p.Carrier, Tracking: p.Tracking}
		if p.ShippedAt != nil {
			t := p.ShippedAt.In(calendar.Tokyo())
			v.ShippedAt = &t
		}
		if pr, ok := jp.PrefectureByCode(p.Ship.Pref); ok {
			v.Pref = pick(en, pr.Name, pr.NameEn)
		}
		for _, m := range methods {
			if m.ID != p.Method {
				continue
			}
			v.Method = pick(en, m.NameJA, m.NameEN)
			if s, ok := m.Slot(p.Slot); ok {
				v.Slot = pick(en, s.LabelJA, s.LabelEN)
			}
		}
		for _, it := range p.Items {
			if it.Line < 0 || it.Line >= len(o.Lines) {
				continue
			}
			l := o.Lines[it.Line]
			v.Items = append(v.Items, parcelItem{Name: pick(en, l.NameJA, l.NameEN), Variant: pick(en, l.VariantJA, l.VariantEN), Qty: it.Qty})
		}
		out = append(out, v)
	}
	return out, nil
}

func pick(en bool, ja, e string) string {
	if en && e != "" {
		return e
	}
	return ja
}
