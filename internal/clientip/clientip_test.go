package clientip

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func mustPrefixes(tb testing.TB, s string) []netip.Prefix {
	tb.Helper()
	p, err := ParsePrefixes(s)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestParsePrefixes(t *testing.T) {
	got := mustPrefixes(t, `
		10.1.2.3/8, 192.0.2.7   # the office
		2001:db8::1,2001:DB8:1::/48
		::ffff:198.51.100.0/120
		::ffff:203.0.113.9	::1
	`)
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "2001:db8::1/128", "2001:db8:1::/48",
		"198.51.100.0/24", "203.0.113.9/32", "::1/128"}
	if len(got) != len(want) {
		t.Fatalf("got %v; want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("entry %d = %s; want %s", i, got[i], want[i])
		}
	}
	for _, empty := range []string{"", " \n\t,, ", "# nothing here\n"} {
		if p, err := ParsePrefixes(empty); err != nil || p != nil {
			t.Errorf("ParsePrefixes(%q) = %v, %v; want nil, nil", empty, p, err)
		}
	}
}

func TestParsePrefixes_Errors(t *testing.T) {
	for _, tc := range []struct{ list, wantInErr string }{
		{"10.0.0.1, 10.0.0.300", `entry 2 "10.0.0.300"`},
		{"10.0.0.0/33", `entry 1 "10.0.0.0/33": not a CIDR prefix`},
		{"192.0.2.1\nexample.com", `entry 2 "example.com": not an IP address`},
		{"fe80::1%eth0", `entry 1 "fe80::1%eth0": addresses with a zone`},
		{"10.0.0.0/8/8", `entry 1 "10.0.0.0/8/8"`},
		{"10.0.0.1;10.0.0.2", `entry 1 "10.0.0.1;10.0.0.2"`},
		{"1.2.3.4 # ok\n 2001:db8::/129", `entry 2 "2001:db8::/129"`},
	} {
		_, err := ParsePrefixes(tc.list)
		if err == nil || !strings.Contains(err.Error(), tc.wantInErr) {
			t.Errorf("ParsePrefixes(%q) error = %v; want it to contain %s", tc.list, err, tc.wantInErr)
		}
	}
}

