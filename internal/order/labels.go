package order

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// LabelParcel is one parcel still at the shop, with what a carrier's
// label needs: its order, recipient, requested date and slot, the
// delivery method's cool setting, and its contents.
type LabelParcel struct {
	ParcelID int64
	Seq      int // 1, 2, … in the order
	Parcels  int // the order's number of parcels
	OrderID  int64
	Number   string
	Payment  string
	Total    shop.Yen
	Tax      shop.Yen // the order's consumption tax, all rates
	Ship     Address
	Date     string // YYYY-MM-DD or ""
	Slot     string // the delivery method's slot code ("am", "14_16") or ""
	Method   string // delivery method code
	Cool     string // "", "chilled" or "frozen"
	Items    []LabelItem
	// Carrier, Tracking and ShippedAt are set once the parcel has left.
	Carrier, Tracking string
	ShippedAt         sql.NullTime
}

// LabelItem is a line's name and quantity in a parcel.
type LabelItem struct {
	Name string
	Qty  int
}

// labelPage is how many parcels EachLabelParcel reads at once.
const labelPage = 500

// EachLabelParcel calls fn for every parcel not shipped yet of the orders
// f selects, in parcel order, reading pages of labelPage parcels (and
// their items in one query a page), so an export of any size holds one
// page in memory.
func EachLabelParcel(ctx context.Context, q db.Queryer, f Filter, fn func(*LabelParcel) error) error {
	return EachParcel(ctx, q, f, false, fn)
}

// EachParcel is EachLabelParcel for every parcel, shipped or not, when
// all is set.
func EachParcel(ctx context.Context, q db.Queryer, f Filter, all bool, fn func(*LabelParcel) error) error {
	// Driven by the parcels in ID order, each checked against the filter
	// (EXISTS): a page costs the rows it scans, not the whole selection,
	// which an IN (subquery) made PostgreSQL sort for every page.
	where, args := f.where()
	where = strings.Replace(where, " WHERE ", " AND ", 1)
	atShop := " AND s.shipped_at IS NULL"
	if all {
		atShop = ""
	}
	var last int64
	for {
		rows, err := q.Query(ctx, `SELECT s.id, s.seq, o.id, o.number, o.payment_method, o.total, o.rates,
			s.family_name, s.given_name, s.family_kana, s.given_kana, s.phone, s.postal_code, s.pref, s.city, s.address1, s.address2,
			s.delivery_date, s.delivery_slot, COALESCE(m.code, ''), COALESCE(m.cool, ''),
			(SELECT COUNT(*) FROM shipments s2 WHERE s2.order_id = o.id), s.carrier, s.tracking_number, s.shipped_at
			FROM shipments s JOIN orders o ON o.id = s.order_id LEFT JOIN delivery_methods m ON m.id = s.delivery_method_id
			WHERE s.id > ?`+atShop+` AND EXISTS (SELECT 1 FROM orders f WHERE f.id = s.order_id`+where+`)
			ORDER BY s.id LIMIT ?`, append(append([]any{last}, args...), labelPage)...)
		if err != nil {
			return err
		}
		var page []*LabelParcel
		for rows.Next() {
			p := &LabelParcel{}
			var total int64
			var rates string
			a := &p.Ship
			if err := rows.Scan(&p.ParcelID, &p.Seq, &p.OrderID, &p.Number, &p.Payment, &total, &rates,
				&a.FamilyName, &a.GivenName, &a.FamilyKana, &a.GivenKana, &a.Phone, &a.PostalCode, &a.Pref, &a.City, &a.Address1, &a.Address2,
				&p.Date, &p.Slot, &p.Method, &p.Cool, &p.Parcels, &p.Carrier, &p.Tracking, &p.ShippedAt); err != nil {
				rows.Close()
				return err
			}
			p.Total = shop.Yen(total)
			var rts []RateTotal
			_ = json.Unmarshal([]byte(rates), &rts)
			for _, rt := range rts {
				p.Tax += rt.Tax
			}
			page = append(page, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := labelItems(ctx, q, page); err != nil {
			return err
		}
		for _, p := range page {
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(page) < labelPage {
			return nil
		}
		last = page[len(page)-1].ParcelID
	}
}

// labelItems fills the pages' items in one query.
func labelItems(ctx context.Context, q db.Queryer, page []*LabelParcel) error {
	byID := make(map[int64]*LabelParcel, len(page))
	args := make([]any, 0, len(page))
	for _, p := range page {
		byID[p.ParcelID] = p
		args = append(args, p.ParcelID)
	}
	rows, err := q.Query(ctx, `SELECT si.shipment_id, l.name_ja, l.variant_ja, si.qty FROM shipment_items si JOIN order_lines l ON l.id = si.order_line_id
		WHERE si.shipment_id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY si.shipment_id, l.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, variant string
		var qty int
		if err := rows.Scan(&id, &name, &variant, &qty); err != nil {
			return err
		}
		if variant != "" {
			name += " " + variant
		}
		byID[id].Items = append(byID[id].Items, LabelItem{Name: name, Qty: qty})
	}
	return rows.Err()
}
