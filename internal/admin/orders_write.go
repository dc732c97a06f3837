package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/orderedit"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// formVersion reads the version the page was loaded with.
func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

// yenField parses a non-negative amount of yen ("1,100" accepted).
func yenField(s string) (shop.Yen, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 10_000_000 {
		return 0, false
	}
	return shop.Yen(n), true
}

// parseShip reads the recipient fields ("ship_…") of the edit form.
func parseShip(r *http.Request, fields map[string]string) order.Address {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue("ship_" + k)) }
	a := order.Address{FamilyName: v("family_name"), GivenName: v("given_name"), City: v("city"), Address1: v("address1"), Address2: v("address2")}
	for k, s := range map[string]string{"family_name": a.FamilyName, "given_name": a.GivenName, "city": a.City, "address1": a.Address1} {
		if s == "" {
			fields["ship_"+k] = "admin.orders.required"
		}
	}
	for k, s := range map[string]string{"family_name": a.FamilyName, "given_name": a.GivenName, "city": a.City, "address1": a.Address1, "address2": a.Address2} {
		if utf8.RuneCountInString(s) > 100 {
			fields["ship_"+k] = "admin.orders.too_long"
		}
	}
	var err error
	if a.FamilyKana, err = jp.Kana(v("family_kana")); err != nil {
		fields["ship_family_kana"] = "admin.orders.bad_kana"
	}
	if a.GivenKana, err = jp.Kana(v("given_kana")); err != nil {
		fields["ship_given_kana"] = "admin.orders.bad_kana"
	}
	if a.Phone, err = jp.Phone(v("phone")); err != nil {
		fields["ship_phone"] = "admin.orders.bad_phone"
	}
	if a.PostalCode, err = jp.PostalCode(v("postal_code")); err != nil {
		fields["ship_postal_code"] = "admin.orders.bad_postal"
	}
	a.Pref, _ = strconv.Atoi(v("pref"))
	if _, ok := jp.PrefectureByCode(a.Pref); !ok {
		fields["ship_pref"] = "admin.orders.bad_pref"
	}
	return a
}

// orderEdit saves the lines' quantities, the recipient and the fees,
// recomputing the totals and tax per rate and adjusting the stock.
// POST /{admin}/orders/{number}/edit
func (h *Handlers) orderEdit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	if err := r.ParseForm(); err != nil {
		return shop.Errorf(shop.Invalid, "error.bad_request")
	}
	fields := map[string]string{}
	e := order.Edit{Number: number, Version: formVersion(r), Qty: map[int64]int{}, Ship: parseShip(r, fields),
		Note: strings.TrimSpace(r.PostFormValue("note"))}
	var ok bool
	if e.DeliveryFee, ok = yenField(r.PostFormValue("delivery_fee")); !ok {
		fields["delivery_fee"] = "admin.orders.bad_amount"
	}
	if e.CODFee, ok = yenField(r.PostFormValue("cod_fee")); !ok {
		fields["cod_fee"] = "admin.orders.bad_amount"
	}
	for k, vs := range r.PostForm {
		id, found := strings.CutPrefix(k, "qty_")
		if !found {
			continue
		}
		lid, err1 := strconv.ParseInt(id, 10, 64)
		qty, err2 := strconv.Atoi(strings.TrimSpace(vs[0]))
		if err1 != nil || err2 != nil || qty < 0 || qty > 9999 {
			fields[k] = "admin.orders.bad_qty"
			continue
		}
		e.Qty[lid] = qty
	}
	if utf8.RuneCountInString(e.Note) > 500 {
		fields["note"] = "admin.orders.too_long"
	}
	if len(fields) > 0 {
		return h.refuseOrderForm(w, r, shop.Invalidf(fields))
	}
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return err
	}
	e.Rounding = sh.Rounding
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		before, err := order.ByNumber(ctx, tx, number)
		if err != nil {
			return err
		}
		o, err := order.ApplyEdit(ctx, tx, e)
		if err != nil {
			return err
		}
		// A paid order that now owes less is refunded the difference, as
		// on the 受注編集 screen (a card refund is sent by its worker).
		details := map[string]any{"before": order.EditSummary(before), "after": order.EditSummary(o), "note": e.Note}
		rf, err := orderedit.Settle(ctx, tx, before, o, AuditEntry(r, "", "", nil).Actor, e.Note, e.Rounding)
		if err != nil {
			return err
		}
		if rf != nil {
			details["refund"] = map[string]any{"id": rf.ID, "amount": int64(rf.Amount), "method": rf.Method}
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "order.edited", number, details))
		return err
	})
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	return h.flashBack(w, r, "admin.orders.saved", "/orders/"+number)
}

// orderStatus moves an order to another status, if the move is allowed.
// POST /{admin}/orders/{number}/status
func (h *Handlers) orderStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	to := order.Status(r.PostFormValue("status"))
	note := strings.TrimSpace(r.PostFormValue("note"))
	if !to.Valid() || to == order.Shipped || utf8.RuneCountInString(note) > 500 {
		return h.refuseOrderForm(w, r, shop.Invalidf(map[string]string{"status": "admin.orders.bad_status"}))
	}
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := order.MoveChecked(ctx, tx, number, formVersion(r), to, note); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "order.status", number, map[string]any{"to": string(to)}))
		return err
	})
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	return h.flashBack(w, r, "admin.orders.saved", "/orders/"+number)
}

