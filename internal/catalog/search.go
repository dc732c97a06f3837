package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/jp"
)

// Search limits: a query longer than MaxQueryRunes is cut, and only the
// first MaxKeywords keywords count, so any input makes a small query.
const (
	MaxQueryRunes = 100
	MaxKeywords   = 8
)

// CleanQuery trims a raw search query to MaxQueryRunes runes, turns
// control characters and full-width spaces into spaces and collapses
// runs of space, so it can be shown back and used as a cache key.
func CleanQuery(q string) string {
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, "")
	}
	var b strings.Builder
	n := 0
	space := false
	for _, r := range q {
		if n >= MaxQueryRunes {
			break
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u3000' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Keywords splits a cleaned query on half- and full-width spaces and
// folds each keyword (jp.Fold) the way SearchText folds the indexed text,
// so ﾃｨｰ, てぃー and ティー all find ハーブティー. Duplicates and empty
// keywords are dropped.
func Keywords(q string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }) {
		k := jp.Fold(f)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
		if len(out) == MaxKeywords {
			break
		}
	}
	return out
}

// SearchText builds a product's search_text: every name, search word and
// SKU folded with jp.Fold, separated by newlines so that a keyword cannot
// match across two fields.
func SearchText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		b.WriteString(jp.Fold(p))
		b.WriteByte('\n')
	}
	return b.String()
}
