package system

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Record is one warning or error kept for the log viewer, with personal
// and secret attribute values already redacted.
type Record struct {
	Time    time.Time
	Level   slog.Level
	Message string
	Attrs   []Attr
}

// Attr is one key and its (possibly redacted) value as text.
type Attr struct{ Key, Value string }

// Redacted is what a personal or secret value is replaced with.
const Redacted = "[redacted]"

// ring holds the last records of one process; handlers derived with
// WithAttrs and WithGroup share it.
type ring struct {
	mu   sync.Mutex
	buf  []Record
	next int
	full bool
}

func (r *ring) add(rec Record) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf[r.next] = rec
	r.next = (r.next + 1) % len(r.buf)
	if r.next == 0 {
		r.full = true
	}
}

// newest returns the kept records, newest first.
func (r *ring) newest() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.next
	if r.full {
		n = len(r.buf)
	}
	out := make([]Record, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, r.buf[(r.next-i+len(r.buf))%len(r.buf)])
	}
	return out
}

// Recent is a slog.Handler that passes every record on to the next
// handler and keeps the last few at WARN and above in memory for the
// admin's log viewer. Memory is per process: each instance behind a load
// balancer shows its own.
type Recent struct {
	next   slog.Handler
	ring   *ring
	attrs  []Attr // from WithAttrs, already redacted
	prefix string // group names from WithGroup, dot-separated
}

// NewRecent wraps next and keeps the last size warnings and errors.
func NewRecent(next slog.Handler, size int) *Recent {
	if size < 1 {
		size = 1
	}
	return &Recent{next: next, ring: &ring{buf: make([]Record, size)}}
}

// Capacity is how many records are kept at most.
func (h *Recent) Capacity() int { return len(h.ring.buf) }

// Records returns the kept records, newest first.
func (h *Recent) Records() []Record { return h.ring.newest() }

// Enabled reports whether the next handler wants the level, or the level
// is one we keep.
func (h *Recent) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn || h.next.Enabled(ctx, l)
}

// Handle keeps a WARN+ record and passes the record on.
func (h *Recent) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		rec := Record{Time: r.Time, Level: r.Level, Message: scrub(r.Message), Attrs: append([]Attr(nil), h.attrs...)}
		r.Attrs(func(a slog.Attr) bool {
			rec.Attrs = appendAttr(rec.Attrs, h.prefix, a)
			return true
		})
		h.ring.add(rec)
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

// WithAttrs returns a handler sharing the buffer, with attrs added.
func (h *Recent) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.next = h.next.WithAttrs(attrs)
	c.attrs = append([]Attr(nil), h.attrs...)
	for _, a := range attrs {
		c.attrs = appendAttr(c.attrs, h.prefix, a)
	}
	return &c
}

// WithGroup returns a handler sharing the buffer, with keys under name.
func (h *Recent) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.next = h.next.WithGroup(name)
	c.prefix = h.prefix + name + "."
	return &c
}

// appendAttr flattens a (possibly group) attribute, redacting the values
// of sensitive keys.
func appendAttr(out []Attr, prefix string, a slog.Attr) []Attr {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		if Sensitive(a.Key) {
			return append(out, Attr{Key: prefix + a.Key, Value: Redacted})
		}
		for _, g := range v.Group() {
			out = appendAttr(out, p, g)
		}
		return out
	}
	if a.Key == "" {
		return out
	}
	val := v.String()
	if Sensitive(a.Key) {
		val = Redacted
	} else {
		val = scrub(val)
	}
	return append(out, Attr{Key: prefix + a.Key, Value: val})
}

// sensitiveWords are parts of attribute keys whose values may identify a
// person or open a door.
var sensitiveWords = []string{"email", "mail", "name", "phone", "tel", "address", "addr", "postal", "zip", "kana",
	"token", "password", "passwd", "secret", "key", "cookie", "session", "auth", "otp", "card", "credential", "url"}

// Sensitive reports whether an attribute key looks like personal or
// secret data (case-insensitive substring match, so "customer_email",
// "ShipName", "setup_url" and "api_key" all count).
func Sensitive(key string) bool {
	k := strings.ToLower(key)
	for _, w := range sensitiveWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// emailRE finds mail addresses inside free text (an error that quotes one).
var emailRE = regexp.MustCompile(`[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}`)

// tokenRE finds long runs of URL-safe characters: the secret part of a
// setup, password-reset or confirmation link inside a logged path.
var tokenRE = regexp.MustCompile(`[A-Za-z0-9_-]{20,}`)

// looksLikeToken tells a random token (mixed case and digits, or long
// hex) from a long slug such as "organic-green-tea-2024-gift".
func looksLikeToken(s string) bool {
	var upper, lower, digit bool
	hex := true
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
			hex = false
		case c >= 'a' && c <= 'z':
			lower = true
			hex = hex && c <= 'f'
		case c >= '0' && c <= '9':
			digit = true
		default:
			hex = false
		}
	}
	return (upper && lower && digit) || (hex && digit && len(s) >= 32)
}

// scrub replaces mail addresses and token-like strings in free text and
// shortens it.
func scrub(s string) string {
	if strings.IndexByte(s, '@') >= 0 {
		s = emailRE.ReplaceAllString(s, Redacted)
	}
	s = tokenRE.ReplaceAllStringFunc(s, func(m string) string {
		if looksLikeToken(m) {
			return Redacted
		}
		return m
	})
	if len(s) > 500 {
		s = strings.ToValidUTF8(s[:500], "") + "…"
	}
	return s
}
