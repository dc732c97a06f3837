// Package checkout turns a cart into an order: it quotes the totals
// (delivery fee by prefecture, free-shipping threshold, COD fee, tax per
// rate), validates the customer's details, and places the order in one
// transaction that reserves the stock, writes the mails to the outbox and
// empties the cart.
package checkout

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/points"
	"github.com/akinai/akinai/internal/rank"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/pluginsdk"
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
	// Payments, when set, is the card provider (tests); otherwise Cards
	// builds it from the admin's settings per request. Neither: no cards.
	Payments payment.Provider
	Cards    *Cards
	Log      *slog.Logger
	// Rules, when set, adds a feature's rules to every quote and order
	// (internal/b2b: quoted prices, 掛け払い and its credit limit).
	Rules Rules
	// Plugins, when set, are the enabled plugins' hooks (plugins.go).
	Plugins *plugin.Plugins
}

// Rules are what a feature adds to the checkout without pricing an order
// itself. Every method runs with q (or tx) the quote's or order's own.
type Rules interface {
	// Prices returns tax-included unit prices by variant that replace
	// the catalogue's for this cart (an accepted quote), nil for none.
	// Errors: Invalid when the cart cannot be bought at those prices.
	Prices(ctx context.Context, q db.Queryer, in *Input, c *cart.Cart, now time.Time) (map[int64]shop.Yen, error)
	// PayRefusal names (an i18n key) why method m cannot pay amount for
	// in, "" when it can.
	PayRefusal(ctx context.Context, q db.Queryer, in *Input, m PayMethod, amount shop.Yen, now time.Time) (string, error)
	// Placed runs in the order's transaction after the order is written;
	// an error rolls the order back.
	Placed(ctx context.Context, tx *db.Tx, o *order.Order, in *Input) error
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
	CustomerID    *int64 // the signed-in customer, nil for a guest
	// Dests splits the order over several addresses (multiple shipping);
	// empty means one destination: Ship, MethodID, Date and Slot.
	Dests []Dest
	// Coupon is the code the buyer typed ("" for none); Points the
	// points a signed-in customer spends (1 point = ¥1).
	Coupon string
	Points int64
	// Prices are tax-included unit prices by variant in place of the
	// catalogue's (an order approved at the prices its buyer saw).
	Prices map[int64]shop.Yen
	// Adjust is what an operator taking an order by phone may set (the
	// storefront leaves it nil): a discount, fees of their own, no mail.
	Adjust *Adjust
}

// Adjust holds the operator's changes to an order they take themselves
// (受注登録). The pricing, tax and stock rules stay the checkout's.
type Adjust struct {
	Discount    shop.Yen  // off the order's total, tax included; prorated over the rates
	DeliveryFee *shop.Yen // in place of the computed fee; nil: computed
	PaymentFee  *shop.Yen // in place of the payment method's fee; nil: computed
	NoMail      bool      // no confirmation to the customer, no notice to the shop
}

// Dest is one destination of a split order: the address, its delivery
// method, date and slot, and how many of each cart line (by variant ID)
// go there.
type Dest struct {
	Ship       order.Address
	MethodID   int64
	Date, Slot string
	Qty        map[int64]int
}

// QuoteShipment is one destination as quoted: its method, fee, the dates
// it can be delivered on and what goes there.
type QuoteShipment struct {
	Dest
	Method delivery.Method
	Fee    shop.Yen
	Dates  []calendar.Date
	Items  []order.ParcelItem
}

// Quote is what the confirmation page shows and the order stores.
type Quote struct {
	Cart        *cart.Cart
	Method      delivery.Method
	Subtotal    shop.Yen
	DeliveryFee shop.Yen
	CODFee      shop.Yen
	Discount    shop.Yen
	// MemberDiscount is what the signed-in customer's rank takes off the
	// items (MemberPercent of them, per rate; see memberDiscount).
	MemberDiscount shop.Yen
	MemberPercent  int
	Total          shop.Yen
	Rates          []order.RateTotal
	Dates          []calendar.Date // the dates the customer may choose
	Rounding       shop.Rounding
	Shipments      []QuoteShipment // one per destination
	// Payments are the methods offered for this order: enabled, with
	// limits that fit it, and the fee each would charge.
	Payments []PayOption
	// Loyalty is the coupon and the points in Discount (loyalty.go).
	Loyalty Loyalty
	// Plugins is what the plugins did (plugins.go).
	Plugins    PluginQuote
	pluginCart *pluginsdk.Cart
}

