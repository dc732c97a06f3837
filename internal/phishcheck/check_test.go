package phishcheck

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCheckMessage_Robustness(t *testing.T) {
	t.Parallel()
	cfg := Config{Protected: []string{"shop.co.jp"}}
	deep := "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"
	for i := range 50 {
		deep += "--b" + strconv.Itoa(i) + "\r\nContent-Type: multipart/mixed; boundary=\"b" + strconv.Itoa(i+1) + "\"\r\n\r\n"
	}
	tests := []struct {
		name string
		raw  []byte
	}{
		{"empty", nil},
		{"nul bytes", bytes.Repeat([]byte{0}, 1000)},
		{"header only", []byte("From: a@b.example")},
		{"deep nesting", []byte(deep)},
		{"bad base64", []byte("From: a@b.example\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!****\r\n")},
		{"bad qp", []byte("From: a@b.example\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n")},
		{"endless header line", append([]byte("Subject: "), bytes.Repeat([]byte("x"), 2<<20)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckMessage(context.Background(), cfg, tt.raw)
			if r.Verdict == "" || r.Verdict == Genuine {
				t.Errorf("verdict %q", r.Verdict)
			}
			if !r.Has("parse.partial") && tt.name != "bad qp" {
				t.Errorf("no parse.partial: %v", r.Codes())
			}
		})
	}
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i/10)) + string(rune('0'+i%10)))
}

// TestCheckMessage_Huge feeds 50 MB: only MaxMessageSize is read, the rest
// is reported (the time taken is logged, not asserted).
func TestCheckMessage_Huge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large input")
	}
	head := "From: \"ec-cube.net\" <x@other.example>\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\nhttps://shop.jp/admin/login\r\n"
	raw := append([]byte(head), bytes.Repeat([]byte("パスワードの有効期限 https://example.com/x \r\n"), 50<<20/60)...)
	start := time.Now()
	r := CheckMessage(context.Background(), Config{Protected: []string{"shop.co.jp", "ec-cube.net"}}, raw)
	t.Logf("50 MB checked in %v", time.Since(start))
	for _, code := range []string{"parse.too_large", "parse.partial", "display.spoof_domain", "lookalike.tld_swap"} {
		if !r.Has(code) {
			t.Errorf("no %s in %v", code, r.Codes())
		}
	}
	if r.Verdict != Phishing {
		t.Errorf("verdict %s", r.Verdict)
	}
	if len(r.Links) > maxLinks {
		t.Errorf("%d links kept", len(r.Links))
	}
}

func TestCheckMessage_Headers(t *testing.T) {
	cfg := Config{
		Protected:          []string{"shop.co.jp", "ec-cube.net"},
		Brands:             []string{"Akinai"},
		AntiPhishingCode:   "sakura-42",
		SendingDomains:     []string{"shop.co.jp"},
		TrustedAuthServIDs: []string{"mx.shop.co.jp"},
		Lang:               "en",
	}
	tests := []struct {
		name    string
		raw     string
		verdict Verdict
		want    []string
		notWant []string
	}{
		{
			name:    "untrusted authentication results are ignored",
			raw:     "Authentication-Results: mx.evil.example; dmarc=pass header.from=partner.example.com\r\nFrom: p@partner.example.com\r\n\r\nhi\r\n",
			verdict: Suspicious, want: []string{"dkim.offline"}, notWant: []string{"dmarc.pass"},
		},
		{
			name: "trusted results below the first hop are ignored",
			raw: "Received: from a by mx.shop.co.jp; x\r\nReceived: from b by c; x\r\n" +
				"Authentication-Results: mx.shop.co.jp; dmarc=pass header.from=partner.example.com\r\nFrom: p@partner.example.com\r\n\r\nhi\r\n",
			verdict: Suspicious, notWant: []string{"dmarc.pass"},
		},
		{
			name:    "two From fields",
			raw:     "From: a@partner.example.com\r\nFrom: b@other.example.com\r\n\r\nhi\r\n",
			verdict: Suspicious, want: []string{"header.multiple_from"},
		},
		{
			name:    "display name brand",
			raw:     "From: =?UTF-8?B?772B772L772J772O772B772J?= <n@mailer.example.com>\r\n\r\nhi\r\n",
			verdict: Phishing, want: []string{"display.spoof_brand"},
		},
		{
			name:    "display name other unprotected domain",
			raw:     "From: \"paypal.com\" <n@mailer.example.com>\r\n\r\nhi\r\n",
			verdict: Suspicious, want: []string{"display.spoof_domain"},
		},
		{
			name:    "anti-phishing code missing",
			raw:     "From: order@shop.co.jp\r\n\r\nhi\r\n",
			verdict: Suspicious, want: []string{"code.missing"},
		},
		{
			name:    "anti-phishing code present, full-width",
			raw:     "From: order@shop.co.jp\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nコード: ｓａｋｕｒａ－４２\r\n",
			verdict: Suspicious, want: []string{"code.present"},
		},
		{
			name:    "reply-to look-alike",
			raw:     "From: a@partner.example.com\r\nReply-To: billing@ec-cube.co.jp\r\n\r\nhi\r\n",
			verdict: Phishing, want: []string{"lookalike.tld_swap", "header.reply_to_mismatch"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckMessage(context.Background(), cfg, []byte(tt.raw))
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s\n%s", r.Verdict, tt.verdict, describe(r))
			}
			for _, c := range tt.want {
				if !r.Has(c) {
					t.Errorf("no %s\n%s", c, describe(r))
				}
			}
			for _, c := range tt.notWant {
				if r.Has(c) {
					t.Errorf("unexpected %s\n%s", c, describe(r))
				}
			}
			for _, x := range r.Reasons {
				if x.Message == x.Code || x.Message == "" {
					t.Errorf("%s has no English message", x.Code)
				}
			}
		})
	}
}

