package clientip

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode"
)

// ParsePrefixes parses a list of IPv4 and IPv6 addresses and CIDR prefixes
// separated by commas, spaces or newlines; "#" starts a comment that runs to
// the end of the line. A bare address becomes a single-address prefix
// (/32 or /128); a prefix is masked (10.1.2.3/8 → 10.0.0.0/8); IPv4-mapped
// IPv6 forms are turned into IPv4 (::ffff:10.0.0.0/104 → 10.0.0.0/8). An
// empty list gives nil.
//
// The error names the first bad entry and its position, e.g.
// `entry 3 "10.0.0.300": not an IP address or CIDR prefix`. Addresses with
// a zone (fe80::1%eth0) are refused: zones do not survive into requests'
// addresses.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	n := 0
	for line := range strings.SplitSeq(list, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, entry := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			n++
			p, err := parsePrefix(entry)
			if err != nil {
				return nil, fmt.Errorf("clientip: entry %d %q: %w", n, entry, err)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.ContainsRune(s, '%') {
		return netip.Prefix{}, fmt.Errorf("addresses with a zone are not supported")
	}
	if strings.ContainsRune(s, '/') {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("not a CIDR prefix")
		}
		return normalPrefix(p.Masked()), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not an IP address or CIDR prefix")
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// normalPrefix turns an IPv4-mapped IPv6 prefix of at least /96 into the
// IPv4 prefix it stands for, so that it matches unmapped addresses.
func normalPrefix(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p
}

// normalAddr unmaps a and drops its zone.
func normalAddr(a netip.Addr) netip.Addr {
	return a.Unmap().WithZone("")
}

func containsAny(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if normalPrefix(p).Contains(a) {
			return true
		}
	}
	return false
}

// List is an allow list and a deny list of address ranges, as configured
// for the admin panel.
type List struct {
	Allow []netip.Prefix // empty: every address is allowed
	Deny  []netip.Prefix // checked first: deny wins over allow
}

// Permits reports whether addr may pass: it is in no Deny prefix, and
// either Allow is empty or addr is in one of its prefixes. addr is
// unmapped first. The zero Addr (an unknown client) is permitted only by an
// empty List, since nothing can be said about where it is.
func (l List) Permits(addr netip.Addr) bool {
	if !addr.IsValid() {
		return len(l.Allow) == 0 && len(l.Deny) == 0
	}
	addr = normalAddr(addr)
	if containsAny(l.Deny, addr) {
		return false
	}
	return len(l.Allow) == 0 || containsAny(l.Allow, addr)
}

// WouldLockOut reports whether saving l would shut out addr, the address
// of the administrator who is editing it; the admin page asks before it
// saves, so nobody removes their own way in by mistake. It is the negation
// of Permits.
func (l List) WouldLockOut(addr netip.Addr) bool {
	return !l.Permits(addr)
}