func TestResolver_ClientIP(t *testing.T) {
	proxies := "10.0.0.0/8, 192.168.1.1, 2001:db8:ff::/48"
	for _, tc := range []struct {
		name      string
		trusted   string
		forwarded bool
		remote    string
		xff       []string
		fwd       []string
		want      string
	}{
		// No proxy configured: the socket is the truth.
		{"direct IPv4", "", false, "203.0.113.7:5555", nil, nil, "203.0.113.7"},
		{"direct IPv6", "", false, "[2001:db8::7]:5555", nil, nil, "2001:db8::7"},
		{"direct mapped", "", false, "[::ffff:203.0.113.7]:5555", nil, nil, "203.0.113.7"},
		{"direct with zone", "", false, "[fe80::1%eth0]:5555", nil, nil, "fe80::1"},
		{"xff ignored without proxies", "", false, "203.0.113.7:5555", []string{"198.51.100.1"}, nil, "203.0.113.7"},

		// Spoofing: an untrusted client's headers are ignored.
		{"spoofed xff from untrusted client", proxies, false, "203.0.113.7:5555", []string{"10.0.0.1"}, nil, "203.0.113.7"},
		{"spoofed forwarded from untrusted client", proxies, true, "203.0.113.7:5555", nil, []string{"for=10.0.0.1"}, "203.0.113.7"},
		{"client prepends fake hop", proxies, false, "10.0.0.2:80", []string{"1.1.1.1, 203.0.113.7"}, nil, "203.0.113.7"},
		{"client prepends trusted-looking hop", proxies, false, "10.0.0.2:80", []string{"10.9.9.9, 203.0.113.7"}, nil, "203.0.113.7"},

		// Through proxies.
		{"one proxy", proxies, false, "10.0.0.2:80", []string{"203.0.113.7"}, nil, "203.0.113.7"},
		{"two proxies", proxies, false, "10.0.0.2:80", []string{"203.0.113.7, 192.168.1.1"}, nil, "203.0.113.7"},
		{"three proxies across header lines", proxies, false, "10.0.0.2:80", []string{"203.0.113.7, 10.5.5.5", "192.168.1.1"}, nil, "203.0.113.7"},
		{"ipv6 proxy and client", proxies, false, "[2001:db8:ff::1]:80", []string{"2001:db8::7"}, nil, "2001:db8::7"},
		{"mapped proxy socket", proxies, false, "[::ffff:10.0.0.2]:80", []string{"203.0.113.7"}, nil, "203.0.113.7"},
		{"mapped client in header", proxies, false, "10.0.0.2:80", []string{"::ffff:203.0.113.7"}, nil, "203.0.113.7"},
		{"mapped trusted hop in header", proxies, false, "10.0.0.2:80", []string{"203.0.113.7, ::ffff:192.168.1.1"}, nil, "203.0.113.7"},
		{"hop with port", proxies, false, "10.0.0.2:80", []string{"203.0.113.7:4711"}, nil, "203.0.113.7"},
		{"bracketed ipv6 hop with port", proxies, false, "10.0.0.2:80", []string{"[2001:db8::7]:4711"}, nil, "2001:db8::7"},
		{"bracketed ipv6 hop", proxies, false, "10.0.0.2:80", []string{"[2001:db8::7]"}, nil, "2001:db8::7"},
		{"all hops trusted", proxies, false, "10.0.0.2:80", []string{"10.0.0.3, 192.168.1.1"}, nil, "10.0.0.3"},

		// Forwarded.
		{"forwarded simple", proxies, true, "10.0.0.2:80", nil, []string{"for=203.0.113.7"}, "203.0.113.7"},
		{"forwarded quoted ipv6 with port", proxies, true, "10.0.0.2:80", nil, []string{`for="[2001:db8::1]:4711"`}, "2001:db8::1"},
		{"forwarded params and case", proxies, true, "10.0.0.2:80", nil, []string{`proto=https;For=203.0.113.7;by=10.0.0.2`}, "203.0.113.7"},
		{"forwarded chain", proxies, true, "10.0.0.2:80", nil, []string{`for=198.51.100.9, for=203.0.113.7;proto=https, for="[2001:db8:ff::5]"`}, "203.0.113.7"},
		{"forwarded chain over lines", proxies, true, "10.0.0.2:80", nil, []string{`for=203.0.113.7`, `for=192.168.1.1`}, "203.0.113.7"},
		{"forwarded quoted comma", proxies, true, "10.0.0.2:80", nil, []string{`for=203.0.113.7;ext="a,b", for=10.1.1.1`}, "203.0.113.7"},
		{"forwarded ignores xff", proxies, true, "10.0.0.2:80", []string{"198.51.100.1"}, []string{"for=203.0.113.7"}, "203.0.113.7"},
		{"xff ignores forwarded", proxies, false, "10.0.0.2:80", []string{"203.0.113.7"}, []string{"for=198.51.100.1"}, "203.0.113.7"},
		{"forwarded unknown stops at proxy", proxies, true, "10.0.0.2:80", nil, []string{`for=203.0.113.7, for=unknown`}, "10.0.0.2"},
		{"forwarded obfuscated", proxies, true, "10.0.0.2:80", nil, []string{`for=_hidden, for=192.168.1.1`}, "192.168.1.1"},
		{"forwarded element without for", proxies, true, "10.0.0.2:80", nil, []string{`for=203.0.113.7, proto=https`}, "10.0.0.2"},
		{"forwarded unquoted ipv6 is invalid", proxies, true, "10.0.0.2:80", nil, []string{`for=[2001:db8::1]`}, "10.0.0.2"},
		{"forwarded unterminated quote", proxies, true, "10.0.0.2:80", nil, []string{`for="203.0.113.7`}, "10.0.0.2"},
		{"forwarded duplicate for", proxies, true, "10.0.0.2:80", nil, []string{`for=1.1.1.1;for=203.0.113.7`}, "10.0.0.2"},
		{"forwarded bad earlier line", proxies, true, "10.0.0.2:80", nil, []string{`for=1.1.1.1;;`, `for=203.0.113.7`}, "203.0.113.7"},
		{"forwarded bad later line", proxies, true, "10.0.0.2:80", nil, []string{`for=203.0.113.7`, `garbage`}, "10.0.0.2"},

		// Garbage falls back to the last trusted address.
		{"no header", proxies, false, "10.0.0.2:80", nil, nil, "10.0.0.2"},
		{"empty header", proxies, false, "10.0.0.2:80", []string{""}, nil, "10.0.0.2"},
		{"garbage header", proxies, false, "10.0.0.2:80", []string{"not an address"}, nil, "10.0.0.2"},
		{"garbage left of client", proxies, false, "10.0.0.2:80", []string{"junk, 203.0.113.7"}, nil, "203.0.113.7"},
		{"garbage between proxies", proxies, false, "10.0.0.2:80", []string{"203.0.113.7, junk, 192.168.1.1"}, nil, "192.168.1.1"},
		{"empty hop", proxies, false, "10.0.0.2:80", []string{"203.0.113.7,,192.168.1.1"}, nil, "192.168.1.1"},
		{"trailing comma", proxies, false, "10.0.0.2:80", []string{"203.0.113.7,"}, nil, "10.0.0.2"},
		{"hostname hop", proxies, false, "10.0.0.2:80", []string{"evil.example"}, nil, "10.0.0.2"},
		{"ipv4 with zone", proxies, false, "10.0.0.2:80", []string{"203.0.113.7%eth0"}, nil, "10.0.0.2"},
		{"huge hop", proxies, false, "10.0.0.2:80", []string{strings.Repeat("1", 100)}, nil, "10.0.0.2"},

		// Unknown socket address.
		{"unix socket", proxies, false, "@", []string{"203.0.113.7"}, nil, "invalid IP"},
		{"empty remote", proxies, false, "", []string{"203.0.113.7"}, nil, "invalid IP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := &Resolver{TrustedProxies: mustPrefixes(t, tc.trusted), UseForwarded: tc.forwarded}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			for _, v := range tc.fwd {
				r.Header.Add("Forwarded", v)
			}
			if got := res.ClientIP(r); got.String() != tc.want {
				t.Fatalf("ClientIP = %s; want %s", got, tc.want)
			}
		})
	}
}

