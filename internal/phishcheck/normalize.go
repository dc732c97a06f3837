package phishcheck

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalize prepares text for matching: NFKC (half-width katakana and
// full-width Latin become their usual forms), invisible format characters
// (Unicode Cf: zero-width spaces, bidi controls, soft hyphens) removed, and
// the dash and tilde variants that Japanese encoders disagree on folded to
// one form.
func normalize(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1
		case r == '\u301c' || r == '\uff5e': // wave dash, full-width tilde
			return '~'
		case r == '\u2212' || r == '\uff0d' || r == '\u2010' || r == '\u2011' ||
			r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u2015':
			return '-'
		case r == '\u3002' || r == '\uff61': // ideographic full stop used in domains
			return '.'
		}
		return r
	}, s)
}

// squeeze lower-cases s and removes all white space, so that a phrase broken
// over lines or spaced out still matches.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}
