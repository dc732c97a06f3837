package eccube

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/akinai/akinai/internal/db"
)

type ecOrder struct {
	ID                                     int64
	Customer, Status, Payment, Pref        id
	No, Name01, Name02, Kana01, Kana02     text
	Email, Phone, Postal, Addr01, Addr02   text
	PaymentMethod, Note                    text
	Subtotal, Discount, Fee, Charge, Total num
	UsePoint                               num
	OrderDate, Created, Updated            stamp
	items                                  []ecItem
	shippings                              []ecShipping
}

type ecItem struct {
	ID                             int64
	Product, Class, Shipping, Type id
	TaxType, Display               id
	Name, Code, Cat1, Cat2         text
	Price, Qty, Tax, Rate          num
}

type ecShipping struct {
	ID                             int64
	Delivery, Pref, Time           id
	Name01, Name02, Kana01, Kana02 text
	Phone, Postal, Addr01, Addr02  text
	DeliveryName, Tracking         text
	DeliveryDate, ShippingDate     stamp
}

// orderStatus maps mtb_order_status to Akinai's statuses (docs/MIGRATING.md
// has the table). 7 決済処理中 and 8 購入処理中 are checkouts that never
// completed and are not orders: they are skipped.
var orderStatus = map[int64]string{1: "new", 6: "paid", 4: "preparing", 3: "cancelled", 5: "shipped", 9: "returned"}

// importOrders imports the order history a batch at a time, each order
// with its lines and shipments in its own transaction.
func (im *Importer) importOrders(ctx context.Context) error {
	total, err := im.Source.count(ctx, "dtb_order")
	if err != nil {
		return err
	}
	done := 0
	return im.batches(ctx, "dtb_order", "", func(ids []int64) error {
		os, err := im.readOrders(ctx, ids)
		if err != nil {
			return err
		}
		for _, o := range os {
			im.order(ctx, o)
			done++
			if done%1000 == 0 || done == total {
				im.progress("orders %d/%d", done, total)
			}
		}
		return nil
	})
}