// TestResolver_ManyTrustedHops checks the bound on the walk: past maxHops
// trusted hops the resolver stops at the last one it read.
func TestResolver_ManyTrustedHops(t *testing.T) {
	res := &Resolver{TrustedProxies: mustPrefixes(t, "10.0.0.0/8")}
	hops := []string{"203.0.113.7"}
	for i := range 100 {
		hops = append(hops, netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}).String())
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.200:80"
	r.Header.Set("X-Forwarded-For", strings.Join(hops, ", "))
	got := res.ClientIP(r)
	if got.String() != "10.0.0.69" { // the 32nd hop from the right
		t.Fatalf("ClientIP = %s; want 10.0.0.69", got)
	}
}

func TestList(t *testing.T) {
	p := func(s string) []netip.Prefix { return mustPrefixes(t, s) }
	office := List{Allow: p("203.0.113.0/24, 2001:db8::/32"), Deny: p("203.0.113.66")}
	denyOnly := List{Deny: p("198.51.100.0/24")}
	// Prefixes built by hand in mapped form still match.
	mapped := List{Allow: []netip.Prefix{netip.MustParsePrefix("::ffff:203.0.113.0/120")}}
	for _, tc := range []struct {
		name string
		list List
		addr string
		want bool
	}{
		{"empty list allows", List{}, "198.51.100.1", true},
		{"empty list allows unknown", List{}, "", true},
		{"allowed v4", office, "203.0.113.7", true},
		{"allowed mapped v4", office, "::ffff:203.0.113.7", true},
		{"allowed v6", office, "2001:db8:1::5", true},
		{"not in allow", office, "198.51.100.1", false},
		{"deny wins over allow", office, "203.0.113.66", false},
		{"deny wins over allow, mapped", office, "::ffff:203.0.113.66", false},
		{"unknown refused by allow list", office, "", false},
		{"deny only: others pass", denyOnly, "203.0.113.7", true},
		{"deny only: denied", denyOnly, "198.51.100.9", false},
		{"deny only: denied mapped", denyOnly, "::ffff:198.51.100.9", false},
		{"deny only: unknown refused", denyOnly, "", false},
		{"mapped prefix, plain address", mapped, "203.0.113.7", true},
		{"mapped prefix, other address", mapped, "203.0.114.7", false},
		{"v4 rule does not match v6", List{Allow: p("0.0.0.0/0")}, "2001:db8::1", false},
		{"zone ignored", office, "2001:db8::1%eth0", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a netip.Addr
			if tc.addr != "" {
				a = netip.MustParseAddr(tc.addr)
			}
			if got := tc.list.Permits(a); got != tc.want {
				t.Fatalf("Permits(%s) = %v; want %v", tc.addr, got, tc.want)
			}
			if got := tc.list.WouldLockOut(a); got != !tc.want {
				t.Fatalf("WouldLockOut(%s) = %v; want %v", tc.addr, got, !tc.want)
			}
		})
	}
}

