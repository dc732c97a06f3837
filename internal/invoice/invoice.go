// Package invoice computes the tax totals of an order the way a qualified
// invoice (適格請求書) states them: a tax-included total per rate and the tax
// contained in it, rounded once per rate per invoice with the shop's
// rounding mode, never per line. Prices in Akinai are stored tax-included
// (総額表示), so the tax is extracted from per-rate totals.
package invoice

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"

	"github.com/akinai/akinai/internal/shop"
)

// MaxAmount bounds every amount and line total, 10 trillion yen: far above
// any order, and low enough that amount × rate never overflows int64.
const MaxAmount shop.Yen = 10_000_000_000_000

// maxRate is 100%; a consumption tax above it is a typo in the settings.
const maxRate shop.TaxRate = 10000

// ErrInvalid is returned, wrapped with the reason, for an order that cannot
// be totalled: a negative quantity, price, fee or discount, a rate outside
// 0–100%, fees without a StandardRate, an amount over MaxAmount or a
// discount larger than the total.
var ErrInvalid = &shop.Error{Kind: shop.Invalid, Key: "error.invoice_invalid"}

// Line is one order line. UnitPrice includes tax at Rate.
type Line struct {
	Rate      shop.TaxRate
	UnitPrice shop.Yen // tax-included
	Qty       int
	// Class is the tax class the rate came from. It is optional; when set
	// to shop.TaxReduced the line's rate group is marked reduced (※) even if
	// the reduced rate is not 8% any more (for example a temporary 0%).
	Class shop.TaxClass
}

// Order is what Compute totals. Fees are tax-included and taxed at
// StandardRate (required when there are fees), which the caller takes from
// the dated rules
// (RateAt(rules, shop.TaxStandard, orderTime)). Discount is a tax-included
// amount that is not itself a taxable sale (points, coupons); it is
// prorated across the rates by amount.
type Order struct {
	Lines        []Line
	DeliveryFee  shop.Yen
	CODFee       shop.Yen // 代引手数料
	StandardRate shop.TaxRate
	Discount     shop.Yen
	// RateDiscounts are discounts already tied to one rate (a coupon on
	// items: the share of its discount on the items at that rate). Each
	// is taken off its rate's group before Discount is prorated.
	RateDiscounts []RateDiscount
	// ItemPercent is a percentage off the items' prices (a member rank's
	// discount), 0–100. Unlike Discount it lowers the price of the goods
	// themselves, so it is taken off each rate's items where they are —
	// rounded down to the yen per rate — and never spread onto the fees
	// or another rate; the tax is then extracted from the lowered totals.
	ItemPercent int
}

// RateDiscount is a tax-included discount on the sales at one rate.
type RateDiscount struct {
	Rate   shop.TaxRate
	Amount shop.Yen
}

// RateTotal is one rate's line on the invoice: "10%対象 ¥1,100 (内消費税 ¥100)".
type RateTotal struct {
	Rate     shop.TaxRate
	Reduced  bool     // mark with ※ (軽減税率対象)
	Subtotal shop.Yen // lines and fees at this rate before the discount
	Discount shop.Yen // the share of the order's discount at this rate
	Total    shop.Yen // Subtotal − Discount, tax included
	Tax      shop.Yen // tax contained in Total, rounded once
}

// Excl returns the rate's total excluding tax.
func (t RateTotal) Excl() shop.Yen { return t.Total - t.Tax }

// Breakdown is the totals block of an order, invoice or receipt.
type Breakdown struct {
	Rates       []RateTotal // highest rate first: 10%, then 8%, then 0%
	Items       shop.Yen    // sum of the lines, tax included
	DeliveryFee shop.Yen
	CODFee      shop.Yen
	Discount    shop.Yen
	// ItemDiscount is what ItemPercent took off the items, all rates.
	ItemDiscount shop.Yen
	Total        shop.Yen // what the customer pays: Items + fees − ItemDiscount − Discount
	Tax          shop.Yen // sum of the per-rate taxes
}

