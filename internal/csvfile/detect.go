package csvfile

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// firstNotASCII is the index of the first byte that is not printable
// ASCII text (a high byte, ESC, or NUL), or -1.
func firstNotASCII(b []byte) int {
	for i, c := range b {
		if c >= 0x80 || c == 0x1B || c == 0 {
			return i
		}
	}
	return -1
}

// utf16NoBOM recognises UTF-16 without a byte-order mark by its zero
// bytes: text that is mostly ASCII or Japanese has a zero in one half of
// most of its code units, and CSV always has ASCII commas.
func utf16NoBOM(head []byte) Encoding {
	if len(head) < 4 {
		return ""
	}
	var even, odd int
	n := len(head) &^ 1
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	units := n / 2
	switch {
	case odd*3 > units && even*10 < units:
		return UTF16LE
	case even*3 > units && odd*10 < units:
		return UTF16BE
	}
	return ""
}

// detect decides the encoding of w, which starts at the first byte that
// is not ASCII and may end in the middle of a character unless eof.
func detect(w []byte, eof bool) (Encoding, error) {
	if bytes.IndexByte(w, 0) >= 0 {
		return "", &EncodingError{Name: "binary"}
	}
	if iso2022(w) {
		return ISO2022JP, nil
	}
	cut := w
	if !eof {
		// Forgive a character cut off by the window.
		for i := 0; i < 3 && len(cut) > 0 && !utf8.Valid(cut); i++ {
			cut = cut[:len(cut)-1]
		}
	}
	if utf8.Valid(cut) {
		return UTF8BOM, nil
	}
	sjis, euc := validShiftJIS(w, eof), validEUCJP(w, eof)
	switch {
	case sjis && !euc:
		return ShiftJIS, nil
	case euc && !sjis:
		return EUCJP, nil
	case sjis && euc:
		// Both readings are possible (short kana or kanji runs): take the
		// one that reads as Japanese text rather than half-width kana.
		s, _ := japanese.ShiftJIS.NewDecoder().Bytes(w)
		e, _ := japanese.EUCJP.NewDecoder().Bytes(w)
		if japaneseScore(e) > japaneseScore(s) {
			return EUCJP, nil
		}
		return ShiftJIS, nil
	}
	return "", &EncodingError{}
}

// iso2022 reports ISO-2022-JP: 7-bit bytes with its escape sequences.
func iso2022(w []byte) bool {
	for _, c := range w {
		if c >= 0x80 {
			return false
		}
	}
	for _, esc := range []string{"\x1b$B", "\x1b$@", "\x1b(J", "\x1b(I", "\x1b$(D"} {
		if bytes.Contains(w, []byte(esc)) {
			return true
		}
	}
	return false
}

// validShiftJIS checks the byte structure of Shift_JIS with Microsoft's
// CP932 extensions: ASCII, half-width kana A1–DF, and two-byte characters
// led by 81–9F or E0–FC and trailed by 40–7E or 80–FC.
func validShiftJIS(b []byte, eof bool) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x80 || (c >= 0xA1 && c <= 0xDF):
		case (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC):
			if i+1 == len(b) {
				return !eof
			}
			t := b[i+1]
			if t < 0x40 || t == 0x7F || t > 0xFC {
				return false
			}
			i++
		default:
			return false
		}
	}
	return true
}

// validEUCJP checks the byte structure of EUC-JP: ASCII, two bytes of
// A1–FE (JIS X 0208), 8E and a half-width kana, 8F and two bytes of A1–FE
// (JIS X 0212).
func validEUCJP(b []byte, eof bool) bool {
	hi := func(c byte) bool { return c >= 0xA1 && c <= 0xFE }
	for i := 0; i < len(b); i++ {
		c := b[i]
		need := 0
		switch {
		case c < 0x80:
			continue
		case hi(c), c == 0x8E:
			need = 1
		case c == 0x8F:
			need = 2
		default:
			return false
		}
		if i+need >= len(b) {
			return !eof
		}
		for k := 1; k <= need; k++ {
			if !hi(b[i+k]) || (c == 0x8E && b[i+k] > 0xDF) {
				return false
			}
		}
		i += need
	}
	return true
}

// japaneseScore counts characters of running Japanese text (kana, kanji,
// the ideographic comma and full stop) against half-width kana and
// replacement characters, which a wrong reading produces.
func japaneseScore(s []byte) int {
	score := 0
	for _, r := range string(s) {
		switch {
		case r >= 0x3040 && r <= 0x30FF, r >= 0x4E00 && r <= 0x9FFF, r == 0x3001, r == 0x3002:
			score++
		case r >= 0xFF61 && r <= 0xFF9F, r == utf8.RuneError:
			score -= 2
		}
	}
	return score
}
