package phishcheck

import (
	"slices"
	"testing"
)

func TestLookalike(t *testing.T) {
	b := newBuilder(Config{Protected: []string{"shop.co.jp", "ec-cube.net", "admin.akinai-demo.jp"}})
	tests := []struct {
		host string
		want string // a code that must be among the findings; "" for none
	}{
		{"shop.co.jp", ""},
		{"www.shop.co.jp", ""},
		{"ec-cube.net", ""},
		{"akinai-demo.jp", ""},
		{"example.com", ""},
		{"myshop.co.jp", ""},
		{"shopping.jp", ""},
		{"cube.net", ""},
		{"shop.jp", codeTLDSwap},
		{"shop.com", codeTLDSwap},
		{"shop.net", codeTLDSwap},
		{"ec-cube.co.jp", codeTLDSwap},
		{"ec-cube.com", codeTLDSwap},
		{"sh0p.co.jp", codeHomoglyph},
		{"ec-cu6e.net", codeSubstitution},
		{asciiDomain("ec-cubе.net"), codePunycode}, // Cyrillic е
		{asciiDomain("ec-cubе.net"), codeMixedScript},
		{asciiDomain("ес-сubе.net"), codeHomoglyph},
		{"ec-cubee.net", codeInsertion},
		{"ec-cbe.net", codeOmission},
		{"ec-cueb.net", codeTransposition},
		{"eccube.net", codeHyphenation},
		{"ec--cube.net", codeHyphenation},
		{"shopco.jp", codeOmission},
		{"shop-co.jp", codeHyphenation},
		{"shop.co.jp.evil.example", codeSubdomain},
		{"shop.co.jp-login.com", codeSubdomain},
		{"ec-cube-support.net", codeBrandInName},
		{"login-eccube.com", codeBrandInName},
		{"shop-co-jp.com", codeBrandInName},
		{"akinai-dem0.jp", codeHomoglyph},
		{"rnyshop.co.jp", ""},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			codes, _ := b.lookalike(tt.host)
			if tt.want == "" {
				if len(codes) > 0 {
					t.Errorf("lookalike(%q) = %v, want none", tt.host, codes)
				}
				return
			}
			if !slices.Contains(codes, tt.want) {
				t.Errorf("lookalike(%q) = %v, want %s", tt.host, codes, tt.want)
			}
		})
	}
}

func TestMixedScript(t *testing.T) {
	for s, want := range map[string]bool{
		"shop": false, "日本語ショップ": false, "akinaiショップ": false, "ひらがなkanji漢字": false,
		"ec-cubе": true, "аpple": true, "한국shop": true,
	} {
		if got := mixedScript(s); got != want {
			t.Errorf("mixedScript(%q) = %v, want %v", s, got, want)
		}
	}
}
