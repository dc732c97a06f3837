// Package coupon holds coupons (クーポン): codes worth a fixed amount or a
// percentage off the order's items or off chosen products/categories,
// with a minimum amount, a period, total uses and uses per customer, and
// limits to members or a customer rank. Apply checks a code against an
// order and prices it (read-only); Reserve counts the use inside the
// order's transaction with conditional updates, so a coupon is never used
// more often than it may be however many buyers check out at once.
package coupon

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/shop"
)

// Kinds of coupon.
const (
	Fixed   = "fixed"   // Amount yen off
	Percent = "percent" // Amount percent off
)

// Scopes: what the discount applies to.
const (
	ScopeOrder = "order" // every item of the order
	ScopeItems = "items" // the target products and categories only
)

// Coupon is one code and its rules.
type Coupon struct {
	ID          int64
	Code        string
	Name        string
	Kind        string
	Amount      int64 // yen for Fixed, percent for Percent
	Scope       string
	MinAmount   shop.Yen
	StartsAt    *time.Time
	EndsAt      *time.Time
	MaxUses     *int64 // nil: unlimited
	Uses        int64
	PerCustomer *int64 // nil: unlimited
	MembersOnly bool
	RankID      *int64
	NoPoints    bool // may not be combined with points
	Active      bool
	Batch       string
	CreatedAt   time.Time
	Products    []int64
	Categories  []int64
}

// Line is an order line as a coupon sees it.
type Line struct {
	ProductID int64
	Rate      shop.TaxRate
	Amount    shop.Yen // the line's total, tax included
}

// Order is what a coupon is checked against.
type Order struct {
	CustomerID int64 // 0 for a guest
	Email      string
	Lines      []Line
	Points     int64 // points the buyer spends on the order
}

// Applied is a coupon priced against an order.
type Applied struct {
	Coupon   *Coupon
	Discount shop.Yen
	// ByRate splits Discount over the rates of the items it applies to
	// (a discount on goods belongs to their rate).
	ByRate []RateShare
}

// RateShare is the part of a discount on the items at one rate.
type RateShare struct {
	Rate   shop.TaxRate
	Amount shop.Yen
}

// NormalizeCode makes a typed code comparable: spaces trimmed,
// full-width letters and digits made half-width, upper case.
func NormalizeCode(s string) string {
	s = width.Narrow.String(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	return s
}

// ValidCode reports whether c (normalised) may be a code: 3–32 letters,
// digits, '-' or '_'.
func ValidCode(c string) bool {
	if len(c) < 3 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// refuse is the error for a coupon that does not apply: Invalid with a
// message key naming the reason and the field "coupon".
func refuse(key string, args ...any) error {
	return &shop.Error{Kind: shop.Invalid, Key: key, Args: args, Fields: map[string]string{"coupon": key}}
}

// Who is the key a coupon's uses per customer are counted under.
func (o Order) Who() string {
	if o.CustomerID != 0 {
		return "c:" + strconv.FormatInt(o.CustomerID, 10)
	}
	return "e:" + strings.ToLower(o.Email)
}

// price computes the discount of c on o's lines (targets already
// resolved into inTarget) without checking anything else.
func price(c *Coupon, o Order, inTarget func(Line) bool) (shop.Yen, []RateShare) {
	var base shop.Yen
	byRate := map[shop.TaxRate]shop.Yen{}
	var rates []shop.TaxRate
	for _, l := range o.Lines {
		if c.Scope == ScopeItems && !inTarget(l) {
			continue
		}
		base += l.Amount
		if _, ok := byRate[l.Rate]; !ok {
			rates = append(rates, l.Rate)
		}
		byRate[l.Rate] += l.Amount
	}
	d := shop.Yen(c.Amount)
	if c.Kind == Percent {
		d = base * shop.Yen(c.Amount) / 100
	}
	d = min(d, base)
	if d <= 0 {
		return 0, nil
	}
	amounts := make([]shop.Yen, len(rates))
	for i, r := range rates {
		amounts[i] = byRate[r]
	}
	shares := invoice.Prorate(d, amounts)
	out := make([]RateShare, 0, len(rates))
	for i, r := range rates {
		if shares[i] > 0 {
			out = append(out, RateShare{Rate: r, Amount: shares[i]})
		}
	}
	return d, out
}
