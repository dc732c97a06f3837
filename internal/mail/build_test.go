package mail_test

import (
	"bytes"
	"encoding/base64"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/htmlindex"

	akmail "github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
)

var update = flag.Bool("update", false, "rewrite golden files")

var fixedEnv = akmail.Envelope{
	From: "shop@example.co.jp", FromName: "商い茶舗 〜本店〜",
	MessageID: "<outbox-42.abcdefghijklmnop@example.co.jp>",
	Date:      time.Date(2026, 4, 1, 18, 30, 0, 0, time.FixedZone("JST", 9*3600)),
}

var buildCases = []struct {
	name string
	msg  akmail.Message
}{
	{"utf8_ja", akmail.Message{To: "山田 太郎 <taro@example.jp>", Subject: "【商い茶舗】ご注文ありがとうございます（注文番号 1001）〜春の新茶〜", Text: "山田 太郎 様\n\nご注文ありがとうございます。\n合計: ¥1,980\n"}},
	{"iso2022jp", akmail.Message{To: "山田 太郎 <taro@example.jp>", Subject: "ご注文ありがとうございます〜春の新茶−限定①", Text: "山田 太郎 様\n\n合計: ¥1,980 〜 お届けは明日です。\n", Charset: "iso-2022-jp"}},
	{"iso2022jp_fallback", akmail.Message{To: "taro@example.jp", Subject: "新茶入荷 🍵", Text: "絵文字は JIS にありません 🍵\n", Charset: "iso-2022-jp"}},
	{"en_html", akmail.Message{To: "Anna <anna@example.com>", Subject: "Your order 1001", Text: "Dear Anna,\n\nThank you for your order. Total: ¥1,980.\n", HTML: "<p>Dear Anna,</p><p>Thank you for your order.</p>"}},
	{"marketing", akmail.Message{To: "taro@example.jp", Subject: "春の新茶のご案内", Text: "新茶が入荷しました。\n", Marketing: true,
		Headers: map[string]string{"List-Unsubscribe": "<https://example.co.jp/unsubscribe?t=abc>"}}},
}

func TestBuild_Golden(t *testing.T) {
	t.Parallel()
	for _, c := range buildCases {
		t.Run(c.name, func(t *testing.T) {
			m := c.msg
			raw, err := akmail.Build(&m, fixedEnv)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", c.name+".eml")
			if *update {
				if err := os.WriteFile(path, raw, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(raw, want) {
				t.Fatalf("mail differs from %s (run with -update to accept):\n%s", path, raw)
			}
			for i, line := range strings.Split(string(raw), "\r\n") {
				if len(line) > 998 || strings.Contains(line, "\n") || strings.Contains(line, "\r") {
					t.Fatalf("line %d is not a proper CRLF line: %q", i+1, line)
				}
			}
		})
	}
}

// decoder decodes encoded-words in any charset x/text knows.
var decoder = &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(cs)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(r), nil
}}

// TestBuild_Decodes parses every built mail back with net/mail, the
// WordDecoder and x/text, and gets the original subject, names and text.
func TestBuild_Decodes(t *testing.T) {
	t.Parallel()
	fold := strings.NewReplacer("〜", "～", "−", "－", "¥", "￥")
	for _, c := range buildCases {
		t.Run(c.name, func(t *testing.T) {
			m := c.msg
			raw, err := akmail.Build(&m, fixedEnv)
			if err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			jis := strings.Contains(string(raw), "ISO-2022-JP")
			want := func(s string) string {
				if jis {
					return fold.Replace(s)
				}
				return s
			}
			subject, err := decoder.DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || subject != want(m.Subject) {
				t.Errorf("subject %q, %v; want %q", subject, err, want(m.Subject))
			}
			from, err := (&mail.AddressParser{WordDecoder: decoder}).Parse(msg.Header.Get("From"))
			if err != nil || from.Name != want(fixedEnv.FromName) || from.Address != fixedEnv.From {
				t.Errorf("from %+v, %v", from, err)
			}
			to, _ := mail.ParseAddress(m.To)
			gotTo, err := (&mail.AddressParser{WordDecoder: decoder}).Parse(msg.Header.Get("To"))
			if err != nil || gotTo.Name != want(to.Name) || gotTo.Address != to.Address {
				t.Errorf("to %+v, %v", gotTo, err)
			}
			if msg.Header.Get("Message-ID") != fixedEnv.MessageID || msg.Header.Get("MIME-Version") != "1.0" {
				t.Errorf("Message-ID %q", msg.Header.Get("Message-ID"))
			}
			if d, err := msg.Header.Date(); err != nil || !d.Equal(fixedEnv.Date) {
				t.Errorf("date %v, %v", d, err)
			}
			text := textPart(t, msg)
			if text != want(m.Text) {
				t.Errorf("text %q, want %q", text, want(m.Text))
			}
			if m.Marketing && (msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || msg.Header.Get("List-Unsubscribe") == "") {
				t.Errorf("marketing headers missing")
			}
		})
	}
}

// textPart returns the decoded text/plain part, CRLF turned into LF.
func textPart(t *testing.T, msg *mail.Message) string {
	t.Helper()
	ct, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	body, header := msg.Body, textprotoHeader(msg.Header)
	if ct == "multipart/alternative" {
		p, err := multipart.NewReader(msg.Body, params["boundary"]).NextRawPart()
		if err != nil {
			t.Fatal(err)
		}
		body, header = p, textprotoHeader(mail.Header(p.Header))
		ct, params, _ = mime.ParseMediaType(header.Get("Content-Type"))
	}
	if ct != "text/plain" {
		t.Fatalf("first part is %s", ct)
	}
	switch header.Get("Content-Transfer-Encoding") {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	e, err := htmlindex.Get(params["charset"])
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(e.NewDecoder().Reader(body))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func textprotoHeader(h mail.Header) mail.Header { return h }

func TestBuild_RefusesInjection(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		m   akmail.Message
		env akmail.Envelope
	}{
		"subject":                       {akmail.Message{To: "a@example.jp", Subject: "hi\r\nBcc: x@example.com", Text: "x"}, fixedEnv},
		"recipient name":                {akmail.Message{To: "\"a\r\nBcc: x@example.com\" <a@example.jp>", Subject: "hi", Text: "x"}, fixedEnv},
		"shop name":                     {akmail.Message{To: "a@example.jp", Subject: "hi", Text: "x"}, akmail.Envelope{From: "shop@example.jp", FromName: "Shop\nBcc: x@example.com", MessageID: "<1@x>"}},
		"reserved header":               {akmail.Message{To: "a@example.jp", Subject: "hi", Text: "x", Headers: map[string]string{"Bcc": "x@example.com"}}, fixedEnv},
		"second From":                   {akmail.Message{To: "a@example.jp", Subject: "hi", Text: "x", Headers: map[string]string{"from": "ceo@example.jp"}}, fixedEnv},
		"header value":                  {akmail.Message{To: "a@example.jp", Subject: "hi", Text: "x", Headers: map[string]string{"X-Order": "1\nBcc: x@example.com"}}, fixedEnv},
		"marketing without unsubscribe": {akmail.Message{To: "a@example.jp", Subject: "hi", Text: "x", Marketing: true}, fixedEnv},
		"non-ASCII address":             {akmail.Message{To: "山田@例え.jp", Subject: "hi", Text: "x"}, fixedEnv},
	}
	for name, c := range cases {
		if _, err := akmail.Build(&c.m, c.env); shop.KindOf(err) != shop.Invalid {
			t.Errorf("%s: Build = %v, want Invalid", name, err)
		}
	}
}