// Quote computes the totals of in against the cart as it is now. Errors:
// Invalid with Fields for a delivery method, date, slot or payment method
// that does not fit; SoldOut "order.sold_out" when a line's stock ran out;
// Invalid "checkout.cart_problem" when a line has another problem or the
// cart is empty.
func (s *Service) Quote(ctx context.Context, in *Input) (*Quote, error) {
	si, err := s.shopInfo(ctx)
	if err != nil {
		return nil, err
	}
	return s.quote(ctx, s.DB, in, s.DB.Now(), si, false)
}

// shopInfo is what the checkout needs from the settings. It is read
// before a transaction opens and never inside one: on PostgreSQL reads
// and writes share one connection pool, and transactions that each wait
// for a second connection while holding the pool's last ones deadlock
// (the 64-buyer load run found it when the settings cache expired).
type shopInfo struct {
	Shop   settings.Shop
	Free   shop.Yen         // free-shipping threshold, 0 for none
	Bank   string           // bank account for transfer instructions
	Pay    payment.Provider // the card provider, nil when cards are off
	Points points.Settings
}

func (s *Service) shopInfo(ctx context.Context) (*shopInfo, error) {
	sh, err := s.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.Settings.All(ctx)
	if err != nil {
		return nil, err
	}
	free, _ := strconv.ParseInt(m[settings.FreeShipping], 10, 64)
	pay, err := s.provider(ctx)
	if err != nil {
		return nil, err
	}
	return &shopInfo{Shop: sh, Free: shop.Yen(free), Bank: m[settings.BankAccount], Pay: pay, Points: points.SettingsFrom(m)}, nil
}

// quote computes the totals of in; placing is true inside the order
// transaction (see applyLoyalty).
func (s *Service) quote(ctx context.Context, q db.Queryer, in *Input, now time.Time, si *shopInfo, placing bool) (*Quote, error) {
	sh := si.Shop
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
	if err := s.setPrices(ctx, q, in, c, now); err != nil {
		return nil, err
	}
	qt := &Quote{Cart: c, Subtotal: c.Total(), Rounding: sh.Rounding}
	fields := map[string]string{}
	methods, err := delivery.Methods(ctx, q)
	if err != nil {
		return nil, err
	}
	free := si.Free
	dests, multi := in.Dests, len(in.Dests) > 0
	if !multi {
		dests = []Dest{{Ship: in.Ship, MethodID: in.MethodID, Date: in.Date, Slot: in.Slot}}
	}
	for i, d := range dests {
		p := ""
		if multi {
			p = destPrefix(i)
		}
		qs := QuoteShipment{Dest: d}
		if err := s.quoteDest(ctx, q, &qs, c, methods, now, p, fields); err != nil {
			return nil, err
		}
		if free > 0 && qt.Subtotal >= free {
			qs.Fee = 0 // the threshold is on the order, as EC-CUBE does
		}
		qt.DeliveryFee += qs.Fee
		qt.Shipments = append(qt.Shipments, qs)
	}
	if multi {
		splitLines(c, qt.Shipments, fields)
	}
	qt.Method, qt.Dates = qt.Shipments[0].Method, qt.Shipments[0].Dates
	if err := memberDiscount(ctx, q, qt, in); err != nil {
		return nil, err
	}
	if a := in.Adjust; a != nil {
		adjustFees(qt, a, true, fields)
	}
	if err := s.applyPlugins(ctx, q, qt, in, now, fields); err != nil {
		return nil, err
	}
	if err := s.applyLoyalty(ctx, q, qt, in, si, now, placing, fields); err != nil {
		return nil, err
	}
	if err := s.quotePayment(ctx, q, qt, in, si, multi, now, fields); err != nil {
		return nil, err
	}
	if a := in.Adjust; a != nil {
		adjustFees(qt, a, false, fields)
	}
	if len(fields) > 0 {
		return qt, shop.Invalidf(fields)
	}
	rates, err := cart.TaxRates(ctx, q, now)
	if err != nil {
		return nil, err
	}
	io := invoice.Order{DeliveryFee: qt.DeliveryFee, CODFee: qt.CODFee, StandardRate: rates[shop.TaxStandard], Discount: qt.Discount, ItemPercent: qt.MemberPercent}
	for _, l := range c.Lines {
		io.Lines = append(io.Lines, invoice.Line{Rate: l.Rate, UnitPrice: l.UnitPrice, Qty: l.Qty, Class: l.Class})
	}
	loyaltyInvoice(&io, qt)
	b, err := invoice.Compute(io, sh.Rounding)
	if err != nil {
		return nil, err
	}
	qt.Total = b.Total
	if b.ItemDiscount != qt.MemberDiscount { // one rule, computed twice: never apart
		return nil, fmt.Errorf("checkout: member discount %d, invoice %d", qt.MemberDiscount, b.ItemDiscount)
	}
	for _, r := range b.Rates {
		qt.Rates = append(qt.Rates, order.RateTotal{Rate: r.Rate, Reduced: r.Reduced, Total: r.Total, Tax: r.Tax})
	}
	return qt, nil
}

