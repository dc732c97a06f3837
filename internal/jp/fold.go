// Package jp holds Japanese text rules. This file is a stand-in for the
// jp engineer's Fold until it lands on main; the signature is the same.
package jp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold normalises text for search so that the query and the indexed text
// compare equal across widths and scripts: NFKC (full-width ASCII and
// half-width kana become their usual forms), control and format
// characters dropped, lower-case, hiragana turned into katakana.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			continue
		case r >= 'ぁ' && r <= 'ゖ', r == 'ゝ' || r == 'ゞ':
			r += 'ァ' - 'ぁ'
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