// Compute totals an order for a qualified invoice. Lines and fees are
// grouped by rate; the discount is split across the groups in proportion
// to their tax-included amounts (largest remainder, so the shares add up to
// the discount exactly, a tie going to the higher rate); then each group's
// tax is TaxIncluded(total, rate, rounding), rounded once per rate.
// Lines with Qty 0 are ignored. Compute returns an error wrapping
// ErrInvalid, with the reason, for invalid input (see ErrInvalid), and for
// an unknown rounding mode.
func Compute(o Order, rounding shop.Rounding) (Breakdown, error) {
	if !rounding.Valid() {
		return Breakdown{}, invalid("unknown rounding mode %q", rounding)
	}
	type group struct {
		rate    shop.TaxRate
		reduced bool
		amount  shop.Yen
		off     shop.Yen // ItemPercent's share of this rate's items
	}
	var groups []group
	add := func(rate shop.TaxRate, amount shop.Yen, reduced bool) {
		for i := range groups {
			if groups[i].rate == rate {
				groups[i].amount += amount
				groups[i].reduced = groups[i].reduced || reduced
				return
			}
		}
		groups = append(groups, group{rate: rate, reduced: reduced || rate.Reduced(), amount: amount})
	}

	b := Breakdown{DeliveryFee: o.DeliveryFee, CODFee: o.CODFee}
	for i, l := range o.Lines {
		if err := checkRate(l.Rate); err != nil {
			return Breakdown{}, fmt.Errorf("line %d: %w", i+1, err)
		}
		if l.Qty < 0 || l.UnitPrice < 0 || l.UnitPrice > MaxAmount {
			return Breakdown{}, invalid("line %d: quantity %d at %d yen", i+1, l.Qty, l.UnitPrice)
		}
		if l.Qty == 0 {
			continue
		}
		if int64(l.UnitPrice) > int64(MaxAmount)/int64(l.Qty) {
			return Breakdown{}, invalid("line %d: %d × %d yen is over the limit", i+1, l.Qty, l.UnitPrice)
		}
		amount := l.UnitPrice * shop.Yen(l.Qty)
		b.Items += amount
		if b.Items > MaxAmount {
			return Breakdown{}, invalid("items total over the limit")
		}
		add(l.Rate, amount, l.Class == shop.TaxReduced)
	}
	if o.ItemPercent < 0 || o.ItemPercent > 100 {
		return Breakdown{}, invalid("item discount %d%% out of range", o.ItemPercent)
	}
	for i := range groups { // items only so far: the fees come next
		groups[i].off = percentOff(groups[i].amount, o.ItemPercent)
		b.ItemDiscount += groups[i].off
	}
	for _, fee := range []shop.Yen{o.DeliveryFee, o.CODFee, o.Discount} {
		if fee < 0 || fee > MaxAmount {
			return Breakdown{}, invalid("fee or discount %d yen out of range", fee)
		}
	}
	if fees := o.DeliveryFee + o.CODFee; fees > 0 {
		// A zero StandardRate is far likelier a forgotten field than a
		// standard rate of 0%, and would silently drop the fees' tax.
		if o.StandardRate == 0 {
			return Breakdown{}, invalid("fees need the standard rate")
		}
		if err := checkRate(o.StandardRate); err != nil {
			return Breakdown{}, fmt.Errorf("fees: %w", err)
		}
		add(o.StandardRate, fees, false)
	}
	gross := b.Items - b.ItemDiscount + o.DeliveryFee + o.CODFee
	if gross > MaxAmount {
		return Breakdown{}, invalid("order total over the limit")
	}
	slices.SortFunc(groups, func(a, b group) int { return cmp.Compare(b.rate, a.rate) })
	fixed := make([]shop.Yen, len(groups))
	for _, rd := range o.RateDiscounts {
		i := slices.IndexFunc(groups, func(g group) bool { return g.rate == rd.Rate })
		if i < 0 || rd.Amount < 0 || rd.Amount > groups[i].amount-groups[i].off-fixed[i] {
			return Breakdown{}, invalid("discount %d yen at rate %d does not fit the sales at that rate", rd.Amount, rd.Rate)
		}
		fixed[i] += rd.Amount
		b.Discount += rd.Amount
	}
	if o.Discount > gross-b.Discount {
		return Breakdown{}, invalid("discount %d yen is larger than the total %d yen", o.Discount, gross-b.Discount)
	}
	b.Discount += o.Discount
	b.Total = gross - b.Discount

	amounts := make([]shop.Yen, len(groups))
	for i, g := range groups {
		amounts[i] = g.amount - g.off - fixed[i]
	}
	shares := prorate(o.Discount, amounts)
	b.Rates = make([]RateTotal, len(groups))
	for i, g := range groups {
		shares[i] += fixed[i]
		total := g.amount - g.off - shares[i]
		tax := shop.TaxIncluded(total, g.rate, rounding)
		b.Rates[i] = RateTotal{Rate: g.rate, Reduced: g.reduced, Subtotal: g.amount, Discount: g.off + shares[i], Total: total, Tax: tax}
		b.Tax += tax
	}
	return b, nil
}

