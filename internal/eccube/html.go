package eccube

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// HTMLToMarkup turns EC-CUBE's free HTML (product descriptions, free
// areas, news) into Akinai's small markup (catalog.Markup), which never
// passes HTML through: text is kept, paragraphs and line breaks become
// lines, h1–h3 headings become "#"/"##", list items "- ", table rows
// "| a | b |", and links "[text](url)" when the URL is http(s) or a path.
// Scripts, styles, iframes, forms and every attribute but a link's href
// are dropped, so nothing the old shop's HTML did can run on Akinai.
func HTMLToMarkup(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	if !strings.ContainsAny(src, "<&") {
		return strings.TrimSpace(strings.ReplaceAll(src, "\r\n", "\n"))
	}
	z := html.NewTokenizer(strings.NewReader(src))
	var out strings.Builder
	var line strings.Builder
	skip := 0 // inside script/style/…
	var href string
	var linkText strings.Builder
	inLink := false
	var cells []string
	inCell := false
	flush := func() {
		l := strings.TrimSpace(line.String())
		line.Reset()
		if l != "" {
			out.WriteString(l)
			out.WriteString("\n")
		}
	}
	blank := func() {
		flush()
		s := out.String()
		if s != "" && !strings.HasSuffix(s, "\n\n") {
			out.WriteString("\n")
		}
	}
	write := func(s string) {
		switch {
		case inLink:
			linkText.WriteString(s)
		case inCell:
			cells[len(cells)-1] += s
		default:
			line.WriteString(s)
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			blank()
			return strings.TrimSpace(out.String())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			write(collapse(string(z.Text())))
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			end := tt == html.EndTagToken
			switch tag {
			case "script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "head":
				if tt == html.StartTagToken {
					skip++
				} else if end && skip > 0 {
					skip--
				}
			case "br":
				if !inLink && !inCell {
					flush()
				}
			case "p", "div", "section", "article", "blockquote", "ul", "ol", "table", "hr":
				blank()
			case "h1", "h2", "h3", "h4", "h5", "h6":
				blank()
				if !end {
					if tag == "h1" || tag == "h2" {
						line.WriteString("# ")
					} else {
						line.WriteString("## ")
					}
				}
			case "li", "dt", "dd":
				flush()
				if !end && tag == "li" {
					line.WriteString("- ")
				}
			case "tr":
				if !end {
					flush()
					cells = nil
				} else if len(cells) > 0 {
					for i := range cells {
						cells[i] = strings.ReplaceAll(strings.TrimSpace(cells[i]), "|", "｜")
					}
					out.WriteString("| " + strings.Join(cells, " | ") + " |\n")
					cells = nil
				}
			case "td", "th":
				if !end {
					cells = append(cells, "")
					inCell = true
				} else {
					inCell = false
				}
			case "a":
				if !end {
					href = ""
					for hasAttr {
						var k, v []byte
						k, v, hasAttr = z.TagAttr()
						if string(k) == "href" {
							href = string(v)
						}
					}
					inLink = true
					linkText.Reset()
				} else if inLink {
					inLink = false
					t := strings.TrimSpace(linkText.String())
					if u, ok := safeHref(href); ok && t != "" {
						t = "[" + strings.NewReplacer("[", "［", "]", "］").Replace(t) + "](" + u + ")"
					}
					write(t)
				}
			case "img":
				// Pictures inside descriptions point at the old shop's
				// files; their alt text is kept.
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "alt" && strings.TrimSpace(string(v)) != "" {
						write(strings.TrimSpace(string(v)))
					}
				}
			}
		}
	}
}

// safeHref keeps http(s) URLs and site paths; anything else (javascript:,
// data:) is dropped and the link's text kept as plain text.
func safeHref(h string) (string, bool) {
	h = strings.TrimSpace(h)
	if strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//") {
		return strings.ReplaceAll(h, ")", "%29"), true
	}
	u, err := url.Parse(h)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return strings.ReplaceAll(u.String(), ")", "%29"), true
}

// collapse turns each run of white space into one space, as a browser
// shows it.
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
