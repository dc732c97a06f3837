package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// shippedItem is a line of a parcel in the shipping notice.
type shippedItem struct {
	Name string
	Qty  int
}

// setParcel fills the notice's parcel fields from o.Parcels[i], in the
// order's language.
func (m *shippedMail) setParcel(o *order.Order, i int) {
	p := o.Parcels[i]
	m.Parcel, m.Parcels = p.Seq, len(o.Parcels)
	m.Recipient = p.Ship.FamilyName + " " + p.Ship.GivenName
	m.Items = parcelItems(o, p, o.Lang == "en")
}

// parcelItems names a parcel's lines and quantities.
func parcelItems(o *order.Order, p order.Parcel, en bool) []shippedItem {
	var out []shippedItem
	for _, it := range p.Items {
		l := o.Lines[it.Line]
		name := pickLang(en, l.NameJA, l.NameEN)
		if v := pickLang(en, l.VariantJA, l.VariantEN); v != "" {
			name += " (" + v + ")"
		}
		out = append(out, shippedItem{Name: name, Qty: it.Qty})
	}
	return out
}

// parcelView is a planned parcel as the order page shows it.
type parcelView struct {
	order.Parcel
	Pref, Method, Slot string
	Carrier, URL       string // once shipped
	Items              []shippedItem
}

// parcelViews describes o's parcels in the page's language.
func parcelViews(ctx context.Context, q db.Queryer, o *order.Order, cs []carrier, en bool) ([]parcelView, error) {
	var out []parcelView
	for _, p := range o.Parcels {
		v := parcelView{Parcel: p, Pref: prefName(p.Ship.Pref, en)}
		for _, c := range cs {
			if c.ID == p.Method {
				v.Method = c.Name(en)
			}
			if p.ShippedAt != nil && c.Code == p.Carrier {
				v.Carrier, v.URL = c.Name(en), c.URL(p.Tracking)
			}
		}
		if p.Slot != "" {
			var ja, e string
			if err := q.QueryRow(ctx, `SELECT label_ja, label_en FROM delivery_slots WHERE method_id = ? AND code = ?`, p.Method, p.Slot).Scan(&ja, &e); err == nil {
				v.Slot = pickLang(en, ja, e)
			}
		}
		v.Items = parcelItems(o, p, en)
		out = append(out, v)
	}
	return out, nil
}

// orderShipParcel records that one parcel of a split order left with its
// carrier and tracking number and queues that parcel's shipping notice;
// the order becomes shipped with its last parcel.
// POST /{admin}/orders/{number}/parcels/{parcel}/ship
func (h *Handlers) orderShipParcel(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	parcelID, err := strconv.ParseInt(r.PathValue("parcel"), 10, 64)
	if err != nil {
		return shop.ErrNotFound
	}
	o, err := order.ByNumber(ctx, h.DB, number)
	if err != nil {
		return err
	}
	idx := -1
	for i, p := range o.Parcels {
		if p.ID == parcelID {
			idx = i
		}
	}
	if idx < 0 {
		return shop.ErrNotFound
	}
	c, data, err := h.shipForm(ctx, r, o)
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	data.setParcel(o, idx)
	var done bool
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if _, done, err = order.ShipOneParcel(ctx, tx, number, formVersion(r), parcelID, c.Code, data.Tracking); err != nil {
			return err
		}
		if err := queueShipped(ctx, tx, o, data); err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "order.parcel_shipped", number,
			map[string]any{"parcel": data.Parcel, "carrier": c.Code, "tracking": data.Tracking, "order_shipped": done}))
		return err
	})
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	return h.flashBack(w, r, "admin.orders.parcel_shipped", "/orders/"+number+"#parcels")
}