// adjustFees applies an operator's discount and delivery fee (before
// the payment methods are priced, whose limits see them) or payment fee
// (after), refusing on the fields "discount", "delivery_fee" and
// "payment_fee" an amount below zero or a discount above the order.
func adjustFees(qt *Quote, a *Adjust, before bool, fields map[string]string) {
	if before {
		if a.DeliveryFee != nil && len(qt.Shipments) == 1 {
			if *a.DeliveryFee < 0 || *a.DeliveryFee > invoice.MaxAmount {
				fields["delivery_fee"] = "checkout.bad_fee"
			} else {
				qt.Shipments[0].Fee, qt.DeliveryFee = *a.DeliveryFee, *a.DeliveryFee
			}
		}
		qt.Discount = a.Discount
		if a.Discount < 0 || a.Discount > qt.Subtotal-qt.MemberDiscount+qt.DeliveryFee {
			fields["discount"] = "checkout.bad_discount"
			qt.Discount = 0
		}
		return
	}
	if a.PaymentFee != nil {
		if *a.PaymentFee < 0 || *a.PaymentFee > invoice.MaxAmount {
			fields["payment_fee"] = "checkout.bad_fee"
		} else {
			qt.CODFee = *a.PaymentFee
		}
	}
}

// quotePayment lists the payment methods that fit the order (qt.Payments)
// and checks and prices the chosen one. A method is offered when the
// operator enabled it, the order's amount is within its limits and its
// fee rules (a tier past the last cannot take it), it combines with every
// destination's delivery method, and — for a card or konbini — a provider
// is set up; COD is never offered for an order split over several
// addresses. A chosen method that is not offered is refused on the field
// "payment" with the reason. Pref-based fees use the first destination.
func (s *Service) quotePayment(ctx context.Context, q db.Queryer, qt *Quote, in *Input, si *shopInfo, multi bool, now time.Time, fields map[string]string) error {
	methods, err := enabledPayMethods(ctx, q)
	if err != nil {
		return err
	}
	base := qt.Subtotal - qt.MemberDiscount + qt.DeliveryFee - qt.Discount
	if methods, err = s.pluginPayMethods(ctx, q, qt, in, base, methods, now); err != nil {
		return err
	}
	pref := qt.Shipments[0].Ship.Pref
	var chosen *PayOption
	for _, m := range methods {
		if payRefusal(m, qt, base, si, multi) != "" {
			continue
		}
		fee, _ := m.FeeFor(base, pref)
		if why, err := s.ruleRefusal(ctx, q, in, m, base+fee); err != nil {
			return err
		} else if why != "" {
			if m.Code == in.PaymentMethod {
				fields["payment"] = why
				return nil
			}
			continue
		}
		qt.Payments = append(qt.Payments, PayOption{PayMethod: m, Charge: fee, Tiers: m.FeeType == payment.FeeTiers})
		if m.Code == in.PaymentMethod {
			chosen = &qt.Payments[len(qt.Payments)-1]
		}
	}
	if chosen != nil {
		qt.CODFee = chosen.Charge
		return nil
	}
	fields["payment"] = "checkout.bad_payment"
	for _, m := range methods {
		if m.Code == in.PaymentMethod {
			fields["payment"] = payRefusal(m, qt, base, si, multi)
			return nil
		}
	}
	// Not enabled: a method the operator disabled, or none the shop knows.
	all, err := payment.Methods(ctx, q, false)
	if err != nil {
		return err
	}
	for _, m := range all {
		if m.Code == in.PaymentMethod {
			fields["payment"] = "checkout.payment_disabled"
		}
	}
	return nil
}

// payRefusal names why m cannot pay the quoted order of base, "" when it can.
func payRefusal(m PayMethod, qt *Quote, base shop.Yen, si *shopInfo, multi bool) string {
	switch {
	case (m.Kind == payment.Card || m.Kind == payment.Konbini) && si.Pay == nil:
		return "checkout.bad_payment"
	case m.Kind == payment.COD && multi:
		return "checkout.cod_multi"
	case !m.Fits(base):
		return "checkout.payment_limit"
	}
	for _, sh := range qt.Shipments {
		if !m.Combines(sh.MethodID) {
			return "checkout.payment_delivery"
		}
	}
	if _, ok := m.FeeFor(base, qt.Shipments[0].Ship.Pref); !ok {
		if m.Kind == payment.COD {
			return "checkout.cod_limit" // past the carrier's tiers
		}
		return "checkout.payment_limit"
	}
	return ""
}

