// Package clientip finds the address a request came from, believing
// forwarding headers only from configured proxies, and matches addresses
// against allow and deny lists. Addresses are always unmapped
// (::ffff:203.0.113.7 becomes 203.0.113.7) and zone-free, so that IPv4
// rules match IPv4 clients reaching a dual-stack socket.
package clientip

import (
	"net/http"
	"net/netip"
	"strings"
)

// Resolver finds the client address of requests that may have come
// through reverse proxies (a load balancer, nginx, a CDN).
//
// Only proxies in TrustedProxies are believed. A proxy appends the address
// it received the request from to the forwarding header, so the header is
// read from the right: each hop that is a trusted proxy is skipped, and the
// first that is not is the client. Everything left of it was written by
// the client and could be anything.
type Resolver struct {
	// TrustedProxies are the addresses of the proxies in front of the
	// server. Empty means no proxy: forwarding headers are ignored.
	TrustedProxies []netip.Prefix

	// UseForwarded reads the RFC 7239 Forwarded header instead of
	// X-Forwarded-For. Only one is read, and it must be the one the
	// trusted proxies write: a proxy passes the other through untouched,
	// so a client could put any address in it.
	UseForwarded bool
}

// ClientIP returns the address r came from: r.RemoteAddr, unless that is a
// trusted proxy, in which case the right-most untrusted hop of the
// forwarding header. If the header is missing, or a hop cannot be parsed
// (garbage, "unknown", an obfuscated identifier), it returns the last
// address it could trust, which is a proxy's: rate limits then fall on the
// proxy, which is safe, rather than on an address a client chose.
//
// The result is unmapped and has no zone. It is the zero Addr only when
// r.RemoteAddr is not an IP address (for example a Unix socket); callers
// should treat that as an unknown client.
func (res *Resolver) ClientIP(r *http.Request) netip.Addr {
	remote := parseHop(r.RemoteAddr)
	if !remote.IsValid() || !containsAny(res.TrustedProxies, remote) {
		return remote
	}
	if res.UseForwarded {
		return res.walk(remote, forwardedHops(r.Header.Values("Forwarded")))
	}
	return res.walk(remote, xffHops(r.Header.Values("X-Forwarded-For")))
}

// walk returns the right-most untrusted address in hops (listed right to
// left), or the last trusted one if a hop is unparseable or all are
// trusted.
func (res *Resolver) walk(last netip.Addr, hops []string) netip.Addr {
	for _, h := range hops {
		a := parseHop(h)
		if !a.IsValid() {
			return last
		}
		if !containsAny(res.TrustedProxies, a) {
			return a
		}
		last = a
	}
	return last
}

// maxHops bounds the work one request can cause; real chains are a
// handful of proxies long.
const maxHops = 32

// xffHops returns the comma-separated entries of the X-Forwarded-For
// header lines, right-most first. Multiple lines form one list, in order.
func xffHops(lines []string) []string {
	var hops []string
	for i := len(lines) - 1; i >= 0 && len(hops) < maxHops; i-- {
		rest := lines[i]
		if strings.TrimSpace(rest) == "" {
			continue
		}
		for len(hops) < maxHops {
			j := strings.LastIndexByte(rest, ',')
			hops = append(hops, strings.TrimSpace(rest[j+1:]))
			if j < 0 {
				break
			}
			rest = rest[:j]
		}
	}
	return hops
}

// forwardedHops returns the for= value of each element of the RFC 7239
// Forwarded header lines, right-most first, unquoted. An element without
// for=, or a line that does not parse, yields an empty hop, which stops the
// walk there.
func forwardedHops(lines []string) []string {
	var all []string
	for _, line := range lines {
		elems, ok := splitForwarded(line)
		if !ok {
			// Everything up to here is unreliable; keep what is right of it.
			all = all[:0]
			all = append(all, "")
			continue
		}
		all = append(all, elems...)
	}
	hops := make([]string, 0, min(len(all), maxHops))
	for i := len(all) - 1; i >= 0 && len(hops) < maxHops; i-- {
		hops = append(hops, all[i])
	}
	return hops
}

// splitForwarded parses one Forwarded header line:
//
//	Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::1]:4711"
//
// returning the for= value of each comma-separated element ("" if it has
// none) and false if the line breaks the RFC 7239 grammar.
func splitForwarded(s string) ([]string, bool) {
	var out []string
	forVal, seenFor := "", false
	i := 0
	for {
		// One pair: token "=" ( token / quoted-string ).
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		start := i
		for i < len(s) && isTokenChar(s[i]) {
			i++
		}
		name := s[start:i]
		if name == "" || i >= len(s) || s[i] != '=' {
			return nil, false
		}
		i++
		var val string
		if i < len(s) && s[i] == '"' {
			var b strings.Builder
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
					if i == len(s) {
						return nil, false
					}
				}
				b.WriteByte(s[i])
			}
			if i == len(s) {
				return nil, false
			}
			i++
			val = b.String()
		} else {
			start = i
			for i < len(s) && isTokenChar(s[i]) {
				i++
			}
			val = s[start:i]
			if val == "" {
				return nil, false
			}
		}
		if strings.EqualFold(name, "for") {
			if seenFor {
				return nil, false // a parameter may appear once per element
			}
			forVal, seenFor = val, true
		}
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		switch {
		case i == len(s):
			return append(out, forVal), true
		case s[i] == ';':
			i++
		case s[i] == ',':
			out = append(out, forVal)
			forVal, seenFor = "", false
			i++
		default:
			return nil, false
		}
	}
}

// isTokenChar reports whether c may appear in an RFC 7230 token.
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// parseHop parses an address as found in RemoteAddr and forwarding headers:
// "203.0.113.7", "203.0.113.7:4711", "2001:db8::1", "[2001:db8::1]" or
// "[2001:db8::1]:4711". Anything else gives the zero Addr.
func parseHop(s string) netip.Addr {
	if s == "" || len(s) > 64 {
		return netip.Addr{}
	}
	// Choose the form by shape rather than by trial, so that the common
	// cases cost no error allocations.
	switch {
	case s[0] == '[' && s[len(s)-1] == ']':
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && a.Is6() {
			return normalAddr(a)
		}
	case s[0] == '[' || strings.Count(s, ":") == 1:
		if ap, err := netip.ParseAddrPort(s); err == nil {
			return normalAddr(ap.Addr())
		}
	default:
		if a, err := netip.ParseAddr(s); err == nil {
			return normalAddr(a)
		}
	}
	return netip.Addr{}
}
