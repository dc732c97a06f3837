package phishcheck

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

func iso2022(t *testing.T, s string) []byte {
	t.Helper()
	b, err := japanese.ISO2022JP.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeHeader(t *testing.T) {
	jis := iso2022(t, "パスワードの有効期限")
	cut := 5 // inside the first ESC $ B sequence's first character
	split := "=?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString(jis[:cut]) + "?=\r\n =?ISO-2022-JP?B?" +
		base64.StdEncoding.EncodeToString(jis[cut:]) + "?="
	sjis, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte("お知らせ"))
	euc, _ := japanese.EUCJP.NewEncoder().Bytes([]byte("本人確認"))
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Hello", "Hello"},
		{"utf-8 B", "=?UTF-8?B?44OR44K544Ov44O844OJ?=", "パスワード"},
		{"utf-8 Q", "=?utf-8?Q?caf=C3=A9_au_lait?=", "café au lait"},
		{"split ISO-2022-JP", split, "パスワードの有効期限"},
		{"raw JIS", string(jis), "パスワードの有効期限"},
		{"raw Shift_JIS", string(sjis), "お知らせ"},
		{"raw EUC-JP", string(euc), "本人確認"},
		{"space between words dropped", "=?UTF-8?B?44GC?= =?UTF-8?B?44GE?=", "あい"},
		{"text kept around words", "Re: =?UTF-8?B?44GC?= x", "Re: あ x"},
		{"quoted word", `"=?UTF-8?B?ZWMtY3ViZS5uZXQ=?=" <a@b.jp>`, `"ec-cube.net" <a@b.jp>`},
		{"cp932 label", "=?cp932?B?" + base64.StdEncoding.EncodeToString(sjis) + "?=", "お知らせ"},
		{"broken word kept", "=?UTF-8?B?###", "=?UTF-8?B?###"},
		{"unknown charset", "=?x-unknown?B?YWJj?=", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeHeader(tt.in); got != tt.want {
				t.Errorf("decodeHeader(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"ﾊﾟｽﾜｰﾄﾞ":          "パスワード",
		"パス\u200bワード":      "パスワード",
		"ｅｃ－ｃｕｂｅ．ｎｅｔ":      "ec-cube.net",
		"10\u301c20":       "10~20",
		"\u202eevil\u202c": "evil",
		"shop。co。jp":       "shop.co.jp",
	}
	for in, want := range tests {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseMailboxes(t *testing.T) {
	tests := []struct {
		in, name, addr string
	}{
		{`"ec-cube.net" <x@other.jp>`, "ec-cube.net", "x@other.jp"},
		{`Shop <Order@Shop.CO.JP>`, "Shop", "Order@shop.co.jp"},
		{`x@example.jp (Support Desk)`, "Support Desk", "x@example.jp"},
		{`=?UTF-8?B?44K344On44OD44OX?= <a@b.jp>`, "ショップ", "a@b.jp"},
		{`"Doe, John" <j@d.jp>`, "Doe, John", "j@d.jp"},
		{`broken <a@b.jp`, "broken", "a@b.jp"},
	}
	for _, tt := range tests {
		got := parseMailboxes(tt.in)
		if len(got) != 1 || got[0].Name != tt.name || got[0].Addr != tt.addr {
			t.Errorf("parseMailboxes(%q) = %+v, want %q <%s>", tt.in, got, tt.name, tt.addr)
		}
	}
	if got := parseMailboxes("a@x.jp, b@y.jp"); len(got) != 2 {
		t.Errorf("two addresses: %+v", got)
	}
}

func TestSplitMessage(t *testing.T) {
	h, body, ok := splitMessage([]byte("Subject: a\n\tb\nFrom: x@y.jp\n\nbody"))
	if !ok || h.get("subject") != "a b" || h.get("From") != "x@y.jp" || string(body) != "body" {
		t.Errorf("LF message: %+v %q %v", h, body, ok)
	}
	if _, _, ok := splitMessage([]byte("Subject: cut in the head")); ok {
		t.Error("a message without the end of its header is not partial")
	}
	if _, _, ok := splitMessage([]byte("\x00\x01garbage\n\nx")); ok {
		t.Error("garbage accepted as a header")
	}
}

func TestLures(t *testing.T) {
	tests := map[string]string{
		"パスワードの\n有効期限が切れます":          "lure.password_expiry",
		"ﾊﾟｽﾜｰﾄﾞの有効期限":               "lure.password_expiry",
		"Your PASSWORD   EXPIRED":    "lure.password_expiry",
		"サーバー上のファイルが破損しています":         "lure.file_corruption",
		"アカウント停止のお知らせ":               "lure.account_suspension",
		"「至急」ご対応ください":                "lure.urgency",
		"Please verify your account": "lure.identity_check",
	}
	for text, code := range tests {
		b := newBuilder(Config{})
		b.checkLures(text)
		if !b.has(code) {
			t.Errorf("%q: no %s in %+v", text, code, b.report.Reasons)
		}
	}
	b := newBuilder(Config{})
	b.checkLures("ご注文ありがとうございます。商品は明日発送します。")
	if len(b.report.Reasons) != 0 {
		t.Errorf("plain order mail has lures: %+v", b.report.Reasons)
	}
}

func TestMessagesComplete(t *testing.T) {
	for code, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s lacks a translation", code)
		}
		if strings.ContainsAny(m[1], "あいうえおアイウエオ") {
			t.Errorf("%s: English message holds kana", code)
		}
	}
	for _, l := range lures {
		if _, ok := messages[l.code]; !ok {
			t.Errorf("lure %s has no message", l.code)
		}
	}
	if message("dkim.pass", "en") == message("dkim.pass", "ja") {
		t.Error("languages give the same message")
	}
}

// TestReasonCodesHaveMessages reads the package source for every code
// passed to add or notChecked, so a new code without a sentence fails here.
func TestReasonCodesHaveMessages(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`(?:add|notChecked|advise)\("([a-z_]+\.[a-z_]+)"`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			found++
			if _, ok := messages[m[1]]; !ok {
				t.Errorf("%s: code %s has no message", f, m[1])
			}
		}
	}
	if found < 40 {
		t.Errorf("found only %d codes in the source: the pattern is stale", found)
	}
}
