package jp

import (
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"half-width kana", "ﾃｨｰ", "ティー"},
		{"hiragana", "てぃー", "ティー"},
		{"katakana", "ティー", "ティー"},
		{"voiced half-width", "ｶﾞｯｺｳ", "ガッコウ"},
		{"full-width latin", "ＴＥＡ", "tea"},
		{"lower latin", "tea", "tea"},
		{"mixed case", "Green Tea", "green tea"},
		{"full-width digits", "２０２５年", "2025年"},
		{"ideographic space", "緑茶\u3000静岡", "緑茶 静岡"},
		{"collapse and trim", "  緑茶 \t\n 静岡  ", "緑茶 静岡"},
		{"zero-width space", "緑\u200b茶", "緑茶"},
		{"bom and soft hyphen", "\ufeffco\u00adffee", "coffee"},
		{"control char", "a\x00b\x7fc", "abc"},
		{"wave dash", "ティ〜", "ティー"},
		{"full-width tilde", "ティ～", "ティー"},
		{"ascii hyphen", "ティ-", "ティー"},
		{"minus sign", "ティ−", "ティー"},
		{"horizontal bar", "ティ―", "ティー"},
		{"half-width long vowel", "ｺｰﾋｰ", "コーヒー"},
		{"product code", "ABC－123", "abcー123"},
		{"iteration mark", "いすゞ", "イスヾ"},
		{"vu", "ゔぁ", "ヴァ"},
		{"enclosed", "㈱山田", "(株)山田"},
		{"kanji untouched", "静岡県産", "静岡県産"},
		{"empty", "", ""},
		{"only spaces", " \u3000 ", ""},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("%s: Fold(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// The point of Fold: spellings a customer would call the same match.
func TestFoldMatches(t *testing.T) {
	t.Parallel()
	for _, group := range [][]string{
		{"ﾃｨｰ", "てぃー", "ティー", "ティ〜", "ﾃｨ-"},
		{"ＴＥＡ", "tea", "Tea", "ｔｅａ"},
		{"コーヒー", "こーひー", "ｺｰﾋｰ", "コ−ヒ−"},
	} {
		want := Fold(group[0])
		for _, s := range group[1:] {
			if got := Fold(s); got != want {
				t.Errorf("Fold(%q) = %q, Fold(%q) = %q; want equal", s, got, group[0], want)
			}
		}
	}
	// Folding twice changes nothing: index and query may be folded again.
	for _, s := range []string{"ﾃｨｰ ＴＥＡ", "㈱ てすと〜", "Ａ\u3000\u3000b"} {
		if once, twice := Fold(s), Fold(Fold(s)); once != twice {
			t.Errorf("Fold is not idempotent on %q: %q then %q", s, once, twice)
		}
	}
}

func TestSplitKeywords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"緑茶 静岡", []string{"緑茶", "静岡"}},
		{"緑茶\u3000静岡", []string{"緑茶", "静岡"}},
		{"  緑茶\u3000 \u3000静岡  ", []string{"緑茶", "静岡"}},
		{"緑茶 緑茶 静岡", []string{"緑茶", "静岡"}},
		{"tea", []string{"tea"}},
		{"", nil},
		{" \u3000 ", nil},
	} {
		if got := SplitKeywords(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitKeywords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := SplitKeywords(Fold("ﾘｮｸﾁｬ　ＴＥＡ")); !slices.Equal(got, []string{"リョクチャ", "tea"}) {
		t.Errorf("SplitKeywords(Fold(…)) = %q", got)
	}
}