// shippedMail is the data of the order_shipped and order_message mails.
type shippedMail struct {
	ShopName, ShopEmail, ShopPhone string
	Number                         string
	Name                           string
	Carrier, Tracking, TrackingURL string
	Subject, Body                  string
	// Parcel is the number of the parcel the notice is about and Parcels
	// the order's count of planned parcels; the template names the parcel,
	// its recipient and its contents only when Parcels > 1, so a
	// one-parcel order's notice reads as it always did.
	Parcel, Parcels int
	Recipient       string
	Items           []shippedItem
}

func (h *Handlers) mailData(ctx context.Context, o *order.Order) (*shippedMail, error) {
	sh, err := h.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	return shopMailData(sh, o), nil
}

// shopMailData is mailData with the shop's settings already read.
func shopMailData(sh settings.Shop, o *order.Order) *shippedMail {
	lang, _ := i18n.Parse(o.Lang)
	return &shippedMail{ShopName: sh.DisplayName(lang), ShopEmail: sh.Email, ShopPhone: sh.Phone,
		Number: o.Number, Name: o.Buyer.FamilyName + " " + o.Buyer.GivenName}
}

// shipForm reads the carrier and tracking number posted to ship o and
// prepares the shipping notice with them; the caller names the parcel.
// Errors: Invalid (field "carrier") for a carrier the shop does not
// offer; database errors as they come.
func (h *Handlers) shipForm(ctx context.Context, r *http.Request, o *order.Order) (*carrier, *shippedMail, error) {
	cs, err := carriers(ctx, h.DB)
	if err != nil {
		return nil, nil, err
	}
	var c *carrier
	for i := range cs {
		if cs[i].Code == r.PostFormValue("carrier") {
			c = &cs[i]
		}
	}
	if c == nil {
		return nil, nil, shop.Invalidf(map[string]string{"carrier": "admin.orders.bad_carrier"})
	}
	tracking := strings.TrimSpace(r.PostFormValue("tracking"))
	data, err := h.mailData(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	data.Carrier, data.Tracking, data.TrackingURL = c.Name(o.Lang == "en"), tracking, c.URL(tracking)
	return c, data, nil
}

// queueShipped queues the shipping notice data to o's customer in tx.
func queueShipped(ctx context.Context, tx *db.Tx, o *order.Order, data *shippedMail) error {
	m, err := mail.Compose(ctx, tx, "order_shipped", o.Lang, o.Email, data)
	if err != nil {
		return err
	}
	_, err = mail.Enqueue(ctx, tx, m.About(o.Number, o.CustomerID))
	return err
}

// orderShip records a shipment with its carrier and tracking number,
// marks the order shipped and queues the shipping notice to the customer,
// all in one transaction. POST /{admin}/orders/{number}/ship
func (h *Handlers) orderShip(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	o, err := order.ByNumber(ctx, h.DB, number)
	if err != nil {
		return err
	}
	c, data, err := h.shipForm(ctx, r, o)
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	// order.Ship fills the first planned parcel still at the shop.
	for i, p := range o.Parcels {
		if p.ShippedAt == nil {
			data.setParcel(o, i)
			break
		}
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := order.Ship(ctx, tx, number, formVersion(r), c.Code, data.Tracking); err != nil {
			return err
		}
		if err := queueShipped(ctx, tx, o, data); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "order.shipped", number, map[string]any{"carrier": c.Code, "tracking": data.Tracking}))
		return err
	})
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	return h.flashBack(w, r, "admin.orders.shipped", "/orders/"+number)
}

// orderNote adds an internal note. POST /{admin}/orders/{number}/note
func (h *Handlers) orderNote(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		id, _, err := order.Version(ctx, tx, number)
		if err != nil {
			return err
		}
		if err := order.AddNote(ctx, tx, id, order.Note{Kind: "note", Author: Current(r).Email, Body: r.PostFormValue("body")}); err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "order.note", number, nil))
		return err
	})
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	return h.flashBack(w, r, "admin.orders.noted", "/orders/"+number+"#notes")
}

// orderMessage sends the customer a message about the order with the
// order_message template (greeting, the text, the order number, the
// shop's signature), queued in the transaction that records it.
// POST /{admin}/orders/{number}/message
func (h *Handlers) orderMessage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	number := r.PathValue("number")
	o, err := order.ByNumber(ctx, h.DB, number)
	if err != nil {
		return err
	}
	subject := strings.TrimSpace(r.PostFormValue("subject"))
	body := strings.TrimSpace(r.PostFormValue("body"))
	fields := map[string]string{}
	if subject == "" || utf8.RuneCountInString(subject) > 100 || strings.ContainsAny(subject, "\r\n") {
		fields["subject"] = "admin.orders.bad_subject"
	}
	if body == "" || utf8.RuneCountInString(body) > order.MaxNote {
		fields["body"] = "admin.orders.bad_note"
	}
	if len(fields) > 0 {
		return h.refuseOrderForm(w, r, shop.Invalidf(fields))
	}
	data, err := h.mailData(ctx, o)
	if err != nil {
		return err
	}
	data.Subject, data.Body = subject, body
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		m, err := mail.Compose(ctx, tx, "order_message", o.Lang, o.Email, data)
		if err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, m.About(o.Number, o.CustomerID)); err != nil {
			return err
		}
		if err := order.AddNote(ctx, tx, o.ID, order.Note{Kind: "message", Author: Current(r).Email, Subject: subject, Body: body}); err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "order.message", number, map[string]any{"subject": subject}))
		return err
	})
	if err != nil {
		return h.refuseOrderForm(w, r, err)
	}
	return h.flashBack(w, r, "admin.orders.message_sent", "/orders/"+number+"#notes")
}