func TestCheckURL(t *testing.T) {
	cfg := Config{Protected: []string{"shop.co.jp", "ec-cube.net"}, AdminOrigin: "https://admin.shop.co.jp"}
	tests := []struct {
		url     string
		verdict Verdict
		code    string
	}{
		{"https://shop.co.jp/products/detail/1", Genuine, "url.protected"},
		{"https://admin.shop.co.jp/admin/login", Genuine, "url.protected"},
		{"https://www.shop.co.jp/admin/login", Suspicious, "link.admin_wrong_host"},
		{"https://shop.jp/admin/login", Phishing, "lookalike.tld_swap"},
		{"shop.jp/admin", Phishing, "lookalike.tld_swap"},
		{"hxxps://ec-cube.net.evil.example/", Phishing, "lookalike.subdomain"},
		{"https://ｅｃ－ｃｕｂｅ．ｃｏｍ/", Phishing, "lookalike.tld_swap"},
		{"https://xn--ec-cub-8of.net/", Phishing, "lookalike.punycode"},
		{"https://shop.co.jp@evil.example/", Suspicious, "link.userinfo"},
		{"http://3232235777/login", Suspicious, "link.ip_literal"},
		{"https://bit.ly/abc", Suspicious, "link.shortener"},
		{"https://example.com/", Suspicious, "url.unknown_host"},
		{"", Suspicious, "link.unparseable"},
		{"javascript:alert(1)", Suspicious, "link.script"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			r := CheckURL(context.Background(), cfg, tt.url)
			if r.Verdict != tt.verdict || !r.Has(tt.code) {
				t.Errorf("CheckURL(%q) = %s %v, want %s with %s", tt.url, r.Verdict, r.Codes(), tt.verdict, tt.code)
			}
		})
	}
}

func FuzzCheckMessage(f *testing.F) {
	f.Add([]byte("From: \"ec-cube.net\" <x@other.jp>\r\nSubject: =?ISO-2022-JP?B?GyRCJVElOSVvITwlSRsoQg==?=\r\n\r\nhttps://shop.jp/admin\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<a href=\"http://1.2.3.4\">shop.co.jp</a>\r\n--x--"))
	f.Add([]byte("From: =?UTF-8?Q?=E3=81?= <a@\xff.jp>\n\n\x1b$B"))
	f.Add([]byte{})
	cfg := Config{Protected: []string{"shop.co.jp", "ec-cube.net"}, AntiPhishingCode: "c", AdminOrigin: "https://admin.shop.co.jp"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := CheckMessage(context.Background(), cfg, raw)
		if r.Verdict != Genuine && r.Verdict != Suspicious && r.Verdict != Phishing {
			t.Fatalf("verdict %q", r.Verdict)
		}
		if r.Verdict == Genuine {
			t.Fatal("genuine without authentication")
		}
	})
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://shop.co.jp/", "http://[::1]:80/a", "xn--80ak6aa92e.com", "https://a@b@c/", "%zz", "http://0x7f.1/"} {
		f.Add(s)
	}
	cfg := Config{Protected: []string{"shop.co.jp"}}
	f.Fuzz(func(t *testing.T, s string) {
		r := CheckURL(context.Background(), cfg, s)
		if r.Verdict == "" || len(r.Links) > 1 {
			t.Fatalf("report %+v", r)
		}
	})
}
