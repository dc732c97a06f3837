package phishcheck

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// japaneseLabels are labels seen in Japanese mail that the WHATWG and IANA
// indexes do not know; the Microsoft variants are supersets that the x/text
// decoders handle (their tables include the NEC and IBM extensions).
var japaneseLabels = map[string]encoding.Encoding{
	"cp932":          japanese.ShiftJIS,
	"ms_kanji":       japanese.ShiftJIS,
	"shift-jis":      japanese.ShiftJIS,
	"sjis-win":       japanese.ShiftJIS,
	"iso-2022-jp-ms": japanese.ISO2022JP,
	"iso-2022-jp-1":  japanese.ISO2022JP,
	"iso-2022-jp-2":  japanese.ISO2022JP,
	"iso-2022-jp-3":  japanese.ISO2022JP,
	"cp50220":        japanese.ISO2022JP,
	"cp50221":        japanese.ISO2022JP,
	"cp50222":        japanese.ISO2022JP,
	"euc_jp":         japanese.EUCJP,
	"eucjp":          japanese.EUCJP,
	"eucjp-ms":       japanese.EUCJP,
	"cp51932":        japanese.EUCJP,
	"utf8":           unicode.UTF8,
}

// lookupCharset returns the decoder for a MIME charset label, or nil.
func lookupCharset(label string) encoding.Encoding {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if label == "" || label == "us-ascii" || label == "ascii" {
		return nil
	}
	if e, ok := japaneseLabels[label]; ok {
		return e
	}
	if e, err := htmlindex.Get(label); err == nil {
		return e
	}
	if e, err := ianaindex.MIME.Encoding(label); err == nil && e != nil {
		return e
	}
	return nil
}

// decodeCharset decodes b from charset. known is false when the label is
// unknown; the bytes are then read as UTF-8 (or guessed, see guessDecode).
func decodeCharset(b []byte, charset string) (s string, known bool) {
	cs := strings.ToLower(strings.TrimSpace(charset))
	e := lookupCharset(cs)
	if e == nil {
		return guessDecode(b), cs == "" || cs == "us-ascii" || cs == "ascii" || cs == "utf-8"
	}
	if e == unicode.UTF8 {
		return guessDecode(b), true
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return guessDecode(b), true
	}
	return string(out), true
}

// guessDecode reads bytes of unknown encoding: raw ISO-2022-JP (an escape
// sequence), UTF-8, or else whichever of Shift_JIS and EUC-JP decodes with
// fewer invalid sequences and stray half-width katakana. Mail from Japanese systems often carries 8-bit
// text with no charset at all.
func guessDecode(b []byte) string {
	if hasJISEscape(b) {
		if out, err := japanese.ISO2022JP.NewDecoder().Bytes(b); err == nil {
			return string(out)
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	best, bestBad := string(bytes.ToValidUTF8(b, []byte("\ufffd"))), -1
	for _, e := range []encoding.Encoding{japanese.ShiftJIS, japanese.EUCJP} {
		out, err := e.NewDecoder().Bytes(b)
		if err != nil {
			continue
		}
		// Replacement characters mean invalid bytes; half-width katakana
		// are rare in real text but what EUC-JP looks like read as Shift_JIS.
		bad := strings.Count(string(out), "\ufffd")*4 + halfWidthKana(string(out))
		if bestBad < 0 || bad < bestBad {
			best, bestBad = string(out), bad
		}
	}
	return best
}

func halfWidthKana(s string) int {
	n := 0
	for _, r := range s {
		if r >= '\uff61' && r <= '\uff9f' {
			n++
		}
	}
	return n
}

// hasJISEscape reports whether b holds an ISO-2022-JP designation
// (ESC $ B, ESC $ @, ESC ( J, ESC ( B, ESC ( I).
func hasJISEscape(b []byte) bool {
	for i := 0; i+2 < len(b); i++ {
		if b[i] != 0x1b {
			continue
		}
		if (b[i+1] == '$' && (b[i+2] == 'B' || b[i+2] == '@')) || (b[i+1] == '(' && (b[i+2] == 'B' || b[i+2] == 'J' || b[i+2] == 'I')) {
			return true
		}
	}
	return false
}
