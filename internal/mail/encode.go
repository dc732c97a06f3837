package mail

import (
	"bytes"
	"encoding/base64"
	"mime"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// jisFold maps characters that Unicode and JIS X 0208 tables disagree on
// (the "wave dash problem") to the code points x/text's ISO-2022-JP
// encoder accepts. Without it a subject with 〜 or − cannot be encoded.
var jisFold = strings.NewReplacer(
	"\u301c", "\uff5e", // 〜 WAVE DASH → ～ FULLWIDTH TILDE
	"\u2212", "\uff0d", // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
	"\u2016", "\u2225", // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
	"\u2014", "\u2015", // — EM DASH → ― HORIZONTAL BAR
	"\u00a2", "\uffe0", // ¢
	"\u00a3", "\uffe1", // £
	"\u00ac", "\uffe2", // ¬
	"\u00a5", "\uffe5", // ¥ YEN SIGN → ￥ FULLWIDTH YEN SIGN
	"\u203e", "\uffe3", // ‾ OVERLINE → ￣
)

// toJIS folds s and encodes it as ISO-2022-JP. ok is false when s holds a
// character JIS X 0208 (with the NEC extensions x/text knows) cannot
// express; the caller then falls back to UTF-8.
func toJIS(s string) (b []byte, ok bool) {
	b, err := japanese.ISO2022JP.NewEncoder().Bytes([]byte(jisFold.Replace(s)))
	return b, err == nil
}

// canJIS reports whether every string encodes as ISO-2022-JP.
func canJIS(ss ...string) bool {
	for _, s := range ss {
		if _, ok := toJIS(s); !ok {
			return false
		}
	}
	return true
}

// isASCII reports whether s is printable 7-bit text (tabs allowed).
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || (c < 0x20 && c != '\t') {
			return false
		}
	}
	return true
}

// encodeWord returns s as it may appear in an unstructured header field:
// unchanged when ASCII, otherwise RFC 2047 B-encoded words in charset cs
// ("utf-8" or "iso-2022-jp"), separated by spaces so fold can break the
// line between them.
func encodeWord(s, cs string) string {
	if isASCII(s) {
		return s
	}
	if cs != "iso-2022-jp" {
		return mime.BEncoding.Encode("UTF-8", s)
	}
	// Each word is encoded on its own so that it starts and ends in ASCII
	// mode (RFC 1468): a decoder never has to carry escape state across
	// words. 42 raw bytes give 56 base64 characters, a 74-character word.
	const maxRaw = 42
	var words []string
	var chunk []rune
	var prev []byte
	flush := func() {
		if len(chunk) > 0 {
			words = append(words, "=?ISO-2022-JP?B?"+base64.StdEncoding.EncodeToString(prev)+"?=")
			chunk = chunk[:0]
		}
	}
	for _, r := range s {
		b, _ := toJIS(string(append(chunk, r)))
		if len(b) > maxRaw && len(chunk) > 0 {
			flush()
			b, _ = toJIS(string(r))
		}
		chunk = append(chunk, r)
		prev = b
	}
	flush()
	return strings.Join(words, " ")
}

// encodeAddress formats one mailbox: the display name encoded when it is
// not ASCII, quoted when it needs to be.
func encodeAddress(a *mail.Address, cs string) string {
	if a.Name == "" {
		return "<" + a.Address + ">"
	}
	if isASCII(a.Name) {
		return (&mail.Address{Name: a.Name, Address: a.Address}).String()
	}
	return encodeWord(a.Name, cs) + " <" + a.Address + ">"
}

// fold writes "Name: value" folded at spaces so that lines stay near 78
// characters (RFC 5322 §2.2.3). Encoded words and addresses contain no
// spaces, so folding never splits one.
func fold(buf *bytes.Buffer, name, value string) {
	line := name + ":"
	for i, tok := range strings.Split(value, " ") {
		if i > 0 && utf8.RuneCountInString(line)+1+len(tok) > 78 && strings.TrimSpace(line) != name+":" {
			buf.WriteString(line + "\r\n")
			line = ""
		}
		line += " " + tok
	}
	buf.WriteString(line + "\r\n")
}
