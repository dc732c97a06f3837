package orderedit

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// yen parses an amount of yen typed by the operator ("1,100" accepted).
// ok is false for anything else, negative amounts included.
func yen(s string) (shop.Yen, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 100_000_000 {
		return 0, false
	}
	return shop.Yen(n), true
}

// address reads the recipient fields named prefix+"family_name" … and
// puts a message by each bad one into fields.
func address(r *http.Request, prefix string, fields map[string]string) order.Address {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(prefix + k)) }
	a := order.Address{FamilyName: v("family_name"), GivenName: v("given_name"), City: v("city"), Address1: v("address1"), Address2: v("address2")}
	for k, s := range map[string]string{"family_name": a.FamilyName, "given_name": a.GivenName, "city": a.City, "address1": a.Address1, "address2": a.Address2} {
		switch {
		case s == "" && k != "address2":
			fields[prefix+k] = "admin.orders.required"
		case utf8.RuneCountInString(s) > 100:
			fields[prefix+k] = "admin.orders.too_long"
		}
	}
	var err error
	if a.FamilyKana, err = jp.Kana(v("family_kana")); err != nil {
		fields[prefix+"family_kana"] = "admin.orders.bad_kana"
	}
	if a.GivenKana, err = jp.Kana(v("given_kana")); err != nil {
		fields[prefix+"given_kana"] = "admin.orders.bad_kana"
	}
	if a.Phone, err = jp.Phone(v("phone")); err != nil {
		fields[prefix+"phone"] = "admin.orders.bad_phone"
	}
	if a.PostalCode, err = jp.PostalCode(v("postal_code")); err != nil {
		fields[prefix+"postal_code"] = "admin.orders.bad_postal"
	}
	a.Pref, _ = strconv.Atoi(v("pref"))
	if _, ok := jp.PrefectureByCode(a.Pref); !ok {
		fields[prefix+"pref"] = "admin.orders.bad_pref"
	}
	return a
}

// when reads a delivery date ("" for 指定なし) and slot of method m.
func when(r *http.Request, prefix string, m delivery.Method, fields map[string]string) (string, string) {
	date := strings.TrimSpace(r.PostFormValue(prefix + "date"))
	if date != "" {
		if _, err := time.Parse("2006-01-02", date); err != nil {
			fields[prefix+"date"] = "orderedit.bad_date"
		}
	}
	slot := r.PostFormValue(prefix + "slot")
	if _, ok := m.Slot(slot); slot != "" && !ok {
		fields[prefix+"slot"] = "orderedit.bad_slot"
	}
	return date, slot
}

// readChange reads the edit form of o into a Change; bad fields get a
// message each in fields.
func readChange(r *http.Request, o *order.Order, lines []order.AdminLine, methods map[int64]delivery.Method, fields map[string]string) Change {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	c := Change{Edit: order.Edit{Number: o.Number, Version: version, Qty: map[int64]int{}, Note: strings.TrimSpace(r.PostFormValue("note"))},
		Prices: map[int64]shop.Yen{}}
	for _, l := range lines {
		qk, pk := "qty_"+strconv.FormatInt(l.ID, 10), "price_"+strconv.FormatInt(l.ID, 10)
		q, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(qk)))
		if err != nil || q < 0 || q > 9999 {
			fields[qk] = "admin.orders.bad_qty"
		} else {
			c.Qty[l.ID] = q
		}
		s := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue(pk)), ",", "")
		if p, err := strconv.ParseInt(s, 10, 64); err != nil {
			fields[pk] = "orderedit.bad_price"
		} else if shop.Yen(p) != l.UnitPrice {
			c.Prices[l.ID] = shop.Yen(p) // a negative one is refused by Apply, on its field
		}
	}
	if sku := strings.TrimSpace(r.PostFormValue("add_sku")); sku != "" {
		q, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("add_qty")))
		if err != nil {
			q = 0 // refused by Apply on add_qty
		}
		c.Add = []AddLine{{SKU: sku, Qty: q}}
	}
	for name, dst := range map[string]*shop.Yen{"discount": &c.Discount, "delivery_fee": &c.DeliveryFee, "cod_fee": &c.CODFee} {
		var ok bool
		if *dst, ok = yen(r.PostFormValue(name)); !ok {
			fields[name] = "orderedit.bad_amount"
		}
	}
	if len(o.Parcels) > 1 {
		for _, p := range o.Parcels {
			if p.ShippedAt != nil {
				continue
			}
			prefix := "p" + strconv.FormatInt(p.ID, 10) + "_"
			pc := ParcelChange{ID: p.ID, Ship: address(r, prefix+"ship_", fields)}
			var ok bool
			if pc.Fee, ok = yen(r.PostFormValue(prefix + "fee")); !ok {
				fields[prefix+"fee"] = "orderedit.bad_amount"
			}
			pc.Date, pc.Slot = when(r, prefix, methods[p.Method], fields)
			c.Parcels = append(c.Parcels, pc)
		}
	} else {
		c.Ship = address(r, "ship_", fields)
		c.DeliveryDate, c.DeliverySlot = when(r, "", methods[o.DeliveryMethod], fields)
	}
	c.Refee = r.PostFormValue("refee") == "1"
	if utf8.RuneCountInString(c.Note) > 500 {
		fields["note"] = "admin.orders.too_long"
	}
	return c
}
