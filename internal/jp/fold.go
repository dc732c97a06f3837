package jp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// longVowel is the one form every dash-like and wave-dash-like character
// folds to. People type a long vowel as ー, ｰ, -, −, ― or 〜 ("ティ〜"), and
// product codes use any of the hyphens, so search treats them all alike.
const longVowel = 'ー' // U+30FC

// isDashOrWave reports whether r is a long-vowel mark, a hyphen or dash, or
// a wave dash/tilde variant (after NFKC, which already maps ｰ → ー,
// － → -, ～ → ~).
func isDashOrWave(r rune) bool {
	switch r {
	case '-', '~',
		'\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', // ‐ ‑ ‒ – — ―
		'\u2212',           // − minus sign
		'\u2500', '\u2501', // ─ ━ box drawing, common in old CSVs
		'\u223C', '\u223E', // ∼ ∾
		'\u301C', '\u3030', // 〜 wave dash, 〰 wavy dash
		'\u30FC': // ー
		return true
	}
	return false
}

// Fold returns the search key of s: text that should match folds to the
// same string, so the same function must be applied to the indexed text and
// to the query. In order it
//   - drops format characters (unicode.Cf: zero-width spaces, BOM, soft
//     hyphen) and control characters other than whitespace;
//   - applies NFKC (full-width ASCII → ASCII, half-width kana → full-width
//     katakana with voiced marks composed, ㈱ → (株), …);
//   - lower-cases;
//   - turns hiragana into katakana (てぃー → ティー);
//   - folds every long-vowel, dash and wave-dash variant to ー;
//   - collapses runs of whitespace (including U+3000) to one space and trims.
//
// So ﾃｨｰ, てぃー and ティー all fold to ティー, and ＴＥＡ and Tea to tea.
// Fold is for keys, never for display.
func Fold(s string) string {
	// Invisible characters go before NFKC, so that "ｶ\u200bﾞ" composes to
	// ガ as it looks, and folding a folded key changes nothing.
	if strings.ContainsFunc(s, invisible) {
		s = strings.Map(func(r rune) rune {
			if invisible(r) {
				return -1
			}
			return r
		}, s)
	}
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending, written before the next rune
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case invisible(r):
			continue
		case r >= 'ぁ' && r <= 'ゖ', r == 'ゝ' || r == 'ゞ':
			r += 'ァ' - 'ぁ'
		case isDashOrWave(r):
			r = longVowel
		default:
			r = unicode.ToLower(r)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SplitKeywords splits a search query into keywords on half-width and
// full-width spaces (and any other whitespace), dropping empty and repeated
// keywords while keeping the order. Combine with Fold for search:
// SplitKeywords(Fold(q)). It returns nil for a blank query.
func SplitKeywords(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, unicode.IsSpace) {
		dup := false
		for _, k := range out {
			if k == f {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

// invisible reports whether r is a format character or a control character
// other than whitespace: text search must not see them.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.IsControl(r) && !unicode.IsSpace(r)
}