// Prorate splits d across amounts in proportion to them, the shares
// adding up to d exactly (see prorate): a coupon on several items uses it
// to tie its discount to their rates.
func Prorate(d shop.Yen, amounts []shop.Yen) []shop.Yen { return prorate(d, amounts) }

// prorate splits d across amounts in proportion to them by the largest
// remainder method: every share is floor(d×a/Σa), and the yen left over go
// one each to the largest remainders, the earlier index winning a tie. The
// shares add up to d, and none exceeds its amount when d ≤ Σa.
func prorate(d shop.Yen, amounts []shop.Yen) []shop.Yen {
	shares := make([]shop.Yen, len(amounts))
	var sum shop.Yen
	for _, a := range amounts {
		sum += a
	}
	if d == 0 || sum == 0 {
		return shares
	}
	rems := make([]uint64, len(amounts))
	left := d
	for i, a := range amounts {
		// d×a may pass 2⁶³ (both can be 10¹³), so multiply in 128 bits.
		hi, lo := bits.Mul64(uint64(d), uint64(a))
		q, r := bits.Div64(hi, lo, uint64(sum))
		shares[i], rems[i] = shop.Yen(q), r
		left -= shop.Yen(q)
	}
	order := make([]int, len(amounts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(rems[j], rems[i]) })
	for _, i := range order[:left] {
		shares[i]++
	}
	return shares
}

func checkRate(r shop.TaxRate) error {
	if r < 0 || r > maxRate {
		return invalid("tax rate %d basis points out of range", r)
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// PriceIncl returns the tax-included price of a tax-excluded base price, the
// price a shop that enters prices without tax must show (総額表示). It is
// rounded per unit, because the unit price is what the customer sees.
func PriceIncl(base shop.Yen, rate shop.TaxRate, rounding shop.Rounding) shop.Yen {
	return shop.IncludeTax(base, rate, rounding)
}

// ItemDiscount is what percent (0–100) takes off lines as Compute's
// ItemPercent does: per rate, rounded down to the yen, summed. A checkout
// needs it before the fees are known (payment limits see it).
func ItemDiscount(lines []Line, percent int) shop.Yen {
	by := map[shop.TaxRate]shop.Yen{}
	for _, l := range lines {
		if l.Qty > 0 {
			by[l.Rate] += l.UnitPrice * shop.Yen(l.Qty)
		}
	}
	var d shop.Yen
	for _, a := range by {
		d += percentOff(a, percent)
	}
	return d
}

// percentOff is percent of amount, rounded down: a member never gets
// more off than the rate says, whatever the shop's tax rounding.
func percentOff(amount shop.Yen, percent int) shop.Yen {
	if percent <= 0 || amount <= 0 {
		return 0
	}
	return amount * shop.Yen(percent) / 100
}
