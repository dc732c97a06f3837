package phishcheck

import (
	"net"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// protectedDomain is one entry of Config.Protected, prepared for matching.
type protectedDomain struct {
	Name   string // as configured, lower-case ASCII ("shop.co.jp")
	Reg    string // registrable domain ("shop.co.jp")
	Label  string // the label left of the public suffix ("shop")
	Suffix string // the public suffix ("co.jp")
	Skel   string // skeleton(Label), computed once
}

func protectedList(names []string) []protectedDomain {
	var out []protectedDomain
	for _, n := range names {
		ascii := asciiDomain(n)
		reg := registrable(ascii)
		if reg == "" {
			continue
		}
		label, suffix, _ := strings.Cut(reg, ".")
		out = append(out, protectedDomain{Name: ascii, Reg: reg, Label: label, Suffix: suffix, Skel: skeleton(label)})
	}
	return out
}

// asciiDomain lower-cases a host name and turns it to its ASCII (punycode)
// form after NFKC, so "ＳＨＯＰ．co．jp" and "shop.co.jp." both give
// "shop.co.jp". It returns "" for something that is not a host name.
func asciiDomain(host string) string {
	h := strings.TrimSuffix(strings.ToLower(normalize(strings.TrimSpace(host))), ".")
	if h == "" || net.ParseIP(strings.Trim(h, "[]")) != nil {
		return ""
	}
	a, err := idna.Lookup.ToASCII(h)
	if err != nil {
		// Keep hosts that break IDNA rules (underscores, leading hyphens):
		// phishers use whatever resolves.
		a, err = idna.Punycode.ToASCII(h)
		if err != nil {
			return ""
		}
	}
	return strings.ToLower(a)
}

// unicodeDomain is the display form of an ASCII host.
func unicodeDomain(ascii string) string {
	u, err := idna.Display.ToUnicode(ascii)
	if err != nil {
		return ascii
	}
	return u
}

// registrable returns the organisational domain of an ASCII host
// (RFC 7489 §3.2, using the public suffix list), or "" when there is none
// (a bare public suffix, an IP address, or a single label).
func registrable(host string) string {
	host = strings.TrimSuffix(host, ".")
	if host == "" || !strings.Contains(host, ".") {
		return ""
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return reg
}

// knownSuffix reports whether the host ends in a public suffix that ICANN
// manages or that is on the private list; "ver.1.2" or "file.txt" do not.
func knownSuffix(host string) bool {
	suffix, icann := publicsuffix.PublicSuffix(host)
	if icann {
		return true
	}
	return strings.Contains(suffix, ".") // a private-list entry like "github.io"
}

// aligned reports DMARC identifier alignment (RFC 7489 §3.1): strict means
// the same host, relaxed the same organisational domain.
func aligned(a, b string, strict bool) bool {
	a, b = strings.TrimSuffix(strings.ToLower(a), "."), strings.TrimSuffix(strings.ToLower(b), ".")
	if a == "" || b == "" {
		return false
	}
	if strict {
		return a == b
	}
	ra, rb := registrable(a), registrable(b)
	return ra != "" && ra == rb
}

// protectedMatch returns the protected entry whose organisational domain
// host belongs to, or nil.
func (b *builder) protectedMatch(host string) *protectedDomain {
	reg := registrable(host)
	for i, p := range b.protected {
		if reg != "" && reg == p.Reg {
			return &b.protected[i]
		}
	}
	return nil
}

// domainOf returns the ASCII domain of an address ("x@Shop.co.jp" →
// "shop.co.jp").
func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return asciiDomain(strings.Trim(addr[i+1:], "<>[] "))
}
