package phishcheck

import (
	"regexp"
	"strings"
)

// mailbox is one address of a From, Reply-To or Return-Path field.
type mailbox struct {
	Name string // display name, decoded and normalised
	Addr string // addr-spec, lower-cased domain
}

// String is the mailbox as a person reads it.
func (m mailbox) String() string {
	if m.Name == "" {
		return m.Addr
	}
	return m.Name + " <" + m.Addr + ">"
}

// parseMailboxes reads an address list leniently: phishing mail is rarely
// RFC 5322-clean, and net/mail refuses much of it. Display names are decoded
// (encoded-words, also inside quotes; raw JIS; 8-bit) and normalised.
func parseMailboxes(raw string) []mailbox {
	var out []mailbox
	for _, part := range splitAddressList(raw) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var m mailbox
		if lt := strings.LastIndexByte(part, '<'); lt >= 0 {
			gt := strings.IndexByte(part[lt:], '>')
			if gt < 0 {
				gt = len(part) - lt
			}
			m.Addr = strings.TrimSpace(part[lt+1 : lt+gt])
			m.Name = part[:lt]
		} else {
			// "addr (Comment name)" or a bare address.
			addr, comment, _ := strings.Cut(part, "(")
			m.Addr = strings.TrimSpace(addr)
			m.Name = strings.TrimSuffix(comment, ")")
		}
		m.Name = normalize(decodeHeader(strings.TrimSpace(m.Name)))
		m.Name = strings.TrimSpace(strings.Trim(strings.TrimSpace(m.Name), `"`))
		m.Name = strings.ReplaceAll(m.Name, `\"`, `"`)
		if at := strings.LastIndexByte(m.Addr, '@'); at >= 0 {
			m.Addr = m.Addr[:at] + "@" + strings.ToLower(m.Addr[at+1:])
		}
		out = append(out, m)
	}
	return out
}

// splitAddressList splits on commas outside quotes, angle brackets and
// comments.
func splitAddressList(s string) []string {
	var parts []string
	depth, quoted, angle, start := 0, false, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case c == ',' && depth == 0 && !angle:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// hostPattern finds host names in text: labels of letters, digits and
// hyphens with at least one dot. Callers check the suffix with knownSuffix.
var hostPattern = regexp.MustCompile(`(?i)(?:[a-z0-9\p{L}](?:[a-z0-9\p{L}-]{0,61}[a-z0-9\p{L}])?\.)+[a-z\p{L}][a-z0-9\p{L}-]{0,62}[a-z0-9\p{L}]`)

// hostsIn returns the ASCII forms of the host names that text mentions,
// ignoring strings whose ending is no public suffix ("ver.1.2").
func hostsIn(text string) []string {
	var out []string
	for _, m := range hostPattern.FindAllString(normalize(text), 20) {
		h := asciiDomain(m)
		if h == "" || !knownSuffix(h) || registrable(h) == "" {
			continue
		}
		out = append(out, h)
	}
	return out
}
