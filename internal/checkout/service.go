// Package checkout turns a cart into an order: it quotes the totals
// (delivery fee by prefecture, free-shipping threshold, COD fee, tax per
// rate), validates the customer's details, and places the order in one
// transaction that reserves the stock, writes the mails to the outbox and
// empties the cart.
package checkout

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/delivery"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// DateWindow is how many days, from the earliest, a customer may choose.
const DateWindow = 14

// CutoffHour is the hour (Japan time) after which an order counts from the
// next business day.
const CutoffHour = 12

// Service places orders.
type Service struct {
	DB       *db.DB
	Settings *settings.Store
	Calendar *calendar.Calendar
	// Calendars, when set, gives the shop's current calendar (closed
	// weekdays and holidays edited in the admin) in place of Calendar.
	Calendars interface {
		Calendar(ctx context.Context, q db.Queryer) (*calendar.Calendar, error)
	}
	// Payments charges cards; nil means the shop does not offer cards.
	Payments payment.Provider
	Log      *slog.Logger
}

// Input is a validated checkout form.
type Input struct {
	CartID        int64
	Key           string // idempotency key from the confirmation form
	Lang          string
	Email         string
	Buyer, Ship   order.Address
	MethodID      int64
	Date          string // YYYY-MM-DD or ""
	Slot          string
	PaymentMethod string
	CardToken     string // provider payment method ID, for cards
	Note          string
}

// Quote is what the confirmation page shows and the order stores.
type Quote struct {
	Cart        *cart.Cart
	Method      delivery.Method
	Subtotal    shop.Yen
	DeliveryFee shop.Yen
	CODFee      shop.Yen
	Discount    shop.Yen
	Total       shop.Yen
	Rates       []order.RateTotal
	Dates       []calendar.Date // the dates the customer may choose
	Rounding    shop.Rounding
}

// Quote computes the totals of in against the cart as it is now. Errors:
// Invalid with Fields for a delivery method, date, slot or payment method
// that does not fit; SoldOut "order.sold_out" when a line's stock ran out;
// Invalid "checkout.cart_problem" when a line has another problem or the
// cart is empty.
func (s *Service) Quote(ctx context.Context, in *Input) (*Quote, error) {
	return s.quote(ctx, s.DB, in, s.DB.Now())
}

func (s *Service) quote(ctx context.Context, q db.Queryer, in *Input, now time.Time) (*Quote, error) {
	sh, err := s.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	c, err := cart.Load(ctx, q, in.CartID, now, sh.Rounding)
	if err != nil {
		return nil, err
	}
	for _, l := range c.Lines {
		if l.Problem == "cart.sold_out" || l.Problem == "cart.stock_short" {
			return nil, &shop.Error{Kind: shop.SoldOut, Key: "order.sold_out", Args: []any{l.SKU}}
		}
	}
	if !c.OK() {
		return nil, shop.Errorf(shop.Invalid, "checkout.cart_problem")
	}
	qt := &Quote{Cart: c, Subtotal: c.Total(), Rounding: sh.Rounding}
	fields := map[string]string{}
	methods, err := delivery.Methods(ctx, q)
	if err != nil {
		return nil, err
	}
	found := false
	for _, m := range methods {
		if m.ID == in.MethodID {
			qt.Method, found = m, true
		}
	}
	if !found {
		fields["method"] = "checkout.bad_method"
	} else {
		if qt.DeliveryFee, err = delivery.Fee(ctx, q, in.MethodID, in.Ship.Pref); err != nil {
			fields["method"] = "checkout.bad_method"
		}
		if free := s.freeThreshold(ctx); free > 0 && qt.Subtotal >= free {
			qt.DeliveryFee = 0
		}
		if in.Slot != "" {
			if _, ok := qt.Method.Slot(in.Slot); !ok {
				fields["slot"] = "checkout.bad_slot"
			}
		}
		if qt.Dates, err = s.dates(ctx, q, c, qt.Method, now); err != nil {
			return nil, err
		}
		if in.Date != "" && !hasDate(qt.Dates, in.Date) {
			fields["date"] = "checkout.bad_date"
		}
	}
	switch in.PaymentMethod {
	case order.BankTransfer:
	case order.COD:
		fee, ok := delivery.CODFee(qt.Subtotal + qt.DeliveryFee)
		if !ok {
			fields["payment"] = "checkout.cod_limit"
		}
		qt.CODFee = fee
	case order.Card:
		if s.Payments == nil {
			fields["payment"] = "checkout.bad_payment"
		}
	default:
		fields["payment"] = "checkout.bad_payment"
	}
	if len(fields) > 0 {
		return qt, shop.Invalidf(fields)
	}
	rates, err := cart.TaxRates(ctx, q, now)
	if err != nil {
		return nil, err
	}
	io := invoice.Order{DeliveryFee: qt.DeliveryFee, CODFee: qt.CODFee, StandardRate: rates[shop.TaxStandard], Discount: qt.Discount}
	for _, l := range c.Lines {
		io.Lines = append(io.Lines, invoice.Line{Rate: l.Rate, UnitPrice: l.UnitPrice, Qty: l.Qty, Class: l.Class})
	}
	b, err := invoice.Compute(io, sh.Rounding)
	if err != nil {
		return nil, err
	}
	qt.Total = b.Total
	for _, r := range b.Rates {
		qt.Rates = append(qt.Rates, order.RateTotal{Rate: r.Rate, Reduced: r.Reduced, Total: r.Total, Tax: r.Tax})
	}
	return qt, nil
}

// dates returns the delivery dates the cart can be delivered on: from the
// earliest (the largest lead time of the lines, in business days, plus the
// method's transit) for DateWindow days.
func (s *Service) dates(ctx context.Context, q db.Queryer, c *cart.Cart, m delivery.Method, now time.Time) ([]calendar.Date, error) {
	cal := s.Calendar
	if s.Calendars != nil {
		var err error
		if cal, err = s.Calendars.Calendar(ctx, q); err != nil {
			return nil, err
		}
	}
	lead := 0
	for _, l := range c.Lines {
		lead = max(lead, l.LeadDays)
	}
	first, err := cal.EarliestDelivery(now, lead, m.TransitDays, CutoffHour)
	if err != nil {
		return nil, err
	}
	return calendar.Window(first, DateWindow), nil
}

func hasDate(ds []calendar.Date, s string) bool {
	for _, d := range ds {
		if d.String() == s {
			return true
		}
	}
	return false
}

func (s *Service) freeThreshold(ctx context.Context) shop.Yen {
	v, err := s.Settings.Get(ctx, settings.FreeShipping)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return shop.Yen(n)
}

// isConflict reports a duplicate idempotency key.
func isConflict(err error) bool {
	var e *shop.Error
	return errors.As(err, &e) && e.Kind == shop.Conflict && e.Key == "order.duplicate"
}
