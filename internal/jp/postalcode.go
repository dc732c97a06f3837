package jp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// isHyphen reports whether r is one of the characters people put between
// the two parts of a postal code or the groups of a phone number.
func isHyphen(r rune) bool {
	return isDashOrWave(r) && r != '~' && r != '〜' && r != '\u3030' || r == 'ｰ'
}

// PostalCode normalises a Japanese postal code to its 7 stored digits. It
// accepts full-width digits, a leading 〒, surrounding or inner spaces and
// one hyphen of any kind after the third digit: "〒123-4567", "１２３ー４５６７"
// and "1234567" all give "1234567". It returns ErrPostalCode for anything else.
// Whether the code exists is for internal/postal to say.
func PostalCode(s string) (string, error) {
	s = norm.NFKC.String(s)
	s = strings.TrimFunc(s, unicode.IsSpace)
	s = strings.TrimPrefix(s, "〒")
	var digits [7]byte
	n, hyphens := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if n == len(digits) {
				return "", ErrPostalCode
			}
			digits[n] = byte(r)
			n++
		case isHyphen(r):
			// A hyphen belongs after the third digit and only there.
			if n != 3 || hyphens > 0 {
				return "", ErrPostalCode
			}
			hyphens++
		case unicode.IsSpace(r):
		default:
			return "", ErrPostalCode
		}
	}
	if n != len(digits) {
		return "", ErrPostalCode
	}
	return string(digits[:]), nil
}

// FormatPostalCode formats a postal code for display as "123-4567". Input
// that PostalCode refuses is returned unchanged, so a bad stored value is
// shown as it is rather than hidden.
func FormatPostalCode(code string) string {
	c, err := PostalCode(code)
	if err != nil {
		return code
	}
	return c[:3] + "-" + c[3:]
}
