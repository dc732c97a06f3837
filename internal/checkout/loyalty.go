package checkout

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/text/width"

	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/points"
	"github.com/akinai/akinai/internal/shop"
)

// Loyalty is what a coupon and points did to a quote: a discount step of
// its own in the totals, before the payment methods are priced (their
// amount limits see it) and before the tax per rate is computed.
type Loyalty struct {
	Coupon         *coupon.Applied // nil: none
	CouponCode     string
	CouponDiscount shop.Yen
	PointsUsed     int64
	PointsEarn     int64
	Balance        int64 // the member's points before this order
}

// applyLoyalty checks and prices the coupon and the points of in and
// adds them to qt.Discount. A coupon that does not apply or points that
// cannot be spent are refused on the fields "coupon" and "points" with
// the reason.
//
// placing is true inside the order transaction. The balance is then not
// read: the conditional UPDATE that spends the points (points.RecordOrder)
// refuses them with the same "points.over_balance" and is the guard
// against concurrent orders anyway, and the confirmation page before it
// (placing false) has already checked against the balance. Without a
// coupon or points nothing here reads the database: the products' earn
// rates come with the cart's lines.
func (s *Service) applyLoyalty(ctx context.Context, q db.Queryer, qt *Quote, in *Input, si *shopInfo, now time.Time, placing bool, fields map[string]string) error {
	ps := si.Points
	var cid int64
	if in.CustomerID != nil {
		cid = *in.CustomerID
	}
	balance := int64(math.MaxInt64)
	if cid != 0 && ps.Enabled && in.Points > 0 && !placing {
		b, err := points.Balance(ctx, q, cid)
		if err != nil {
			return err
		}
		qt.Loyalty.Balance, balance = b, b
	}
	if in.Coupon != "" {
		co := coupon.Order{CustomerID: cid, Email: in.Email, Points: in.Points}
		for _, l := range qt.Cart.Lines {
			co.Lines = append(co.Lines, coupon.Line{ProductID: l.ProductID, Rate: l.Rate, Amount: l.Total()})
		}
		a, err := coupon.Apply(ctx, q, in.Coupon, co, now)
		var se *shop.Error
		switch {
		case errors.As(err, &se) && se.Kind == shop.Invalid:
			fields["coupon"] = se.Key
		case err != nil:
			return err
		default:
			qt.Loyalty.Coupon, qt.Loyalty.CouponCode, qt.Loyalty.CouponDiscount = a, a.Coupon.Code, a.Discount
			qt.Discount += a.Discount
		}
	}
	if in.Points != 0 {
		if cid == 0 {
			fields["points"] = "points.members_only"
		} else if key := ps.CheckSpend(in.Points, balance, qt.Subtotal+qt.DeliveryFee-qt.Discount); key != "" {
			fields["points"] = key
		} else {
			qt.Loyalty.PointsUsed = in.Points
			qt.Discount += shop.Yen(in.Points)
		}
	}
	if cid == 0 || !ps.Enabled {
		return nil
	}
	lines := make([]points.EarnLine, 0, len(qt.Cart.Lines))
	for _, l := range qt.Cart.Lines {
		lines = append(lines, points.EarnLine{Amount: l.Total(), Rate: l.PointsRate})
	}
	qt.Loyalty.PointsEarn = points.Earn(lines, ps.Rate, qt.Loyalty.CouponDiscount+shop.Yen(qt.Loyalty.PointsUsed))
	return nil
}

// loyaltyInvoice moves the coupon's share of qt's discount from the
// prorated Discount to the rates of the items it applies to.
func loyaltyInvoice(io *invoice.Order, qt *Quote) {
	a := qt.Loyalty.Coupon
	if a == nil {
		return
	}
	io.Discount -= a.Discount
	for _, r := range a.ByRate {
		io.RateDiscounts = append(io.RateDiscounts, invoice.RateDiscount{Rate: r.Rate, Amount: r.Amount})
	}
}