func (im *Importer) readOrders(ctx context.Context, ids []int64) ([]*ecOrder, error) {
	in, args := inList(ids)
	byID := map[int64]*ecOrder{}
	var os []*ecOrder
	usePoint := im.Source.col("dtb_order", "use_point", "0")
	err := im.Source.each(ctx, `SELECT id, customer_id, order_status_id, payment_id, pref_id, order_no, name01, name02, kana01, kana02, email, phone_number, postal_code, addr01, addr02,
		payment_method, note, subtotal, discount, delivery_fee_total, charge, payment_total, `+usePoint+`, order_date, create_date, update_date
		FROM dtb_order WHERE id IN (`+in+`) ORDER BY id`, args, func(sc func(...any) error) error {
		o := &ecOrder{}
		if err := sc(&o.ID, &o.Customer, &o.Status, &o.Payment, &o.Pref, &o.No, &o.Name01, &o.Name02, &o.Kana01, &o.Kana02, &o.Email, &o.Phone, &o.Postal, &o.Addr01, &o.Addr02,
			&o.PaymentMethod, &o.Note, &o.Subtotal, &o.Discount, &o.Fee, &o.Charge, &o.Total, &o.UsePoint, &o.OrderDate, &o.Created, &o.Updated); err != nil {
			return err
		}
		byID[o.ID] = o
		os = append(os, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = im.Source.each(ctx, `SELECT id, order_id, product_id, product_class_id, shipping_id, order_item_type_id, tax_type_id, tax_display_type_id, product_name, product_code,
		class_category_name1, class_category_name2, price, quantity, tax, tax_rate FROM dtb_order_item WHERE order_id IN (`+in+`) ORDER BY id`, args, func(sc func(...any) error) error {
		var it ecItem
		var oid int64
		if err := sc(&it.ID, &oid, &it.Product, &it.Class, &it.Shipping, &it.Type, &it.TaxType, &it.Display, &it.Name, &it.Code, &it.Cat1, &it.Cat2, &it.Price, &it.Qty, &it.Tax, &it.Rate); err != nil {
			return err
		}
		if o := byID[oid]; o != nil {
			o.items = append(o.items, it)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = im.Source.each(ctx, `SELECT id, order_id, delivery_id, pref_id, time_id, name01, name02, kana01, kana02, phone_number, postal_code, addr01, addr02,
		delivery_name, tracking_number, delivery_date, shipping_date FROM dtb_shipping WHERE order_id IN (`+in+`) ORDER BY order_id, sort_no, id`, args, func(sc func(...any) error) error {
		var s ecShipping
		var oid int64
		if err := sc(&s.ID, &oid, &s.Delivery, &s.Pref, &s.Time, &s.Name01, &s.Name02, &s.Kana01, &s.Kana02, &s.Phone, &s.Postal, &s.Addr01, &s.Addr02,
			&s.DeliveryName, &s.Tracking, &s.DeliveryDate, &s.ShippingDate); err != nil {
			return err
		}
		if o := byID[oid]; o != nil {
			o.shippings = append(o.shippings, s)
		}
		return nil
	})
	return os, err
}

// Order item types (mtb_order_item_type).
const (
	itemProduct  = 1
	itemDelivery = 2
	itemCharge   = 3
	itemDiscount = 4
	itemTax      = 5
	itemPoint    = 6
)

type linePlan struct {
	it               ecItem
	variant, product any
	unit             int64
	rate             int64
	qty              int64
}

// order checks and imports one order.
func (im *Importer) order(ctx context.Context, o *ecOrder) {
	im.rep.seen("order")
	for f, t := range map[string]text{"name01": o.Name01, "name02": o.Name02, "addr01": o.Addr01, "addr02": o.Addr02, "note": o.Note} {
		im.checkText("order", o.ID, f, t)
	}
	status, ok := orderStatus[o.Status.V]
	if !ok {
		if o.Status.V == 7 || o.Status.V == 8 {
			im.rep.skipped("order")
			return
		}
		im.rep.refuse("order", o.ID, "unknown order status %d", o.Status.V)
		return
	}
	if len(o.shippings) == 0 {
		im.rep.refuse("order", o.ID, "the order has no shipping (dtb_shipping)")
		return
	}
	for range o.shippings {
		im.rep.seen("shipment")
	}
	ship := o.shippings[0]
	pref := o.Pref
	if !validPref(pref) {
		pref = ship.Pref
	}
	if !validPref(pref) || !validPref(ship.Pref) {
		im.rep.refuse("order", o.ID, "the buyer's or recipient's address has no prefecture")
		return
	}
	var lines []linePlan
	var rates = map[int64]*struct{ total, tax int64 }{}
	var subtotal int64
	for _, it := range o.items {
		if it.TaxType.V == 1 || !it.TaxType.Valid { // 課税
			r := rates[it.Rate.Int()]
			if r == nil {
				r = &struct{ total, tax int64 }{}
				rates[it.Rate.Int()] = r
			}
			r.total += inclPrice(it) * it.Qty.Int()
			r.tax += it.Tax.Int() * it.Qty.Int()
		}
		if it.Type.V != itemProduct {
			continue
		}
		im.rep.seen("order_line")
		if it.Qty.Int() <= 0 {
			im.rep.refuse("order_line", it.ID, "order %d: quantity %d", o.ID, it.Qty.Int())
			continue
		}
		lp := linePlan{it: it, unit: inclPrice(it), rate: it.Rate.Int(), qty: it.Qty.Int()}
		if lp.unit < 0 {
			im.rep.refuse("order_line", it.ID, "order %d: negative price", o.ID)
			continue
		}
		// Lines of deleted products keep their name, code and price
		// without a link to the catalogue.
		if v, ok := im.mapped("product_class", it.Class.V); ok && it.Class.Valid && v > 0 {
			lp.variant = v
		}
		if p, ok := im.mapped("product", it.Product.V); ok && it.Product.Valid && p > 0 {
			lp.product = p
		}
		subtotal += lp.unit * lp.qty
		lines = append(lines, lp)
	}
	if len(lines) == 0 {
		im.rep.refuse("order", o.ID, "the order has no product line")
		return
	}
	fee, charge, total := o.Fee.Int(), o.Charge.Int(), o.Total.Int()
	// Whatever EC-CUBE took off (値引き, points used) is the difference,
	// so the order's total stays exactly what the customer paid.
	discount := subtotal + fee + charge - total
	if discount < 0 {
		im.rep.warn("order", o.ID, "the lines and fees come to %d yen less than the total paid (%d); the total is kept", -discount, total)
		discount = 0
	}
	var customerID any
	if o.Customer.Valid {
		if n, ok := im.mapped("customer", o.Customer.V); ok && n > 0 {
			customerID = n
		} else if !ok {
			im.rep.warn("order", o.ID, "its customer %d was not imported; the order is kept as a guest order", o.Customer.V)
		}
	}
	method, ok := im.mapped("delivery", ship.Delivery.V)
	if !ok || method <= 0 {
		method = im.fallbackDelivery
	}
	pay := im.payments[o.Payment.V]
	if pay == "" {
		pay = "eccube-unknown"
	}
	number := o.No.S
	if number == "" {
		number = strconv.FormatInt(o.ID, 10)
	}
	existing, had := im.mapped("order", o.ID)
	if im.DryRun {
		im.rep.done("order", had)
		for range lines {
			im.rep.imported("order_line")
		}
		for range o.shippings {
			im.rep.imported("shipment")
		}
		return
	}
	if method == 0 {
		im.rep.refuse("order", o.ID, "no delivery method to attach it to")
		return
	}
	rj := ratesJSON(rates)
	when := o.OrderDate.or(o.Created.or(im.now))
	im.unit(ctx, "order", o.ID, func(tx *db.Tx) ([]func(), error) {
		if had {
			// The history does not change; what may have moved since the
			// last run is the status and the tracking numbers.
			if _, err := tx.Exec(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE id = ?`, status, o.Updated.or(tx.Now()), existing); err != nil {
				return nil, err
			}
			for i, s := range o.shippings {
				if _, err := tx.Exec(ctx, `UPDATE shipments SET tracking_number = ?, shipped_at = ? WHERE order_id = ? AND seq = ?`,
					s.Tracking.S, stampArg(s.ShippingDate), existing, i+1); err != nil {
					return nil, err
				}
			}
			im.rep.done("order", true)
			return nil, nil
		}
		n, err := freeNumber(ctx, tx, number, o.ID)
		if err != nil {
			return nil, err
		}
		if n != number {
			im.rep.warn("order", o.ID, "order number %s is taken; imported as %s", number, n)
		}
		var oid int64
		err = tx.QueryRow(ctx, `INSERT INTO orders (number, idempotency_key, customer_id, status, lang, email,
			family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2,
			ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1, ship_address2,
			delivery_method_id, delivery_date, delivery_slot, payment_method, subtotal, delivery_fee, cod_fee, discount, total, rates, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'ja', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n, "eccube-"+strconv.FormatInt(o.ID, 10), customerID, status, o.Email.S,
			o.Name01.S, o.Name02.S, o.Kana01.S, o.Kana02.S, digits(o.Phone.S), digits(o.Postal.S), pref.V, o.Addr01.S, o.Addr02.S,
			ship.Name01.S, ship.Name02.S, ship.Kana01.S, ship.Kana02.S, digits(ship.Phone.S), digits(ship.Postal.S), ship.Pref.V, ship.Addr01.S, ship.Addr02.S,
			method, ship.DeliveryDate.date(), im.slots[ship.Time.V], pay, subtotal, fee, charge, discount, total, rj, o.Note.S, when, o.Updated.or(when)).Scan(&oid)
		if err != nil {
			return nil, err
		}
		lineIDs := map[int64]int64{}
		for _, l := range lines {
			var lid int64
			if err := tx.QueryRow(ctx, `INSERT INTO order_lines (order_id, variant_id, product_id, name_ja, variant_ja, sku, unit_price, tax_rate_bp, reduced, qty, line_total)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, oid, l.variant, l.product, l.it.Name.S, trimJoin(" / ", l.it.Cat1.S, l.it.Cat2.S), l.it.Code.S,
				l.unit, l.rate*100, l.rate == 8, l.qty, l.unit*l.qty).Scan(&lid); err != nil {
				return nil, err
			}
			lineIDs[l.it.ID] = lid
			im.rep.imported("order_line")
		}
		for i, s := range o.shippings {
			m, ok := im.mapped("delivery", s.Delivery.V)
			if !ok || m <= 0 {
				m = method
			}
			var sid int64
			carrier := s.DeliveryName.S
			if carrier == "" {
				carrier = "-"
			}
			if err := tx.QueryRow(ctx, `INSERT INTO shipments (order_id, carrier, tracking_number, shipped_at, created_at, seq, family_name, given_name, family_kana, given_kana,
				phone, postal_code, pref, city, address1, delivery_method_id, delivery_date, delivery_slot)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, oid, carrier, s.Tracking.S, stampArg(s.ShippingDate), when, i+1,
				s.Name01.S, s.Name02.S, s.Kana01.S, s.Kana02.S, digits(s.Phone.S), digits(s.Postal.S), prefOr(s.Pref, ship.Pref), s.Addr01.S, s.Addr02.S,
				m, s.DeliveryDate.date(), im.slots[s.Time.V]).Scan(&sid); err != nil {
				return nil, err
			}
			for _, l := range lines {
				if l.it.Shipping.V == s.ID || !l.it.Shipping.Valid && i == 0 {
					if _, err := tx.Exec(ctx, `INSERT INTO shipment_items (shipment_id, order_line_id, qty) VALUES (?, ?, ?)`, sid, lineIDs[l.it.ID], l.qty); err != nil {
						return nil, err
					}
				}
			}
			im.rep.imported("shipment")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO order_events (order_id, from_status, to_status, note, created_at) VALUES (?, '', ?, ?, ?)`,
			oid, status, "EC-CUBE 受注ID "+strconv.FormatInt(o.ID, 10), when); err != nil {
			return nil, err
		}
		f1, err := im.remember(ctx, tx, "order", o.ID, oid)
		if err != nil {
			return nil, err
		}
		f2, err := im.remember(ctx, tx, "order_no", number, oid)
		if err != nil {
			return nil, err
		}
		im.rep.done("order", false)
		return []func(){f1, f2}, nil
	})
}

// inclPrice is an item's unit price including tax. Product lines are
// stored 税抜 (tax_display_type 1: price excludes the tax in "tax"); fee,
// charge and discount lines 税込 (2: price already includes it).
func inclPrice(it ecItem) int64 {
	if it.Display.V == 2 {
		return it.Price.Int()
	}
	return it.Price.Int() + it.Tax.Int()
}

// ratesJSON is the order's per-rate totals as orders.rates holds them.
func ratesJSON(rates map[int64]*struct{ total, tax int64 }) string {
	type rt struct {
		Rate    int64 `json:"rate"`
		Reduced bool  `json:"reduced"`
		Total   int64 `json:"total"`
		Tax     int64 `json:"tax"`
	}
	out := []rt{}
	for r, v := range rates {
		if v.total == 0 && v.tax == 0 {
			continue
		}
		out = append(out, rt{Rate: r * 100, Reduced: r == 8, Total: v.total, Tax: v.tax})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rate > out[j].Rate })
	b, _ := json.Marshal(out)
	return string(b)
}

// freeNumber returns want, or want with the EC-CUBE id appended when
// another order has that number.
func freeNumber(ctx context.Context, tx *db.Tx, want string, old int64) (string, error) {
	n := want
	for i := 0; ; i++ {
		var x int
		err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE number = ?`, n).Scan(&x)
		if err != nil || x == 0 {
			return n, err
		}
		n = want + "-EC" + strconv.FormatInt(old, 10)
		if i > 0 {
			n += "-" + strconv.Itoa(i)
		}
	}
}

func stampArg(s stamp) any {
	if !s.Valid {
		return nil
	}
	return s.T
}

func prefOr(p, def id) int64 {
	if validPref(p) {
		return p.V
	}
	return def.V
}
