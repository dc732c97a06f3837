package shop

import "fmt"

// TaxRate is a consumption-tax rate in basis points (1000 = 10%).
// Basis points keep rates exact integers, so no float ever touches money.
type TaxRate int

const (
	StandardRate TaxRate = 1000 // 標準税率 10%
	ReducedRate  TaxRate = 800  // 軽減税率 8%
)

// Percent returns the rate as a percentage string: "10", "8", "6.5".
func (t TaxRate) Percent() string {
	if t%100 == 0 {
		return fmt.Sprint(int(t) / 100)
	}
	return fmt.Sprintf("%d.%02d", int(t)/100, int(t)%100)
}

// Reduced reports whether this is the reduced rate (marked ※ on invoices).
func (t TaxRate) Reduced() bool { return t == ReducedRate }

// TaxClass says which rate a product falls under; the rate itself comes
// from dated tax rules, so a future change of rate is just a new rule.
type TaxClass string

const (
	TaxStandard TaxClass = "standard"
	TaxReduced  TaxClass = "reduced"
)

// IncludeTax returns the tax-included price of an amount excluding tax.
func IncludeTax(excl Yen, rate TaxRate, r Rounding) Yen {
	return excl + Yen(r.DivRound(int64(excl)*int64(rate), 10000))
}

// TaxIncluded returns the tax contained in a tax-included amount, as a
// qualified invoice states it per rate: total × rate / (1 + rate).
func TaxIncluded(incl Yen, rate TaxRate, r Rounding) Yen {
	return Yen(r.DivRound(int64(incl)*int64(rate), 10000+int64(rate)))
}
