package phishcheck

import (
	"context"
	"testing"
)

func TestAligned(t *testing.T) {
	tests := []struct {
		a, b   string
		strict bool
		want   bool
	}{
		{"mail.shop.co.jp", "shop.co.jp", false, true},
		{"mail.shop.co.jp", "shop.co.jp", true, false},
		{"Shop.co.jp.", "shop.co.jp", true, true},
		{"shop.co.jp", "shop.jp", false, false},
		{"a.example.co.uk", "b.example.co.uk", false, true},
		{"co.jp", "co.jp", false, false}, // a public suffix has no organisational domain
		{"alice.github.io", "bob.github.io", false, false},
		{"", "shop.co.jp", false, false},
	}
	for _, tt := range tests {
		if got := aligned(tt.a, tt.b, tt.strict); got != tt.want {
			t.Errorf("aligned(%q, %q, strict=%v) = %v, want %v", tt.a, tt.b, tt.strict, got, tt.want)
		}
	}
}

// TestAuthenticate_StrictAlignment: a DMARC record with adkim=s makes a
// signature by a subdomain unaligned.
func TestAuthenticate_StrictAlignment(t *testing.T) {
	raw, err := readCorpusFile("g06_partner_sjis_python_ed25519.eml")
	if err != nil {
		t.Fatal(err)
	}
	res := fixtureResolver(t)
	cfg := corpusConfig(t)
	for _, tt := range []struct {
		dmarc   string
		verdict Verdict
		code    string
	}{
		{"v=DMARC1; p=none", Genuine, "dmarc.pass"},
		{"v=DMARC1; p=reject; adkim=s; aspf=s", Genuine, "dmarc.pass"}, // SPF still aligns strictly
	} {
		res.TXT["_dmarc.partner.example.com"] = []string{tt.dmarc}
		cfg.Resolver = res
		r := CheckMessage(context.Background(), cfg, raw)
		if r.Verdict != tt.verdict || !r.Has(tt.code) {
			t.Errorf("%s: %s %v", tt.dmarc, r.Verdict, r.Codes())
		}
	}
	// Without the SPF record only the (subdomain) DKIM signature is left,
	// which strict alignment refuses.
	delete(res.TXT, "partner.example.com")
	res.TXT["_dmarc.partner.example.com"] = []string{"v=DMARC1; p=reject; adkim=s"}
	cfg.Resolver = res
	r := CheckMessage(context.Background(), cfg, raw)
	if r.Verdict != Suspicious || !r.Has("dmarc.fail") {
		t.Errorf("strict DKIM alignment: %s\n%s", r.Verdict, describe(r))
	}
	res.TXT["_dmarc.partner.example.com"] = []string{"v=DMARC1; p=reject"}
	r = CheckMessage(context.Background(), cfg, raw)
	if r.Verdict != Genuine || !r.Has("dmarc.pass") {
		t.Errorf("relaxed DKIM alignment: %s\n%s", r.Verdict, describe(r))
	}
}
