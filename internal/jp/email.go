package jp

import (
	"net/mail"
	"strings"
	"unicode"
)

// Email normalises and validates an e-mail address the way a shop needs
// it: something a customer can type and a mail server will take. It narrows
// full-width ASCII (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ, typed with the IME on),
// trims surrounding spaces and lower-cases the domain (the local part is
// kept as typed: it may be case-sensitive). It returns ErrEmail when the
// input contains CR or LF (header injection), any space or control
// character, not exactly one @, an empty, non-ASCII or over-long (> 64)
// local part, a domain without a dot or with an empty, over-long or
// hyphen-edged label, a numeric top-level domain, a total length over 254,
// or anything net/mail cannot parse as a bare address (a display name is
// refused).
//
// Local parts with leading, trailing or doubled dots (taro..x.@docomo.ne.jp)
// are accepted: Japanese carriers issued such addresses for years and
// customers still use them. They are valid as quoted strings, and a mailer
// must quote them ("taro..x."@docomo.ne.jp) on the wire.
func Email(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n") {
		return "", ErrEmail
	}
	s = strings.TrimFunc(narrowASCII(s), unicode.IsSpace)
	if s == "" || len(s) > 254 {
		return "", ErrEmail
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", ErrEmail
		}
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(domain, "@") || local == "" || len(local) > 64 {
		return "", ErrEmail
	}
	// net/mail accepts UTF-8 local parts (SMTPUTF8), which few Japanese
	// mail servers deliver to; here one is almost always an IME slip.
	if strings.ContainsFunc(local, func(r rune) bool { return r > unicode.MaxASCII }) {
		return "", ErrEmail
	}
	domain = strings.ToLower(domain)
	if !validDomain(domain) {
		return "", ErrEmail
	}
	addr := local + "@" + domain
	// net/mail is the arbiter of syntax. A local part with misplaced dots
	// is only valid quoted, so try that form for dot-atom-like text.
	if parsed, err := mail.ParseAddress(addr); err == nil && parsed.Name == "" && parsed.Address == addr {
		return addr, nil
	}
	if !atomsAndDots(local) {
		return "", ErrEmail
	}
	if parsed, err := mail.ParseAddress(`"` + local + `"@` + domain); err != nil || parsed.Name != "" {
		return "", ErrEmail
	}
	return addr, nil
}

// narrowASCII maps full-width ASCII (U+FF01–U+FF5E) to ASCII and the
// ideographic space to a space, and leaves everything else alone; NFKC
// would also rewrite characters that have no business in an address.
func narrowASCII(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

// atomsAndDots reports whether s is made of RFC 5322 atext and dots only.
func atomsAndDots(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
			strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", r) {
			continue
		}
		return false
	}
	return true
}

// validDomain checks a host name: at least two labels of letters (any
// script, for IDN), digits and inner hyphens, each 1–63 bytes, and a top
// label that is not all digits.
func validDomain(d string) bool {
	if len(d) > 253 {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return strings.ContainsFunc(tld, func(r rune) bool { return !unicode.IsDigit(r) })
}