func FuzzClientIP(f *testing.F) {
	f.Add("10.0.0.2:80", "203.0.113.7, 192.168.1.1", `for="[2001:db8::1]:4711";proto=https, for=10.1.1.1`, false)
	f.Add("[::ffff:10.0.0.2]:80", "::ffff:203.0.113.7", `for=unknown`, true)
	f.Add("10.0.0.2:80", ",,,", `for="\"`, true)
	f.Add("203.0.113.7:1", "10.0.0.1", `For=1.2.3.4;by=x`, true)
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ff::/48")}
	f.Fuzz(func(t *testing.T, remote, xff, fwd string, useForwarded bool) {
		res := &Resolver{TrustedProxies: trusted, UseForwarded: useForwarded}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header["X-Forwarded-For"] = []string{xff}
		r.Header["Forwarded"] = []string{fwd}
		got := res.ClientIP(r)

		sock := parseHop(remote)
		if !sock.IsValid() {
			if got.IsValid() {
				t.Fatalf("remote %q unparseable but got %s", remote, got)
			}
			return
		}
		if !got.IsValid() || got.Is4In6() || got.Zone() != "" {
			t.Fatalf("got %v: want a valid, unmapped, zone-free address", got)
		}
		if !containsAny(trusted, sock) {
			if got != sock {
				t.Fatalf("untrusted remote %s, got %s from headers", sock, got)
			}
			return
		}
		// Behind a trusted proxy the answer is the socket or an address
		// written in the header that was read.
		header := xff
		if useForwarded {
			header = fwd
		}
		if got == sock {
			return
		}
		for _, h := range headerHops(header, useForwarded) {
			if parseHop(h) == got {
				return
			}
		}
		t.Fatalf("got %s, which is neither the socket %s nor a hop in %q", got, sock, header)
	})
}

func headerHops(h string, forwarded bool) []string {
	if forwarded {
		return forwardedHops([]string{h})
	}
	return xffHops([]string{h})
}

func BenchmarkClientIP(b *testing.B) {
	res := &Resolver{TrustedProxies: mustPrefixes(b, "10.0.0.0/8, 192.168.0.0/16, 2001:db8:ff::/48")}
	for _, bc := range []struct {
		name, remote, xff, fwd string
		forwarded              bool
	}{
		{"direct", "203.0.113.7:5555", "", "", false},
		{"xff two proxies", "10.0.0.2:80", "198.51.100.1, 203.0.113.7, 192.168.1.1", "", false},
		{"forwarded two proxies", "10.0.0.2:80", "", `for=198.51.100.1, for="[2001:db8::7]:4711";proto=https, for=192.168.1.1`, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			res.UseForwarded = bc.forwarded
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = bc.remote
			if bc.xff != "" {
				r.Header.Set("X-Forwarded-For", bc.xff)
			}
			if bc.fwd != "" {
				r.Header.Set("Forwarded", bc.fwd)
			}
			b.ReportAllocs()
			for b.Loop() {
				if !res.ClientIP(r).IsValid() {
					b.Fatal("no address")
				}
			}
		})
	}
}
