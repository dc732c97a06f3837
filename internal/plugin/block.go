package plugin

import (
	"context"
	"html/template"
	"strings"

	"golang.org/x/net/html"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/pluginsdk"
)

// MaxBlock caps a storefront block's HTML, before sanitising.
const MaxBlock = 8 << 10

// Blocks runs storefront.block of every enabled plugin for the top page
// and returns the fragments, sanitised. The input is the same for every
// visitor (the language only), so the page stays cacheable. Fails open:
// a plugin that fails shows nothing.
func (ps *Plugins) Blocks(ctx context.Context, q db.Queryer, lang string) []template.HTML {
	var out []template.HTML
	for _, p := range ps.With(ctx, q, HookBlock) {
		var b pluginsdk.Block
		if !ps.call(ctx, p, HookBlock, q, pluginsdk.BlockIn{Slot: "home", Lang: lang}, &b) || strings.TrimSpace(b.HTML) == "" {
			continue
		}
		if len(b.HTML) > MaxBlock {
			continue
		}
		out = append(out, Sanitize(b.HTML))
	}
	return out
}

// allowed are the elements a block keeps, without any attribute: text
// markup only, so a plugin can neither run script, load anything, nor
// dress up a link or a form as the shop's own.
var allowed = map[string]bool{"p": true, "br": true, "strong": true, "em": true, "b": true, "i": true,
	"ul": true, "ol": true, "li": true, "span": true, "small": true}

// dropped are the elements whose content goes too (not only the tags).
var dropped = map[string]bool{"script": true, "style": true, "iframe": true, "object": true, "embed": true,
	"template": true, "noscript": true, "textarea": true, "title": true, "svg": true, "math": true}

// Sanitize keeps the allowed elements of a fragment (attributes removed,
// tags balanced) and escapes all text; everything else is dropped.
func Sanitize(s string) template.HTML {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var open []string
	skip := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		name := tok.Data
		switch tt {
		case html.TextToken:
			if skip == 0 {
				b.WriteString(html.EscapeString(tok.Data))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if dropped[name] && tt == html.StartTagToken {
				skip++
				continue
			}
			if skip > 0 || !allowed[name] {
				continue
			}
			b.WriteString("<" + name + ">")
			if name != "br" && tt == html.StartTagToken {
				open = append(open, name)
			}
		case html.EndTagToken:
			if dropped[name] {
				skip = max(skip-1, 0)
				continue
			}
			if skip > 0 || !allowed[name] {
				continue
			}
			// Close up to the matching open element; a stray end tag is dropped.
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == name {
					for j := len(open) - 1; j >= i; j-- {
						b.WriteString("</" + open[j] + ">")
					}
					open = open[:i]
					break
				}
			}
		}
	}
	for j := len(open) - 1; j >= 0; j-- {
		b.WriteString("</" + open[j] + ">")
	}
	return template.HTML(b.String()) // built above from allowed tags and escaped text only
}
