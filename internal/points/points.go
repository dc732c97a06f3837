// Package points holds the shop's points (ポイント): customers earn a
// percentage of what they buy (the shop's rate, or a product's own),
// granted when the order reaches the status the operator chose (paid or
// shipped) and taken back on cancellation or return; they spend them at
// checkout, 1 point = ¥1, within a minimum and a maximum per order; and
// they expire N months after the customer's last purchase. Every change
// is a row of the customer's ledger with the balance after it.
//
// Points spent are a discount on the order's total (値引き), not a means
// of payment: the checkout passes them to invoice.Compute as Discount,
// which prorates them over the rates by amount, so the per-rate totals
// and taxes on the confirmation, the mail and the invoice are after the
// points (see docs/POINTS_COUPONS.md).
package points

import (
	"strconv"

	"github.com/akinai/akinai/internal/shop"
)

// Settings keys (run-time settings, edited on the admin's point settings).
const (
	KeyEnabled = "points.enabled"       // "1" to earn and spend points
	KeyRate    = "points.rate"          // the shop's earn rate, percent
	KeyGrantAt = "points.grant_at"      // "paid" or "shipped"
	KeyMin     = "points.min_use"       // fewest points one order may spend
	KeyMax     = "points.max_use"       // most points one order may spend, 0: no limit
	KeyExpiry  = "points.expiry_months" // months without purchase, 0: never
)

// Grant statuses.
const (
	GrantPaid    = "paid"
	GrantShipped = "shipped"
)

// Ledger kinds.
const (
	Earned   = "earned"
	Spent    = "spent"
	Expired  = "expired"
	Adjusted = "adjusted"
	Revoked  = "revoked"
	Refunded = "refunded"
)

// Settings is how the shop runs its points.
type Settings struct {
	Enabled      bool
	Rate         int // percent of the price (tax included) earned
	GrantAt      string
	Min, Max     int64
	ExpiryMonths int
}

// SettingsFrom reads the settings from the shop's settings map; missing
// or malformed values take the defaults (off, 1%, shipped, 1, no maximum,
// 12 months).
func SettingsFrom(m map[string]string) Settings {
	s := Settings{Enabled: m[KeyEnabled] == "1", Rate: 1, GrantAt: GrantShipped, Min: 1, ExpiryMonths: 12}
	if n, err := strconv.Atoi(m[KeyRate]); err == nil && n >= 0 && n <= 100 {
		s.Rate = n
	}
	if m[KeyGrantAt] == GrantPaid {
		s.GrantAt = GrantPaid
	}
	if n, err := strconv.ParseInt(m[KeyMin], 10, 64); err == nil && n >= 1 {
		s.Min = n
	}
	if n, err := strconv.ParseInt(m[KeyMax], 10, 64); err == nil && n >= 0 {
		s.Max = n
	}
	if n, err := strconv.Atoi(m[KeyExpiry]); err == nil && n >= 0 && n <= 120 {
		s.ExpiryMonths = n
	}
	return s
}

// Map is s as settings key → value, for settings.Store.Set.
func (s Settings) Map() map[string]string {
	on := "0"
	if s.Enabled {
		on = "1"
	}
	return map[string]string{KeyEnabled: on, KeyRate: strconv.Itoa(s.Rate), KeyGrantAt: s.GrantAt,
		KeyMin: strconv.FormatInt(s.Min, 10), KeyMax: strconv.FormatInt(s.Max, 10), KeyExpiry: strconv.Itoa(s.ExpiryMonths)}
}

// EarnLine is an order line as the earn computation sees it.
type EarnLine struct {
	Amount shop.Yen // the line's total, tax included
	Rate   *int     // the product's own rate in percent; nil: the shop's
}

// Earn is the points an order earns: each line's amount times its rate
// (the product's own, else the shop's), scaled down by the share of the
// items the discounts (coupon and points spent) took off, rounded down.
// Points are not earned on delivery or payment fees.
func Earn(lines []EarnLine, shopRate int, discount shop.Yen) int64 {
	var items shop.Yen
	var pctYen int64 // Σ amount × rate, in hundredths of a point
	for _, l := range lines {
		r := shopRate
		if l.Rate != nil {
			r = *l.Rate
		}
		items += l.Amount
		pctYen += int64(l.Amount) * int64(r)
	}
	if items <= 0 || discount >= items {
		return 0
	}
	// pctYen × (items − discount) / items / 100, in integers.
	return pctYen * int64(items-discount) / int64(items) / 100
}

// CheckSpend checks spending want points against the settings, the
// balance and the order's amount (at most what is left to pay). It
// returns the field error key for "points", "" when it is fine.
func (s Settings) CheckSpend(want, balance int64, payable shop.Yen) string {
	switch {
	case want <= 0:
		return ""
	case !s.Enabled:
		return "points.disabled"
	case want > balance:
		return "points.over_balance"
	case want < s.Min:
		return "points.under_min"
	case s.Max > 0 && want > s.Max:
		return "points.over_max"
	case shop.Yen(want) > payable:
		return "points.over_total"
	}
	return ""
}