// bookLoyalty records the coupon's use and the member's points of the
// order o in its transaction. Errors: Invalid coupon.used_up,
// coupon.per_customer or points.over_balance when a concurrent order took
// them first (the order then rolls back).
func bookLoyalty(ctx context.Context, tx *db.Tx, o *order.Order, in *Input, qt *Quote) error {
	l := qt.Loyalty
	if l.Coupon != nil {
		var cid int64
		if in.CustomerID != nil {
			cid = *in.CustomerID
		}
		if err := coupon.Reserve(ctx, tx, l.Coupon, coupon.Order{CustomerID: cid, Email: in.Email}, o.ID); err != nil {
			return err
		}
	}
	if in.CustomerID == nil {
		return nil
	}
	return points.RecordOrder(ctx, tx, o.ID, *in.CustomerID, l.PointsUsed, l.PointsEarn)
}

// loyaltyView fills the coupon and points of v: from the quote before
// the order exists (the confirmation page), from the order's rows after.
func loyaltyView(ctx context.Context, q db.Queryer, v *View, qt *Quote) error {
	if qt != nil {
		l := qt.Loyalty
		v.CouponCode, v.CouponDiscount, v.PointsUsed, v.PointsEarn = l.CouponCode, l.CouponDiscount, l.PointsUsed, l.PointsEarn
		return nil
	}
	if v.O.ID == 0 {
		return nil
	}
	u, err := coupon.OfOrder(ctx, q, v.O.ID)
	if err != nil {
		return err
	}
	if u != nil {
		v.CouponCode, v.CouponDiscount = u.Code, u.Discount
	}
	p, err := points.OfOrder(ctx, q, v.O.ID)
	if err != nil {
		return err
	}
	v.PointsUsed, v.PointsEarn = p.Spent, p.Earn
	return nil
}

// readLoyalty reads the coupon code and the points of the form: a code
// that cannot be one is refused as unknown (coupon.unknown), points that
// are not a whole number from 0 as points.bad_number.
func readLoyalty(f *Form, errs map[string]string) (string, int64) {
	code := coupon.NormalizeCode(f.Coupon)
	if code != "" && !coupon.ValidCode(code) {
		errs["coupon"] = "coupon.unknown"
		code = ""
	}
	if f.Points == "" {
		return code, 0
	}
	n, err := strconv.ParseInt(width.Narrow.String(f.Points), 10, 64)
	if err != nil || n < 0 || n > int64(invoice.MaxAmount) {
		errs["points"] = "points.bad_number"
		return code, 0
	}
	return code, n
}

// OtherDiscount is the part of the order's discount that is neither the
// coupon nor the points (an operator's, or a rank's).
func (v *View) OtherDiscount() shop.Yen {
	d := v.O.Discount - v.CouponDiscount - shop.Yen(v.PointsUsed)
	for _, p := range v.PluginDiscounts {
		d -= shop.Yen(p.Amount)
	}
	return d
}

// PointsBox is what the checkout form shows about points.
type PointsBox struct {
	Enabled, Member bool
	Balance         int64
	Min, Max        int64
}

// pointsBox reads the points settings and the signed-in customer's
// balance for the form.
func (h *Handlers) pointsBox(r *http.Request) (*PointsBox, error) {
	m, err := h.Service.Settings.All(r.Context())
	if err != nil {
		return nil, err
	}
	ps := points.SettingsFrom(m)
	b := &PointsBox{Enabled: ps.Enabled, Min: ps.Min, Max: ps.Max}
	if id := h.customerID(r); id != nil && ps.Enabled {
		b.Member = true
		if b.Balance, err = points.Balance(r.Context(), h.Service.DB, *id); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// PointsDiscount is the points spent in yen (1 point = ¥1).
func (v *View) PointsDiscount() shop.Yen { return shop.Yen(v.PointsUsed) }