// quoteDest checks one destination's method, date and slot (field names
// prefixed with p) and prices its delivery.
func (s *Service) quoteDest(ctx context.Context, q db.Queryer, qs *QuoteShipment, c *cart.Cart, methods []delivery.Method, now time.Time, p string, fields map[string]string) error {
	found := false
	for _, m := range methods {
		if m.ID == qs.MethodID {
			qs.Method, found = m, true
		}
	}
	if !found {
		fields[p+"method"] = "checkout.bad_method"
		return nil
	}
	var err error
	if qs.Fee, err = delivery.ParcelFee(ctx, q, qs.Method, qs.Ship.Pref, parcelSize(c, qs)); err != nil {
		fields[p+"method"] = "checkout.bad_method"
	}
	if qs.Slot != "" {
		if _, ok := qs.Method.Slot(qs.Slot); !ok {
			fields[p+"slot"] = "checkout.bad_slot"
		}
	}
	if qs.Dates, err = s.dates(ctx, q, c, qs.Method, now); err != nil {
		return err
	}
	if qs.Date != "" && !hasDate(qs.Dates, qs.Date) {
		fields[p+"date"] = "checkout.bad_date"
	}
	return nil
}

// parcelSize is the size class of the parcel to one destination: every
// line of the cart, or with several destinations the lines sent there.
func parcelSize(c *cart.Cart, qs *QuoteShipment) int {
	sizes := make([]int, 0, len(c.Lines))
	for _, l := range c.Lines {
		if qs.Qty == nil || qs.Qty[l.VariantID] > 0 {
			sizes = append(sizes, l.ParcelSize)
		}
	}
	return delivery.ParcelSize(sizes)
}

// splitLines fills each shipment's items from the destinations'
// quantities and checks that every unit of every line goes somewhere,
// exactly once, and that no destination is empty.
func splitLines(c *cart.Cart, ships []QuoteShipment, fields map[string]string) {
	for li, l := range c.Lines {
		sum := 0
		for si := range ships {
			if n := ships[si].Qty[l.VariantID]; n > 0 {
				sum += n
				ships[si].Items = append(ships[si].Items, order.ParcelItem{Line: li, Qty: n})
			}
		}
		if sum != l.Qty {
			fields["split"] = "checkout.split_mismatch"
		}
	}
	for si := range ships {
		if len(ships[si].Items) == 0 {
			fields[destPrefix(si)+"items"] = "checkout.dest_empty"
		}
	}
}

// destPrefix is the form-field prefix of destination i (0-based): "d1_", ….
func destPrefix(i int) string { return "d" + strconv.Itoa(i+1) + "_" }

// dates returns the delivery dates the cart can be delivered on: from the
// earliest (the largest lead time of the lines plus the delivery method's
// own lead days, in business days, then the method's transit) for
// DateWindow days.
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
	first, err := cal.EarliestDelivery(now, lead+m.LeadDays, m.TransitDays, CutoffHour)
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

// isConflict reports a duplicate idempotency key.
func isConflict(err error) bool {
	var e *shop.Error
	return errors.As(err, &e) && e.Kind == shop.Conflict && e.Key == "order.duplicate"
}

// memberDiscount is the checkout's one step for member ranks: a
// signed-in customer whose rank has a percentage gets it off the items'
// prices, per rate and rounded down as invoice.Compute takes it (the
// per-rate tax is then extracted from the lowered totals). Guests, and
// customers in no rank or a 0% one, get nothing. The free-shipping
// threshold still looks at the items before the discount.
func memberDiscount(ctx context.Context, q db.Queryer, qt *Quote, in *Input) error {
	if in.CustomerID == nil {
		return nil
	}
	r, ok, err := rank.OfCustomer(ctx, q, *in.CustomerID)
	if err != nil || !ok || r.Percent == 0 {
		return err
	}
	var lines []invoice.Line
	for _, l := range qt.Cart.Lines {
		lines = append(lines, invoice.Line{Rate: l.Rate, UnitPrice: l.UnitPrice, Qty: l.Qty})
	}
	qt.MemberPercent, qt.MemberDiscount = r.Percent, invoice.ItemDiscount(lines, r.Percent)
	return nil
}
