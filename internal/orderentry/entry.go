// Package orderentry is 受注登録: orders an operator takes by phone, fax
// or at the shop counter. The operator picks a customer or types a buyer,
// adds lines found by name or SKU, chooses delivery and payment and may
// set the fees and a discount; the order is then priced, taxed, reserved
// and mailed by the storefront checkout itself (checkout.Service), from a
// cart made for the purpose, so an order taken by the shop can never be
// priced differently from one placed by the customer.
package orderentry

import (
	"context"
	"errors"
	"github.com/akinai/akinai/internal/payment"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// Channels are how an order reached the shop.
var Channels = []string{"phone", "fax", "counter", "mail", "other"}

// MaxLines bounds the lines of one order taken by the shop.
const MaxLines = 50

// Line is a variant and how many of it.
type Line struct {
	VariantID int64
	Qty       int
}

// Draft is the order as the operator has it on the screen.
type Draft struct {
	Key            string // idempotency key, made when the form was first shown
	Lang           string // the order's (and its mail's) language
	Channel        string
	CustomerID     int64 // 0: a buyer without an account
	CreateCustomer bool  // invite the buyer to an account (pending until they confirm)
	Lines          []Line
	Form           *checkout.Form // buyer, ship-to, method, date, slot, payment, note
	DeliveryFee    string         // as typed; "" for the computed fee
	PaymentFee     string         // as typed; "" for the computed fee
	Discount       string         // as typed; "" for none
	SendMail       bool
}

// Service takes orders through the checkout.
type Service struct {
	DB       *db.DB
	Checkout *checkout.Service
	Carts    *cart.Store
}

// input checks the draft and turns it into the checkout's input (without
// CartID). The second value holds field → i18n key for every field that
// is wrong.
func (d *Draft) input() (*checkout.Input, map[string]string) {
	f := *d.Form
	f.Email2 = f.Email // the operator types the address once
	f.Multi = false
	in, fields := f.Validate()
	// The provider's methods need the customer at the browser.
	if f.Payment == order.Card || f.Payment == string(payment.Konbini) {
		fields["payment"] = "orderentry.no_card"
	}
	if len(d.Lines) == 0 {
		fields["lines"] = "orderentry.no_lines"
	}
	if len(d.Lines) > MaxLines {
		fields["lines"] = "orderentry.too_many_lines"
	}
	for _, l := range d.Lines {
		if l.Qty < 1 || l.Qty > cart.MaxQty {
			fields["qty_"+strconv.FormatInt(l.VariantID, 10)] = "orderentry.bad_qty"
		}
	}
	if !validChannel(d.Channel) {
		fields["channel"] = "orderentry.bad_channel"
	}
	a := &checkout.Adjust{NoMail: !d.SendMail}
	var ok bool
	if a.DeliveryFee, ok = yen(d.DeliveryFee); !ok {
		fields["delivery_fee"] = "checkout.bad_fee"
	}
	if a.PaymentFee, ok = yen(d.PaymentFee); !ok {
		fields["payment_fee"] = "checkout.bad_fee"
	}
	if p, ok := yen(d.Discount); !ok {
		fields["discount"] = "checkout.bad_discount"
	} else if p != nil {
		a.Discount = *p
	}
	in.Adjust = a
	in.Key, in.Lang = d.Key, d.Lang
	if d.CustomerID > 0 {
		id := d.CustomerID
		in.CustomerID = &id
	}
	return in, fields
}

func validChannel(c string) bool {
	for _, ch := range Channels {
		if ch == c {
			return true
		}
	}
	return false
}

// yen reads an amount typed in yen ("1,200", "¥500"); "" is nil. ok is
// false for anything else than a whole number of yen from 0 up.
func yen(s string) (*shop.Yen, bool) {
	s = strings.NewReplacer(",", "", "¥", "", "￥", "", " ", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return nil, false
	}
	y := shop.Yen(n)
	return &y, true
}

// Quote prices the draft as the checkout would. Errors: Invalid with
// Fields for every wrong field (nothing priced); SoldOut when a line's
// stock ran out. Nothing is left behind: the cart the checkout reads is
// removed again.
func (s *Service) Quote(ctx context.Context, d *Draft) (*checkout.Quote, error) {
	in, fields := d.input()
	if len(fields) > 0 {
		return nil, shop.Invalidf(fields)
	}
	cartID, err := s.cart(ctx, d.Lines)
	if err != nil {
		return nil, err
	}
	defer s.Carts.Delete(context.WithoutCancel(ctx), cartID)
	in.CartID = cartID
	return s.Checkout.Quote(ctx, in)
}

// Place creates the order, or returns the one an earlier submit of the
// same draft created (existing is then true): a double click makes one
// order. Errors: those of Quote; nothing is written when one is returned.
func (s *Service) Place(ctx context.Context, d *Draft) (o *order.Order, existing bool, err error) {
	if o, err := order.ByKey(ctx, s.DB, d.Key); err == nil {
		return o, true, nil
	} else if shop.KindOf(err) != shop.NotFound {
		return nil, false, err
	}
	in, fields := d.input()
	if len(fields) > 0 {
		return nil, false, shop.Invalidf(fields)
	}
	cartID, err := s.cart(ctx, d.Lines)
	if err == nil {
		defer s.Carts.Delete(context.WithoutCancel(ctx), cartID)
		in.CartID = cartID
		o, err = s.Checkout.Place(ctx, in)
	}
	if err != nil {
		// A second submit racing the first finds the stock the first
		// reserved gone: it is the same order, not a sold-out one.
		if o, kerr := order.ByKey(ctx, s.DB, d.Key); kerr == nil {
			return o, true, nil
		}
		return nil, false, err
	}
	return o, false, nil
}

// cart makes a cart holding lines for the checkout to read. A line that
// cannot be bought as asked is refused on its quantity field, with the
// cart removed again.
func (s *Service) cart(ctx context.Context, lines []Line) (int64, error) {
	id, err := s.Carts.Create(ctx, "orderentry-"+cart.NewToken())
	if err != nil {
		return 0, err
	}
	fields := map[string]string{}
	var soldOut bool
	for _, l := range lines {
		err := s.Carts.SetQty(ctx, id, l.VariantID, l.Qty)
		var se *shop.Error
		switch {
		case err == nil:
		case errors.As(err, &se):
			key := "orderentry.unavailable"
			switch se.Key {
			case "cart.sold_out", "cart.stock_short":
				key, soldOut = "orderentry.sold_out", true
			case "cart.over_limit":
				key = "orderentry.over_limit"
			case "cart.bad_qty":
				key = "orderentry.bad_qty"
			}
			fields["qty_"+strconv.FormatInt(l.VariantID, 10)] = key
		default:
			s.Carts.Delete(context.WithoutCancel(ctx), id)
			return 0, err
		}
	}
	if len(fields) > 0 {
		s.Carts.Delete(context.WithoutCancel(ctx), id)
		e := shop.Invalidf(fields)
		if soldOut {
			e.Kind, e.Key = shop.SoldOut, "orderentry.lines_sold_out"
		}
		return 0, e
	}
	return id, nil
}
