package jp

import (
	"errors"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/shop"
)

type normCase struct {
	in, want string // want "" means the input is refused
}

func checkNorm(t *testing.T, name string, fn func(string) (string, error), wantErr error, cases []normCase) {
	t.Helper()
	for _, tc := range cases {
		got, err := fn(tc.in)
		if tc.want == "" {
			if !errors.Is(err, wantErr) {
				t.Errorf("%s(%q) = %q, %v; want %v", name, tc.in, got, err, wantErr)
			}
			if got != "" {
				t.Errorf("%s(%q) returned %q with an error", name, tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s(%q) = %q, %v; want %q", name, tc.in, got, err, tc.want)
		}
	}
}

func TestKana(t *testing.T) {
	t.Parallel()
	checkNorm(t, "Kana", Kana, ErrKana, []normCase{
		{"ヤマダ", "ヤマダ"},
		{"やまだ", "ヤマダ"},
		{"ﾔﾏﾀﾞ", "ヤマダ"},
		{" タロウ ", "タロウ"},
		{"ユーコ", "ユーコ"},
		{"ﾕｰｺ", "ユーコ"},
		{"ゆ-こ", "ユーコ"},
		{"ヴィヴァルディ", "ヴィヴァルディ"},
		{"ケ", "ケ"},
		{"ヶ", "ヶ"},
		{"ァ", "ァ"},
		{"山田", ""},
		{"yamada", ""},
		{"ＹＡＭＡＤＡ", ""},
		{"ヤマダ タロウ", ""},
		{"ヤマダ・タロウ", ""},
		{"ヤマダ1", ""},
		{"ヤマ〜ダ", ""},
		{"", ""},
		{"   ", ""},
		{"ｱﾟ", ""}, // a semi-voiced mark that composes with nothing
	})
	if shop.KindOf(ErrKana) != shop.Invalid {
		t.Errorf("ErrKana is not an Invalid error")
	}
}

func TestPostalCode(t *testing.T) {
	t.Parallel()
	checkNorm(t, "PostalCode", PostalCode, ErrPostalCode, []normCase{
		{"1000001", "1000001"},
		{"100-0001", "1000001"},
		{"〒100-0001", "1000001"},
		{"〒 100-0001 ", "1000001"},
		{"１００－０００１", "1000001"},
		{"１００ー０００１", "1000001"},
		{"100ｰ0001", "1000001"},
		{"100‐0001", "1000001"},
		{"100−0001", "1000001"},
		{"100 0001", "1000001"},
		{"060-0000", "0600000"},
		{"100-00011", ""},
		{"100-001", ""},
		{"10-00001", ""},
		{"100--0001", ""},
		{"1000-001", ""},
		{"100-000a", ""},
		{"一〇〇-〇〇〇一", ""},
		{"", ""},
		{"〒", ""},
	})
	for _, tc := range []struct{ in, want string }{
		{"1000001", "100-0001"},
		{"〒１００－０００１", "100-0001"},
		{"0600000", "060-0000"},
		{"12345", "12345"},
		{"", ""},
	} {
		if got := FormatPostalCode(tc.in); got != tc.want {
			t.Errorf("FormatPostalCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPhone(t *testing.T) {
	t.Parallel()
	checkNorm(t, "Phone", Phone, ErrPhone, []normCase{
		{"03-1234-5678", "0312345678"},
		{"０３－１２３４－５６７８", "0312345678"},
		{"03(1234)5678", "0312345678"},
		{"０３（１２３４）５６７８", "0312345678"},
		{"(03) 1234 5678", "0312345678"},
		{"090-1234-5678", "09012345678"},
		{"090ー1234ー5678", "09012345678"},
		{"09012345678", "09012345678"},
		{"0120-123-456", "0120123456"},
		{"+81-90-1234-5678", "09012345678"},
		{"+81 3 1234 5678", "0312345678"},
		{"+81 (0)3-1234-5678", "0312345678"},
		{"123-4567-8901", ""},   // no leading 0
		{"03-1234-567", ""},     // 9 digits
		{"090-1234-56789", ""},  // 12 digits
		{"001-010-1234567", ""}, // international prefix
		{"03-1234-5678 内線12", ""},
		{"tel:0312345678", ""},
		{"", ""},
	})
}

func TestEmail(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 59) + ".jp"
	if len(long) != 255 {
		t.Fatalf("test address is %d bytes", len(long))
	}
	checkNorm(t, "Email", Email, ErrEmail, []normCase{
		{"taro@example.jp", "taro@example.jp"},
		{" taro@example.jp\u3000", "taro@example.jp"},
		{"Taro.Yamada+shop@Example.CO.JP", "Taro.Yamada+shop@example.co.jp"},
		{"ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"},
		{"o'brien@example.com", "o'brien@example.com"},
		{"taro..x.@docomo.ne.jp", "taro..x.@docomo.ne.jp"},
		{".taro@ezweb.ne.jp", ".taro@ezweb.ne.jp"},
		{"taro@日本.jp", "taro@日本.jp"},
		{"taro@mail-1.example.jp", "taro@mail-1.example.jp"},
		{long[1:], long[1:]},                   // 254 bytes
		{long, ""},                             // 255 bytes
		{"taro@example.jp\r\nBcc: x@y.jp", ""}, // header injection
		{"taro@example.jp\n", ""},
		{"taro@example", ""},
		{"taro@@example.jp", ""},
		{"taro@a@example.jp", ""},
		{"@example.jp", ""},
		{"taro@", ""},
		{"taro", ""},
		{"ta ro@example.jp", ""},
		{"taro@exa mple.jp", ""},
		{"\"ta ro\"@example.jp", ""},
		{"Taro <taro@example.jp>", ""},
		{"taro@.example.jp", ""},
		{"taro@example..jp", ""},
		{"taro@-example.jp", ""},
		{"taro@example-.jp", ""},
		{"taro@example.jp.", ""},
		{"taro@example_1.jp", ""},
		{"taro@192.168.0.1", ""},
		{"taro(comment)@example.jp", ""},
		{"tarō@example.jp", ""},
		{"ta\u200bro@example.jp", ""},
		{strings.Repeat("a", 65) + "@example.jp", ""},
		{"", ""},
	})
}
