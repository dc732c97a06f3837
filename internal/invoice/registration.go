package invoice

import (
	"strings"
	"unicode"

	"github.com/akinai/akinai/internal/shop"
	"golang.org/x/text/width"
)

// ErrRegistrationNumber is returned by RegistrationNumber for a value that
// is not a valid qualified-invoice registration number.
var ErrRegistrationNumber = &shop.Error{Kind: shop.Invalid, Key: "error.registration_number"}

// RegistrationNumber normalises and validates a qualified-invoice issuer's
// registration number (適格請求書発行事業者登録番号): "T" followed by 13
// digits, ^T\d{13}$. Surrounding spaces, full-width characters, a lower-case
// t and hyphens between digit groups (T1-2345-6789-0123) are accepted and
// removed. The first digit must be the check digit of the other twelve
// (CheckDigit); a corporation's number is its 法人番号, which carries it.
// It returns ErrRegistrationNumber otherwise.
func RegistrationNumber(s string) (string, error) {
	s = width.Narrow.String(strings.TrimFunc(s, unicode.IsSpace))
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Pd, r) || unicode.IsSpace(r) || r == '−' || r == 'ｰ' || r == 'ー' {
			return -1
		}
		return r
	}, s)
	if len(s) != 14 || (s[0] != 'T' && s[0] != 't') {
		return "", ErrRegistrationNumber
	}
	digits := s[1:]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", ErrRegistrationNumber
		}
	}
	if int(digits[0]-'0') != CheckDigit(digits[1:]) {
		return "", ErrRegistrationNumber
	}
	return "T" + digits, nil
}

// CheckDigit returns the check digit (検査用数字) of a 12-digit base number
// of a 法人番号, by the formula of 財務省令第七十号 第二条:
// 9 − (Σ Pn×Qn mod 9) for n = 1…12, where Pn is the n-th digit counted from
// the rightmost and Qn is 1 for odd n and 2 for even n. The result is 1–9.
// It returns -1 if base is not exactly 12 ASCII digits.
func CheckDigit(base string) int {
	if len(base) != 12 {
		return -1
	}
	sum := 0
	for n := 1; n <= 12; n++ {
		c := base[12-n]
		if c < '0' || c > '9' {
			return -1
		}
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += int(c-'0') * q
	}
	return 9 - sum%9
}
