package phishcheck

import (
	"bytes"
	"strings"
)

// Limits on what a mail may make the checker do.
const (
	// MaxMessageSize is how much of a mail is read; the rest is ignored and
	// the report says "parse.too_large".
	MaxMessageSize = 25 << 20
	maxHeaderBytes = 1 << 20 // a header larger than this is cut
	maxFields      = 1000
	maxMIMEDepth   = 8
	maxParts       = 200
	maxLinks       = 500
	maxTextBytes   = 4 << 20 // decoded text searched for phrases and links
)

// field is one header field; Value is raw (unfolded, not decoded).
type field struct {
	Name  string
	Value string
}

// header is the fields of a message or a MIME part, top to bottom.
type header []field

// get returns the raw value of the first field called name.
func (h header) get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// all returns the raw values of every field called name, top to bottom.
func (h header) all(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// splitMessage separates the header from the body. It accepts CRLF, LF and
// a header with no body, and never fails: ok is false when the input did not
// look like a header (no field in the first line) or had to be cut.
func splitMessage(b []byte) (h header, body []byte, ok bool) {
	ok = true
	end, sepLen := len(b), 0
	if i := bytes.Index(b, []byte("\n\n")); i >= 0 {
		end, sepLen = i, 2
	}
	if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 && i < end {
		end, sepLen = i, 4
	}
	if end > maxHeaderBytes {
		end, sepLen, ok = maxHeaderBytes, 0, false
	}
	head := b[:end]
	if end+sepLen <= len(b) {
		body = b[end+sepLen:]
	}
	if sepLen == 0 && end == len(b) && len(b) > 0 {
		ok = false // truncated inside the header
	}
	for line := range bytes.Lines(head) {
		l := strings.TrimRight(string(line), "\r\n")
		if l == "" {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && len(h) > 0 {
			h[len(h)-1].Value += " " + strings.TrimSpace(l)
			continue
		}
		name, value, found := strings.Cut(l, ":")
		name = strings.TrimSpace(name)
		if !found || name == "" || strings.ContainsAny(name, " \t") {
			if len(h) == 0 {
				ok = false
			}
			continue
		}
		if len(h) >= maxFields {
			ok = false
			break
		}
		h = append(h, field{Name: name, Value: strings.TrimSpace(value)})
	}
	if len(h) == 0 {
		ok = false
	}
	return h, body, ok
}
