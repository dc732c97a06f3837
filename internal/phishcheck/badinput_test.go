package phishcheck

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCheckMessage_BadInput sends what issue 20 lists as bad input: each
// gives a verdict and a reason naming what could not be read.
func TestCheckMessage_BadInput(t *testing.T) {
	t.Parallel()
	cfg := Config{Protected: []string{"shop.co.jp"}, AdminOrigin: "https://admin.shop.co.jp"}
	var links strings.Builder
	links.WriteString("From: a@sender.example\r\nContent-Type: text/html\r\n\r\n<html><body>")
	for i := range 10000 {
		fmt.Fprintf(&links, `<a href="https://host%d.example/p?i=%d">link %d</a>`, i, i, i)
	}
	deep := "From: a@sender.example\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"
	for i := range 100 {
		deep += fmt.Sprintf("--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i, i+1)
	}
	deep += "--b100\r\nContent-Type: text/plain\r\n\r\nhttps://shop.jp/admin/login\r\n"
	attach := func(ctype, name string, data []byte) []byte {
		return []byte("From: a@sender.example\r\nContent-Type: multipart/mixed; boundary=\"X\"\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
			"--X\r\nContent-Type: " + ctype + "; name=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n" +
			base64.StdEncoding.EncodeToString(data) + "\r\n--X--\r\n")
	}
	tests := []struct {
		name  string
		raw   []byte
		codes []string
	}{
		{"10000 links", []byte(links.String()), []string{"parse.partial"}},
		{"nested 100 deep", []byte(deep), []string{"parse.partial"}},
		{"broken ISO-2022-JP", []byte("From: =?ISO-2022-JP?B?GyRCJCIkJCQm?= <a@sender.example>\r\nSubject: =?ISO-2022-JP?B?GyRC!!!?=\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n\x1b$B$\"\x1b(\xff\xfe\r\n"), nil},
		{"unknown charset", []byte("From: a@sender.example\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n\xa4\xa2\r\n"), nil},
		{"html attachment not html", attach("text/html", "invoice.html", bytes.Repeat([]byte{0, 1, 2, 0xff}, 500)), []string{"parse.unreadable_attachment"}},
		{"octet-stream .htm not html", attach("application/octet-stream", "a.htm", []byte("MZ\x90\x00\x03\x00\x00\x00")), []string{"parse.unreadable_attachment"}},
		{"image not image", attach("image/png", "scan.png", []byte("\x00\x00\x00garbage")), []string{"parse.unreadable_attachment"}},
		{"image is a program", attach("image/jpeg", "photo.jpg", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")), []string{"attach.disguised"}},
		{"image is html", attach("image/gif", "x.gif", []byte(`<html><form action="https://evil.example/"><input type=password name=p></form></html>`)), []string{"attach.disguised", "link.credential_form"}},
		{"empty image", attach("image/png", "empty.png", nil), []string{"parse.unreadable_attachment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckMessage(context.Background(), cfg, tt.raw)
			if r.Verdict == "" || r.Verdict == Genuine {
				t.Errorf("verdict %q", r.Verdict)
			}
			for _, c := range tt.codes {
				if !r.Has(c) {
					t.Errorf("no %s in %v", c, r.Codes())
				}
			}
			if len(r.Links) > maxLinks {
				t.Errorf("%d links kept", len(r.Links))
			}
		})
	}
}

// TestCheckMessage_Bounded logs the time and memory a 25 MB mail of 10,000
// links per MB takes, against the same size of plain text: a ratio for
// docs/PERFORMANCE.md, never asserted.
func TestCheckMessage_Bounded(t *testing.T) {
	if os.Getenv("PHISHCHECK_MEASURE") == "" {
		t.Skip("a measurement for docs/PERFORMANCE.md: set PHISHCHECK_MEASURE=1")
	}
	cfg := Config{Protected: []string{"shop.co.jp"}}
	measure := func(raw []byte) (time.Duration, uint64) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		r := CheckMessage(context.Background(), cfg, raw)
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		if !r.Has("parse.partial") {
			t.Errorf("no parse.partial: %v", r.Codes())
		}
		return d, after.TotalAlloc - before.TotalAlloc
	}
	head := "From: a@sender.example\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
	plain := append([]byte(head), bytes.Repeat([]byte("ご注文ありがとうございます。 "), MaxMessageSize/40)...)
	linky := append([]byte(head), bytes.Repeat([]byte(`<a href="https://x.example/?q=1">x</a> `), MaxMessageSize/40)...)
	dp, mp := measure(plain)
	dl, ml := measure(linky)
	t.Logf("%d MB text: %v, %d MB allocated; %d MB of links: %v, %d MB allocated (time ratio %.2f)",
		len(plain)>>20, dp, mp>>20, len(linky)>>20, dl, ml>>20, float64(dl)/float64(dp))
}

func FuzzParseZone(f *testing.F) {
	f.Add("$ORIGIN shop.co.jp.\n@ TXT \"v=spf1 -all\"\n_dmarc IN TXT ( \"v=DMARC1;\" \n \"p=reject\" )\n")
	f.Add("a.example. 3600 IN MX 10 mail\n\"unclosed\n")
	f.Add("x TXT \"\\065\\\"\" ; comment\n ) (")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseZone(strings.NewReader(s))
		if err == nil && r.TXT == nil {
			t.Fatal("no maps")
		}
	})
}

func TestParseZone(t *testing.T) {
	t.Parallel()
	zone := `; the shop's records
$ORIGIN shop.co.jp.
$TTL 1h
@                  IN TXT "v=spf1 ip4:203.0.113.10 -all"
_dmarc             3600 IN TXT "v=DMARC1; p=reject"
ak1._domainkey     TXT ( "v=DKIM1; k=ed25519; "   ; split
                         "p=abc\"def" )
                   TXT "second for the same name"
mail               A 203.0.113.10
@                  MX 10 mail
other.example.     TXT "v=spf1 \065ll"
`
	r, err := ParseZone(strings.NewReader(zone))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"shop.co.jp":                {"v=spf1 ip4:203.0.113.10 -all"},
		"_dmarc.shop.co.jp":         {"v=DMARC1; p=reject"},
		"ak1._domainkey.shop.co.jp": {`v=DKIM1; k=ed25519; p=abc"def`, "second for the same name"},
		"other.example":             {"v=spf1 All"},
	}
	for name, w := range want {
		got, err := r.LookupTXT(context.Background(), name+".")
		if err != nil || strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s: %q, %v; want %q", name, got, err, w)
		}
	}
	if _, err := r.LookupTXT(context.Background(), "nothing.shop.co.jp"); !isNotFound(err) {
		t.Errorf("missing name: %v", err)
	}
	if ips, _ := r.LookupIPAddr(context.Background(), "mail.shop.co.jp"); len(ips) != 1 {
		t.Errorf("A record: %v", ips)
	}
	if mx, _ := r.LookupMX(context.Background(), "shop.co.jp"); len(mx) != 1 || mx[0].Host != "mail.shop.co.jp." {
		t.Errorf("MX record: %v", mx)
	}
	for _, bad := range []string{"x TXT \"open\n", "x TXT ( \"a\"\n", "x A 999.1.1.1\n", "x MX ten mail\n", " TXT \"no owner\"\n", "x 3600\n", "x B@D stuff\n", "x )\n"} {
		if _, err := ParseZone(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}
