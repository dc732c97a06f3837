// Package shop holds the value types every other package shares: money,
// tax rates, identifiers and the error kinds the web layer maps to status
// codes. It does no I/O and imports no other Akinai package.
package shop

import (
	"strconv"
	"strings"
)

// Yen is an amount of Japanese yen. Yen has no minor unit, so every price,
// fee, tax and total in Akinai is a whole number of yen.
type Yen int64

// String formats the amount with thousands separators, e.g. "1,980".
func (y Yen) String() string {
	n := int64(y)
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	pre := len(s) % 3
	if pre > 0 {
		out = append(out, s[:pre]...)
	}
	for i := pre; i < len(s); i += 3 {
		if len(out) > 0 && !(neg && len(out) == 1) {
			out = append(out, ',')
		}
		out = append(out, s[i:i+3]...)
	}
	return string(out)
}

// Rounding is how a fractional yen amount of tax is made whole.
// The shop chooses one in its settings; 切り捨て (Floor) is the default.
type Rounding string

const (
	Floor   Rounding = "floor"   // 切り捨て
	HalfUp  Rounding = "half_up" // 四捨五入
	Ceiling Rounding = "ceil"    // 切り上げ
)

// Valid reports whether r is one of the known rounding modes.
func (r Rounding) Valid() bool {
	return r == Floor || r == HalfUp || r == Ceiling
}

// DivRound returns num/den rounded by r. den must be positive; num may be
// negative (a refund), in which case the mode applies to the magnitude.
func (r Rounding) DivRound(num, den int64) int64 {
	if num < 0 {
		return -r.DivRound(-num, den)
	}
	q, rem := num/den, num%den
	switch r {
	case Ceiling:
		if rem > 0 {
			q++
		}
	case HalfUp:
		if rem*2 >= den {
			q++
		}
	}
	return q
}

// ParseYen reads an amount an operator typed ("1,200", "" for 0): whole
// yen from 0 to 100,000,000, and false for anything else.
func ParseYen(s string) (Yen, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 100_000_000 {
		return 0, false
	}
	return Yen(n), true
}
