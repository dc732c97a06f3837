package phishcheck

import (
	"strings"
	"unicode"
)

// checkDisplayName flags a display name that names another domain than the
// address ("ec-cube.net" <x@other.jp>, "support@shop.co.jp" <x@evil>) or a
// protected brand while the address is elsewhere ("EC-CUBE サポート"
// <x@evil.example>).
func (b *builder) checkDisplayName(m mailbox, fromDomain string) {
	if m.Name == "" {
		return
	}
	fromReg := registrable(fromDomain)
	for _, h := range hostsIn(m.Name) {
		if reg := registrable(h); reg == fromReg && reg != "" {
			continue
		}
		sev := SeverityMedium
		if b.protectedMatch(h) != nil {
			sev = SeverityCritical
		} else if codes, _ := b.lookalike(h); len(codes) > 0 {
			sev = SeverityCritical
		}
		b.add("display.spoof_domain", sev, m.String())
		break
	}
	if b.protectedMatch(fromDomain) != nil {
		return
	}
	name := brandKey(m.Name)
	for _, brand := range b.brands() {
		if k := brandKey(brand); k != "" && strings.Contains(name, k) {
			b.add("display.spoof_brand", SeverityCritical, m.String()+" ≈ "+brand)
			return
		}
	}
}

// brands lists Config.Brands and the first label of every protected domain
// that is long enough to be a name rather than a word ("ec-cube", not
// "shop").
func (b *builder) brands() []string {
	out := append([]string(nil), b.cfg.Brands...)
	for _, p := range b.protected {
		if len([]rune(strings.ReplaceAll(p.Label, "-", ""))) >= 5 {
			out = append(out, p.Label)
		}
	}
	return out
}

// brandKey reduces a name to its confusable skeleton without spaces and
// punctuation: "ＥＣ－ＣＵＢＥ", "EC CUBE" and "ec-cubе" all give "eccube".
func brandKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, skeleton(s))
}
