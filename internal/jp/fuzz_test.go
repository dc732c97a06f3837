package jp

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzFold(f *testing.F) {
	for _, s := range []string{"ﾃｨｰ", "てぃー ＴＥＡ", "㈱\u200b〜", "a\x00b", "ｶﾞ", "İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		k := Fold(s)
		if Fold(k) != k {
			t.Errorf("Fold not idempotent: %q → %q → %q", s, k, Fold(k))
		}
		if strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") || strings.Contains(k, "  ") {
			t.Errorf("Fold(%q) = %q has stray spaces", s, k)
		}
		for _, r := range k {
			if r >= 'ぁ' && r <= 'ゖ' || unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
				t.Errorf("Fold(%q) = %q keeps %U", s, k, r)
			}
		}
	})
}

// Whatever the input, a normaliser either refuses it or returns a value it
// accepts unchanged.
func FuzzNormalisers(f *testing.F) {
	for _, s := range []string{"〒100-0001", "+81 (0)3-1234-5678", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro..x.@docomo.ne.jp", "ﾔﾏﾀﾞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range map[string]func(string) (string, error){
			"PostalCode": PostalCode, "Phone": Phone, "Email": Email, "Kana": Kana,
		} {
			v, err := fn(s)
			if err != nil {
				continue
			}
			if again, err := fn(v); err != nil || again != v {
				t.Errorf("%s(%q) = %q, but %s(%q) = %q, %v", name, s, v, name, v, again, err)
			}
		}
	})
}
