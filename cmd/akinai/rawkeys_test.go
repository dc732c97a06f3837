package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/akinai/akinai/internal/i18n"
)

// rawKeyRE matches what a page shows when a message key has no text
// (i18n.T returns the key): a catalogue prefix ("admin", "checkout",
// "maillog", … — every first segment of a known key), a dot and more
// key segments. It is built from the catalogue, so a new area is covered.
var rawKeyRE = func() *regexp.Regexp {
	var prefixes []string
	for _, k := range i18n.Keys() {
		p, _, _ := strings.Cut(k, ".")
		if !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, regexp.QuoteMeta(p))
		}
	}
	slices.SortFunc(prefixes, func(a, b string) int { return len(b) - len(a) })
	return regexp.MustCompile(`(^|[^@./:\-_A-Za-z0-9])((?:` + strings.Join(prefixes, "|") + `)(?:\.[a-z0-9_]+)+)`)
}()

// hostRE matches host names that look like keys ("mail.example.jp").
var hostRE = regexp.MustCompile(`\.(jp|com|net|org|test|invalid|localhost|example)$`)

// visibleText returns what a reader of page sees or hears: text outside
// script, style and code, and the attributes shown or read aloud (placeholder,
// title, alt, aria-label, value of buttons and inputs, optgroup labels).
func visibleText(page string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(page))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, attrs := z.TagName()
			if n := string(name); n == "script" || n == "style" || n == "code" {
				skip++ // <code> shows identifiers on purpose (event and action codes)
			}
			for attrs {
				var k, v []byte
				k, v, attrs = z.TagAttr()
				switch string(k) {
				case "placeholder", "title", "alt", "aria-label", "label":
					out = append(out, string(v))
				case "value":
					if n := string(name); n == "button" {
						out = append(out, string(v))
					}
				}
			}
		case html.EndTagToken:
			if n, _ := z.TagName(); string(n) == "script" || string(n) == "style" || string(n) == "code" {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				out = append(out, string(z.Text()))
			}
		}
	}
}

// rawKeys returns the message keys shown raw on page.
func rawKeys(page string) []string {
	var found []string
	for _, s := range visibleText(page) {
		for _, m := range rawKeyRE.FindAllStringSubmatch(s, -1) {
			if !hostRE.MatchString(m[2]) {
				found = append(found, m[2])
			}
		}
	}
	return found
}

// noRawKeys fails the test when page shows a message key instead of its
// text: the admin's template list once showed admin.mail.event.… for 15
// of 20 mails.
func noRawKeys(t *testing.T, what, page string) {
	t.Helper()
	if keys := rawKeys(page); len(keys) > 0 {
		t.Errorf("%s shows raw message keys: %q", what, keys)
	}
}

func TestRawKeys_Detects(t *testing.T) {
	t.Parallel()
	page := `<html><head><style>.admin.nav{}</style><script>var a = "admin.nav.x";</script><link href="/static/1/admin.css"></head>
<body><p>admin.mail.event.customer_confirm <code>customer_confirm</code></p><input placeholder="checkout.f.zip">
<p>info@mail.example.jp · https://order.example.com/x · mail.example.jp · 0.5</p><p>メールの種類: ご注文確認</p></body></html>`
	got := rawKeys(page)
	want := []string{"admin.mail.event.customer_confirm", "checkout.f.zip"}
	if !slices.Equal(got, want) {
		t.Fatalf("raw keys %q, want %q", got, want)
	}
}
