package mail_test

import (
	"testing"

	"github.com/akinai/akinai/internal/mail"
)

// TestBulkSender judges the 2024 bulk-sender requirements from the
// authenticity checks, the keys, the From domain and the shop's URL.
func TestBulkSender(t *testing.T) {
	t.Parallel()
	keys := []mail.PublicKey{{Selector: "ak1", Status: mail.KeyActive}}
	good := []mail.RecordCheck{
		{Kind: "dkim", Name: "ak1._domainkey.shop.example.jp", Status: mail.RecordOK},
		{Kind: "spf", Name: "shop.example.jp", Status: mail.RecordOK},
		{Kind: "dmarc", Name: "_dmarc.shop.example.jp", Status: mail.RecordWrong, Found: []string{"v=DMARC1; p=none"}},
	}
	ok := func(cs []mail.BulkCheck) map[string]bool {
		out := map[string]bool{}
		for _, c := range cs {
			out[c.Key] = c.OK
		}
		return out
	}
	got := ok(mail.BulkSender(good, keys, "shop.example.jp", "shop.example.jp", "https://shop.example.jp"))
	for k, v := range got {
		if !v {
			t.Errorf("all good: %s not OK", k)
		}
	}
	for _, tc := range []struct {
		name             string
		checks           []mail.RecordCheck
		keys             []mail.PublicKey
		sign, from, base string
		failing          []string
	}{
		{"no active key", good, []mail.PublicKey{{Selector: "ak1", Status: mail.KeyPending}}, "shop.example.jp", "shop.example.jp", "https://shop.example.jp",
			[]string{"mail.bulk.dkim_aligned", "mail.bulk.one_click"}},
		{"key not published", []mail.RecordCheck{{Kind: "dkim", Name: "ak1._domainkey.shop.example.jp", Status: mail.RecordMissing}, good[1], good[2]}, keys,
			"shop.example.jp", "shop.example.jp", "https://shop.example.jp", []string{"mail.bulk.dkim_aligned", "mail.bulk.one_click"}},
		{"From in another domain", good, keys, "shop.example.jp", "gmail.com", "https://shop.example.jp", []string{"mail.bulk.dkim_aligned", "mail.bulk.one_click"}},
		{"subdomain is aligned (relaxed)", good, keys, "example.jp", "news.example.jp", "https://shop.example.jp", nil},
		{"plain http", good, keys, "shop.example.jp", "shop.example.jp", "http://shop.example.jp", []string{"mail.bulk.one_click"}},
		{"no DMARC, no SPF", []mail.RecordCheck{good[0], {Kind: "spf", Status: mail.RecordMissing}, {Kind: "dmarc", Status: mail.RecordMissing}}, keys,
			"shop.example.jp", "shop.example.jp", "https://shop.example.jp", []string{"mail.bulk.spf", "mail.bulk.dmarc"}},
	} {
		got := ok(mail.BulkSender(tc.checks, tc.keys, tc.sign, tc.from, tc.base))
		want := map[string]bool{}
		for _, f := range tc.failing {
			want[f] = true
		}
		for k, v := range got {
			if v == want[k] {
				t.Errorf("%s: %s OK = %v", tc.name, k, v)
			}
		}
	}
}
