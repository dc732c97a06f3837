package catalog

import (
	"html"
	"html/template"
	"net/url"
	"strings"
)

// Markup renders the shop pages' small markup as HTML. It never passes
// HTML through: every character of the source is escaped, and only these
// constructs make elements:
//
//	# Heading            → <h2>      ## Subheading → <h3>
//	- item               → <ul><li>  (consecutive lines)
//	| 販売業者 | 株式会社… | → <table> row; the first cell is a row header
//	[text](https://…)    → a link; only http:, https: and /paths
//	other lines          → a paragraph; a blank line ends it, a single
//	                       line break becomes <br>
func Markup(src string) template.HTML {
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var para []string
	kind := "" // open block: "", "ul", "table", "p"
	closeBlock := func() {
		switch kind {
		case "ul":
			b.WriteString("</ul>\n")
		case "table":
			b.WriteString("</tbody></table>\n")
		case "p":
			b.WriteString("<p>")
			for i, l := range para {
				if i > 0 {
					b.WriteString("<br>")
				}
				b.WriteString(inline(l))
			}
			b.WriteString("</p>\n")
			para = para[:0]
		}
		kind = ""
	}
	open := func(k string) {
		if kind != k {
			closeBlock()
			kind = k
			switch k {
			case "ul":
				b.WriteString("<ul>")
			case "table":
				b.WriteString(`<table><tbody>`)
			}
		}
	}
	for _, raw := range lines {
		l := strings.TrimRight(raw, " \t")
		switch {
		case strings.TrimSpace(l) == "":
			closeBlock()
		case strings.HasPrefix(l, "## "):
			closeBlock()
			b.WriteString("<h3>" + inline(l[3:]) + "</h3>\n")
		case strings.HasPrefix(l, "# "):
			closeBlock()
			b.WriteString("<h2>" + inline(l[2:]) + "</h2>\n")
		case strings.HasPrefix(l, "- "):
			open("ul")
			b.WriteString("<li>" + inline(l[2:]) + "</li>")
		case strings.HasPrefix(l, "|"):
			open("table")
			cells := strings.Split(strings.Trim(l, "|"), "|")
			b.WriteString("<tr>")
			for i, c := range cells {
				tag := "td"
				if i == 0 && len(cells) > 1 {
					tag = "th"
				}
				b.WriteString("<" + tag + ">" + inline(strings.TrimSpace(c)) + "</" + tag + ">")
			}
			b.WriteString("</tr>")
		default:
			open("p")
			para = append(para, l)
		}
	}
	closeBlock()
	return template.HTML(b.String())
}

// inline escapes text and turns [text](url) into links to safe URLs.
func inline(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "[")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "](")
		if j < 0 {
			break
		}
		k := strings.Index(s[i+j:], ")")
		if k < 0 {
			break
		}
		text, href := s[i+1:i+j], s[i+j+2:i+j+k]
		b.WriteString(html.EscapeString(s[:i]))
		if u, ok := safeURL(href); ok && text != "" {
			b.WriteString(`<a href="` + html.EscapeString(u) + `">` + html.EscapeString(text) + `</a>`)
		} else {
			b.WriteString(html.EscapeString(s[i : i+j+k+1]))
		}
		s = s[i+j+k+1:]
	}
	b.WriteString(html.EscapeString(s))
	return b.String()
}

// safeURL accepts absolute http(s) URLs and site paths ("/pages/x"),
// re-encoded so no quote or space survives into the attribute.
func safeURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "\"'<> \t\\`") {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			return "", false
		}
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
	default:
		return "", false
	}
	return u.String(), true
}
