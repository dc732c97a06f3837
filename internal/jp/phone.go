package jp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Phone normalises a Japanese phone number to its digits: full-width digits
// are narrowed, and spaces, hyphens of any kind and parentheses are removed,
// so "０３（１２３４）５６７８" and "03-1234-5678" give "0312345678". An
// international "+81" prefix becomes the domestic leading 0
// ("+81 90-1234-5678" → "09012345678"). The result must be 10 or 11 digits
// and start with 0 but not 00 (an international call prefix); otherwise
// Phone returns ErrPhone.
func Phone(s string) (string, error) {
	s = norm.NFKC.String(s)
	s = strings.TrimFunc(s, unicode.IsSpace)
	if rest, ok := strings.CutPrefix(s, "+81"); ok {
		rest = strings.TrimLeftFunc(rest, func(r rune) bool {
			return unicode.IsSpace(r) || isHyphen(r) || r == '(' || r == ')'
		})
		// "+81 (0)3 …" is written too; the 0 in parentheses is the trunk
		// prefix and must not be doubled.
		rest = strings.TrimPrefix(rest, "0")
		s = "0" + rest
	}
	var b strings.Builder
	b.Grow(11)
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if b.Len() == 11 {
				return "", ErrPhone
			}
			b.WriteRune(r)
		case isHyphen(r), r == '(', r == ')', unicode.IsSpace(r):
		default:
			return "", ErrPhone
		}
	}
	d := b.String()
	if len(d) < 10 || d[0] != '0' || d[1] == '0' {
		return "", ErrPhone
	}
	return d, nil
}
