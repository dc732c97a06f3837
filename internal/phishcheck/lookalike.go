package phishcheck

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/unicode/norm"
)

// Look-alike reason codes, all critical: a host that imitates a protected
// domain has no innocent use in a mail to the shop.
const (
	codeTLDSwap       = "lookalike.tld_swap"      // shop.jp, shop.com for shop.co.jp
	codeHomoglyph     = "lookalike.homoglyph"     // sh0p, ec-cubе (Cyrillic е)
	codeMixedScript   = "lookalike.mixed_script"  // Latin mixed with Cyrillic or Greek
	codePunycode      = "lookalike.punycode"      // an IDN (xn--) imitating a protected name
	codeInsertion     = "lookalike.insertion"     // ec-cubee
	codeOmission      = "lookalike.omission"      // ec-cbe, shopco.jp
	codeTransposition = "lookalike.transposition" // ec-cueb
	codeSubstitution  = "lookalike.substitution"  // ec-cuve
	codeHyphenation   = "lookalike.hyphenation"   // eccube, shop-co.jp
	codeSubdomain     = "lookalike.subdomain"     // shop.co.jp.evil.example
	codeBrandInName   = "lookalike.brand_in_name" // ec-cube-support.net
)

// lookalike compares an ASCII host with the protected domains. It returns
// the codes of every trick found against the first protected domain the
// host imitates, or nil when the host is protected itself or resembles none.
func (b *builder) lookalike(host string) ([]string, *protectedDomain) {
	if host == "" || b.protectedMatch(host) != nil {
		return nil, nil
	}
	reg := registrable(host)
	if reg == "" {
		reg = host
	}
	label, suffix, _ := strings.Cut(reg, ".")
	uniLabel := unicodeDomain(label)
	isIDN := strings.Contains(host, "xn--")
	for i := range b.protected {
		p := &b.protected[i]
		if codes := compareDomain(host, reg, label, uniLabel, suffix, isIDN, p); len(codes) > 0 {
			return codes, p
		}
	}
	return nil, nil
}

func compareDomain(host, reg, label, uniLabel, suffix string, isIDN bool, p *protectedDomain) []string {
	var codes []string
	add := func(c string) {
		for _, x := range codes {
			if x == c {
				return
			}
		}
		codes = append(codes, c)
	}
	if i := strings.Index(host, p.Reg); i >= 0 && (i == 0 || host[i-1] == '.' || host[i-1] == '-') {
		add(codeSubdomain)
	}
	sk, pk := skeleton(uniLabel), p.Skel
	if pk == "" {
		pk = skeleton(p.Label)
	}
	switch {
	case sk == pk:
		if uniLabel != p.Label {
			add(codeHomoglyph)
		}
		if suffix != p.Suffix {
			add(codeTLDSwap)
		}
	case squash(unicodeDomain(reg)) == squash(p.Reg):
		if strings.Count(reg, "-") != strings.Count(p.Reg, "-") {
			add(codeHyphenation)
		} else {
			add(codeOmission)
		}
	default:
		if c := editTrick(sk, pk); c != "" {
			add(c)
		}
	}
	if len(codes) == 0 {
		flat, pflat := strings.ReplaceAll(sk, "-", ""), strings.ReplaceAll(pk, "-", "")
		if (len(pflat) >= 5 && strings.Contains(flat, pflat)) || (suffix != p.Suffix && strings.Contains(squash(label), squash(p.Reg))) {
			add(codeBrandInName)
		}
	}
	if len(codes) > 0 && isIDN {
		add(codePunycode)
		if mixedScript(uniLabel) {
			add(codeMixedScript)
		}
	}
	return codes
}

// editTrick names the single edit that turns the protected label pk into
// sk: insertion, omission, transposition of neighbours, or substitution
// (hyphenation when the edit is a hyphen). Short labels, where one edit
// reaches many unrelated words, are only checked for the gentler edits.
func editTrick(sk, pk string) string {
	a, b := []rune(sk), []rune(pk)
	if len(b) < 4 {
		return ""
	}
	switch len(a) - len(b) {
	case 1:
		if r, ok := oneRemoved(a, b); ok {
			if r == '-' {
				return codeHyphenation
			}
			return codeInsertion
		}
	case -1:
		if r, ok := oneRemoved(b, a); ok {
			if r == '-' {
				return codeHyphenation
			}
			return codeOmission
		}
	case 0:
		var diff []int
		for i := range a {
			if a[i] != b[i] {
				diff = append(diff, i)
			}
		}
		if len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]] {
			return codeTransposition
		}
		if len(diff) == 1 && len(b) >= 5 {
			return codeSubstitution
		}
	}
	return ""
}

// oneRemoved reports whether removing one rune from long gives short, and
// which rune.
func oneRemoved(long, short []rune) (rune, bool) {
	for i := range long {
		if string(long[:i])+string(long[i+1:]) == string(short) {
			return long[i], true
		}
	}
	return 0, false
}

// skeleton maps a label to its UTS #39 confusable skeleton, lower-cased,
// with the digit look-alikes the Unicode table leaves out folded too.
func skeleton(s string) string {
	s = strings.ToLower(normalize(s))
	s = strings.ToLower(confusables.Skeleton(s))
	s = norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Mn, r):
			return -1
		case r == '0':
			return 'o'
		case r == '1' || r == 'i' || r == '|':
			return 'l'
		}
		return r
	}, s)
}

// squash removes dots and hyphens: "shop-co.jp" and "shopco.jp" squash to
// the same string as "shop.co.jp".
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' {
			return -1
		}
		return r
	}, skeleton(s))
}

// mixedScript reports a label that mixes scripts in a way UTS #39's
// "Highly Restrictive" level forbids: Latin with Cyrillic or Greek, for
// example. Latin with Han, Hiragana and Katakana (Japanese) is allowed.
func mixedScript(label string) bool {
	scripts := map[string]bool{}
	tables := map[string]*unicode.RangeTable{
		"Latin": unicode.Latin, "Cyrillic": unicode.Cyrillic, "Greek": unicode.Greek,
		"Armenian": unicode.Armenian, "Cherokee": unicode.Cherokee, "Georgian": unicode.Georgian,
		"Han": unicode.Han, "Hiragana": unicode.Hiragana, "Katakana": unicode.Katakana,
		"Hangul": unicode.Hangul, "Arabic": unicode.Arabic, "Hebrew": unicode.Hebrew,
	}
	for _, r := range label {
		for name, t := range tables {
			if unicode.Is(t, r) {
				scripts[name] = true
			}
		}
	}
	japanese := 0
	for _, s := range []string{"Latin", "Han", "Hiragana", "Katakana"} {
		if scripts[s] {
			japanese++
		}
	}
	return len(scripts) > 1 && japanese != len(scripts)
}
