package jp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kana normalises and validates a フリガナ field (セイ or メイ): it trims
// surrounding whitespace, widens half-width kana (ﾔﾏﾀﾞ → ヤマダ), turns
// hiragana into katakana (やまだ → ヤマダ) and any dash variant into ー, then
// requires the result to be full-width katakana only, the notes'
// ^[ァ-ヶー]+$ once half-width forms are converted. It returns ErrKana for an
// empty value or one containing kanji, Latin letters, digits, spaces or
// symbols such as ・.
func Kana(s string) (string, error) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" {
		return "", ErrKana
	}
	// NFKC widens half-width katakana and composes ｶﾞ into ガ. Anything else
	// it changes (full-width Latin, say) is refused below anyway.
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'ぁ' && r <= 'ゖ':
			r += 'ァ' - 'ぁ'
		case isDashOrWave(r) && r != '~' && r != '〜' && r != '\u3030':
			r = longVowel
		}
		if !(r >= 'ァ' && r <= 'ヶ' || r == longVowel) {
			return "", ErrKana
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}
