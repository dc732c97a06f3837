package phishcheck

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
)

// maxZoneBytes bounds a --dns file.
const maxZoneBytes = 16 << 20

// LoadZone reads a DNS zone file (see ParseZone) from path.
func LoadZone(path string) (StaticResolver, error) {
	f, err := os.Open(path)
	if err != nil {
		return StaticResolver{}, err
	}
	defer f.Close()
	return ParseZone(f)
}

// ParseZone reads DNS records written as in a zone file (RFC 1035 §5), so
// that DKIM, SPF and DMARC can be verified without a network:
//
//	$ORIGIN shop.co.jp.
//	@                     TXT "v=spf1 ip4:203.0.113.10 -all"
//	_dmarc                TXT "v=DMARC1; p=reject"
//	ak1._domainkey  3600 IN TXT ( "v=DKIM1; k=ed25519; "
//	                              "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" )
//	mail                  A   203.0.113.10
//	@                     MX  10 mail
//
// TXT, A, AAAA and MX records are kept; other types (SOA, NS, CNAME…) are
// skipped. Names without a final dot are relative to $ORIGIN when one is
// set, else taken as they are. Every name the file does not hold answers
// "not found". Errors name the line.
func ParseZone(r io.Reader) (StaticResolver, error) {
	res := StaticResolver{TXT: map[string][]string{}, IP: map[string][]net.IP{}, MX: map[string][]*net.MX{}}
	sc := bufio.NewScanner(io.LimitReader(r, maxZoneBytes+1))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	origin, owner := "", ""
	line, start, size := 0, 0, 0
	var pending []string // tokens of a record continued in parentheses
	depth := 0
	for sc.Scan() {
		line++
		size += len(sc.Bytes()) + 1
		if size > maxZoneBytes {
			return res, fmt.Errorf("line %d: the file is larger than %d bytes", line, maxZoneBytes)
		}
		text := sc.Text()
		toks, opens, err := zoneTokens(text)
		if err != nil {
			return res, fmt.Errorf("line %d: %v", line, err)
		}
		if depth == 0 {
			start = line
			if len(toks) == 0 {
				continue
			}
			// A line starting with white space continues the last owner.
			if text[0] == ' ' || text[0] == '\t' {
				toks = append([]string{"\x00"}, toks...)
			}
		}
		pending = append(pending, toks...)
		depth += opens
		if depth < 0 {
			return res, fmt.Errorf("line %d: ')' without '('", line)
		}
		if depth > 0 {
			continue
		}
		rec := pending
		pending = nil
		if len(rec) == 0 || (len(rec) == 1 && rec[0] == "\x00") {
			continue
		}
		switch strings.ToUpper(rec[0]) {
		case "$ORIGIN":
			if len(rec) != 2 {
				return res, fmt.Errorf("line %d: $ORIGIN needs one name", start)
			}
			origin = key(rec[1])
			continue
		case "$TTL", "$INCLUDE", "$GENERATE":
			continue
		}
		name := rec[0]
		if name == "\x00" {
			if owner == "" {
				return res, fmt.Errorf("line %d: a record without a name", start)
			}
			name = owner
		} else {
			name = absName(name, origin)
		}
		owner = name
		fields := rec[1:]
		// Skip the optional TTL and class, in either order.
		for len(fields) > 0 && (isTTL(fields[0]) || isClass(fields[0])) {
			fields = fields[1:]
		}
		if len(fields) == 0 {
			return res, fmt.Errorf("line %d: %s has no record type", start, name)
		}
		typ, data := strings.ToUpper(fields[0]), fields[1:]
		switch typ {
		case "TXT", "SPF":
			if len(data) == 0 {
				return res, fmt.Errorf("line %d: TXT record of %s has no text", start, name)
			}
			if typ == "TXT" {
				res.TXT[name] = append(res.TXT[name], strings.Join(data, ""))
			}
		case "A", "AAAA":
			if len(data) != 1 || net.ParseIP(data[0]) == nil {
				return res, fmt.Errorf("line %d: %s record of %s needs one address", start, typ, name)
			}
			res.IP[name] = append(res.IP[name], net.ParseIP(data[0]))
		case "MX":
			if len(data) != 2 {
				return res, fmt.Errorf("line %d: MX record of %s needs a preference and a host", start, name)
			}
			pref, err := strconv.ParseUint(data[0], 10, 16)
			if err != nil {
				return res, fmt.Errorf("line %d: MX preference %q is not a number", start, data[0])
			}
			res.MX[name] = append(res.MX[name], &net.MX{Host: absName(data[1], origin) + ".", Pref: uint16(pref)})
		default:
			if strings.IndexFunc(typ, func(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') }) >= 0 {
				return res, fmt.Errorf("line %d: %q is not a record type", start, fields[0])
			}
		}
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("line %d: %v", line+1, err)
	}
	if depth > 0 {
		return res, fmt.Errorf("line %d: '(' is never closed", start)
	}
	return res, nil
}

// zoneTokens splits one line into tokens: quoted strings (unquoted, with
// \" and \DDD escapes undone) and words. Comments start at ';'. opens is
// the balance of parentheses on the line.
func zoneTokens(s string) (toks []string, opens int, err error) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == ';':
			return toks, opens, nil
		case c == '(':
			opens++
			i++
		case c == ')':
			opens--
			i++
		case c == '"':
			var sb strings.Builder
			i++
			closed := false
			for i < len(s) {
				ch := s[i]
				if ch == '"' {
					closed = true
					i++
					break
				}
				if ch == '\\' && i+1 < len(s) {
					if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
						n, _ := strconv.Atoi(s[i+1 : i+4])
						if n > 255 {
							return nil, 0, fmt.Errorf("escape \\%s is not a byte", s[i+1:i+4])
						}
						sb.WriteByte(byte(n))
						i += 4
						continue
					}
					sb.WriteByte(s[i+1])
					i += 2
					continue
				}
				sb.WriteByte(ch)
				i++
			}
			if !closed {
				return nil, 0, fmt.Errorf("a quoted string is not closed")
			}
			toks = append(toks, sb.String())
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r;()\"", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, opens, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isTTL accepts "3600" and BIND's "1h30m".
func isTTL(s string) bool {
	if s == "" || !isDigit(s[0]) {
		return false
	}
	for _, c := range strings.ToLower(s) {
		if !isDigit(byte(c)) && !strings.ContainsRune("smhdw", c) {
			return false
		}
	}
	return true
}

func isClass(s string) bool {
	switch strings.ToUpper(s) {
	case "IN", "CH", "HS", "CS":
		return true
	}
	return false
}

// absName makes a zone name absolute: "@" is the origin, a name ending in
// a dot is absolute, others are relative to origin (or taken as they are
// when there is none).
func absName(name, origin string) string {
	switch {
	case name == "@":
		return origin
	case strings.HasSuffix(name, "."):
		return key(name)
	case origin != "":
		return key(name + "." + origin)
	}
	return key(name)
}
