package phishcheck

import (
	"bytes"
	"encoding/base64"
	"mime/quotedprintable"
	"strings"
)

// decodeHeader turns a raw header value into text. Raw JIS or 8-bit bytes
// are decoded first (guessDecode), then RFC 2047 encoded-words. Adjacent
// encoded-words of the same charset are joined as bytes before the charset
// is decoded, because mailers split ISO-2022-JP (and multi-byte UTF-8) in
// the middle of a character or an escape sequence. Encoded-words inside
// quotes, which RFC 2047 forbids but mailers write, are decoded too.
func decodeHeader(raw string) string {
	s := guessDecode([]byte(raw))
	if !strings.Contains(s, "=?") {
		return s
	}
	var out strings.Builder
	var pending []byte
	pendingCS := ""
	flush := func() {
		if pendingCS != "" {
			text, _ := decodeCharset(pending, pendingCS)
			out.WriteString(text)
		}
		pending, pendingCS = nil, ""
	}
	for len(s) > 0 {
		start := strings.Index(s, "=?")
		if start < 0 {
			flush()
			out.WriteString(s)
			break
		}
		cs, enc, text, n, ok := parseEncodedWord(s[start:])
		if !ok {
			flush()
			out.WriteString(s[:start+2])
			s = s[start+2:]
			continue
		}
		between := s[:start]
		blank := strings.TrimSpace(between) == ""
		switch {
		case pendingCS != "" && blank && strings.EqualFold(cs, pendingCS):
			// Same charset, only white space between: join the bytes.
		case pendingCS != "" && blank:
			flush() // white space between encoded-words is dropped
		default:
			flush()
			out.WriteString(between)
		}
		pendingCS = cs
		pending = append(pending, decodeWordBytes(enc, text)...)
		s = s[start+n:]
	}
	flush()
	return out.String()
}

// parseEncodedWord reads "=?charset?B?text?=" at the start of s and returns
// its parts and length.
func parseEncodedWord(s string) (charset, enc, text string, n int, ok bool) {
	rest := s[2:]
	q1 := strings.IndexByte(rest, '?')
	if q1 <= 0 || q1+2 >= len(rest) || rest[q1+2] != '?' {
		return "", "", "", 0, false
	}
	charset = rest[:q1]
	if i := strings.IndexByte(charset, '*'); i >= 0 { // RFC 2231 language
		charset = charset[:i]
	}
	enc = strings.ToUpper(rest[q1+1 : q1+2])
	if enc != "B" && enc != "Q" {
		return "", "", "", 0, false
	}
	body := rest[q1+3:]
	end := strings.Index(body, "?=")
	if end < 0 || strings.ContainsAny(body[:end], " \t\r\n") {
		return "", "", "", 0, false
	}
	return charset, enc, body[:end], 2 + q1 + 3 + end + 2, true
}

func decodeWordBytes(enc, text string) []byte {
	if enc == "B" {
		text = strings.TrimRight(text, "=")
		b, err := base64.RawStdEncoding.DecodeString(text)
		if err != nil {
			// Keep what decodes: a truncated word still says something.
			b, _ = base64.RawStdEncoding.DecodeString(text[:len(text)/4*4])
		}
		return b
	}
	text = strings.ReplaceAll(text, "_", " ")
	b, err := readAllLenient(quotedprintable.NewReader(strings.NewReader(text)))
	if err != nil {
		return []byte(text)
	}
	return b
}

// readAllLenient reads r to the end, keeping what was read before an error.
func readAllLenient(r interface{ Read([]byte) (int, error) }) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}
