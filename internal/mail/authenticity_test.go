package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
)

const (
	edTXT    = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
	otherTXT = "v=DKIM1; k=ed25519; p=2Z2Rx0FqM3mXrCq8Gk5u4mEyq4cA0V3l1r0h1Yb2F7o="
)

type failingResolver struct{}

func (failingResolver) LookupTXT(context.Context, string) ([]string, error) {
	return nil, errors.New("SERVFAIL")
}

func TestAuthenticity(t *testing.T) {
	t.Parallel()
	sel := []mail.Selector{{Selector: "ak1", TXT: edTXT}}
	senders := []string{"203.0.113.25", "_spf.mailer.example"}
	cases := []struct {
		name   string
		dns    mail.TXTFixture
		want   map[string]mail.RecordStatus
		expect map[string]string // kind → expected record
		fixHas map[string]string // kind → substring of the English fix
	}{
		{
			name: "all good",
			dns: mail.TXTFixture{
				"ak1._domainkey.shop.example.jp": {edTXT},
				"shop.example.jp":                {"google-site-verification=x", "v=spf1 ip4:203.0.113.0/24 include:_spf.mailer.example -all"},
				"_dmarc.shop.example.jp":         {"v=DMARC1; p=reject; rua=mailto:d@shop.example.jp"},
			},
			want: map[string]mail.RecordStatus{"dkim": "ok", "spf": "ok", "dmarc": "ok"},
		},
		{
			name: "nothing published",
			dns:  mail.TXTFixture{},
			want: map[string]mail.RecordStatus{"dkim": "missing", "spf": "missing", "dmarc": "missing"},
			expect: map[string]string{
				"spf":   "v=spf1 ip4:203.0.113.25 include:_spf.mailer.example -all",
				"dmarc": "v=DMARC1; p=quarantine; adkim=r; aspf=r",
				"dkim":  edTXT,
			},
			fixHas: map[string]string{"dkim": "Add a TXT record to DNS. Name: ak1._domainkey.shop.example.jp Value: " + edTXT},
		},
		{
			name: "wrong everywhere",
			dns: mail.TXTFixture{
				"ak1._domainkey.shop.example.jp": {otherTXT},
				"shop.example.jp":                {"v=spf1 include:_spf.google.com ~all"},
				"_dmarc.shop.example.jp":         {"v=DMARC1; p=none; rua=mailto:d@shop.example.jp"},
			},
			want: map[string]mail.RecordStatus{"dkim": "wrong", "spf": "wrong", "dmarc": "wrong"},
			expect: map[string]string{
				"spf":   "v=spf1 include:_spf.google.com ip4:203.0.113.25 include:_spf.mailer.example ~all",
				"dmarc": "v=DMARC1; p=quarantine; adkim=r; aspf=r; rua=mailto:d@shop.example.jp",
			},
			fixHas: map[string]string{"spf": "Replace the TXT record in DNS with exactly this one. Name: shop.example.jp"},
		},
		{
			name: "sender covered through an include, +all, two DMARC records",
			dns: mail.TXTFixture{
				"ak1._domainkey.shop.example.jp": {"v=DKIM1; k=ed25519; p="},
				"shop.example.jp":                {"v=spf1 include:relay.example include:_spf.mailer.example +all"},
				"relay.example":                  {"v=spf1 ip4:203.0.113.0/27 -all"},
				"_dmarc.shop.example.jp":         {"v=DMARC1; p=reject", "v=DMARC1; p=none"},
			},
			want:   map[string]mail.RecordStatus{"dkim": "wrong", "spf": "wrong", "dmarc": "wrong"},
			expect: map[string]string{"spf": "v=spf1 include:relay.example include:_spf.mailer.example -all"},
			fixHas: map[string]string{"dkim": "Replace"},
		},
		{
			name: "subdomain inherits the organisational DMARC policy",
			dns: mail.TXTFixture{
				"ak1._domainkey.shop.example.jp": {edTXT},
				"shop.example.jp":                {"v=spf1 ip4:203.0.113.25 include:_spf.mailer.example -all"},
				"_dmarc.example.jp":              {"v=DMARC1; p=quarantine"},
			},
			want: map[string]mail.RecordStatus{"dkim": "ok", "spf": "ok", "dmarc": "ok"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := mail.Authenticity(context.Background(), c.dns, "Shop.Example.jp.", sel, senders)
			if len(got) != 3 {
				t.Fatalf("%d checks", len(got))
			}
			for _, rc := range got {
				if rc.Status != c.want[rc.Kind] {
					t.Errorf("%s: status %s, want %s (%s)", rc.Kind, rc.Status, c.want[rc.Kind], rc.Problem.In(i18n.English))
				}
				if w, ok := c.expect[rc.Kind]; ok && rc.Expected != w {
					t.Errorf("%s: expected record %q, want %q", rc.Kind, rc.Expected, w)
				}
				if rc.Status == mail.RecordOK && (rc.Fix.Key != "" || rc.Problem.Key != "") {
					t.Errorf("%s: OK with a fix", rc.Kind)
				}
				if rc.Status != mail.RecordOK {
					en, ja := rc.Fix.In(i18n.English), rc.Fix.In(i18n.Japanese)
					if en == "" || ja == "" || en == ja || !strings.Contains(en, rc.Expected) || !strings.Contains(ja, rc.Expected) {
						t.Errorf("%s: fix en %q ja %q", rc.Kind, en, ja)
					}
				}
				if w, ok := c.fixHas[rc.Kind]; ok && !strings.Contains(rc.Fix.In(i18n.English), w) {
					t.Errorf("%s: fix %q lacks %q", rc.Kind, rc.Fix.In(i18n.English), w)
				}
			}
		})
	}
	t.Run("DNS failure is unknown, not missing", func(t *testing.T) {
		for _, rc := range mail.Authenticity(context.Background(), failingResolver{}, "shop.example.jp", sel, senders) {
			if rc.Status != mail.RecordUnknown {
				t.Errorf("%s: %s", rc.Kind, rc.Status)
			}
		}
	})
}
