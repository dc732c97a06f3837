package phishcheck

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// urlPattern finds URLs in plain text.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?|hxxps?)://[^\s<>"'()\[\]{}「」【】、。]+`)

// linksInText returns the URLs written in plain text.
func linksInText(text string) []Link {
	var out []Link
	for _, u := range urlPattern.FindAllString(text, maxLinks) {
		u = strings.TrimRight(u, ".,;:!?")
		out = append(out, Link{Kind: "text", Href: u})
	}
	return out
}

// linksInHTML returns the <a>/<area> links with their visible text and the
// <form> actions of an HTML document, and the document's visible text.
func linksInHTML(doc string) (links []Link, visible string) {
	z := html.NewTokenizer(strings.NewReader(doc))
	var text, all strings.Builder
	var open *Link
	skip := 0 // inside <script> or <style>
	for len(links) < maxLinks {
		switch z.Next() {
		case html.ErrorToken:
			if open != nil {
				open.Text = strings.TrimSpace(normalize(text.String()))
				links = append(links, *open)
			}
			return links, all.String()
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			all.WriteString(t)
			if open != nil {
				text.WriteString(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			tag, tokType := tok.Data, tok.Type
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[strings.ToLower(a.Key)] = a.Val
			}
			switch tag {
			case "script", "style":
				if tokType == html.StartTagToken {
					skip++
				} else if tokType == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br", "p", "div", "tr", "li", "td":
				all.WriteString("\n")
			}
			switch {
			case (tag == "a" || tag == "area") && tokType != html.EndTagToken && attrs["href"] != "":
				if open != nil {
					open.Text = strings.TrimSpace(normalize(text.String()))
					links = append(links, *open)
				}
				open = &Link{Kind: "a", Href: strings.TrimSpace(attrs["href"])}
				text.Reset()
				if tag == "area" || tokType == html.SelfClosingTagToken {
					open.Text = normalize(attrs["alt"])
					links = append(links, *open)
					open = nil
				}
			case tag == "a" && tokType == html.EndTagToken && open != nil:
				open.Text = strings.TrimSpace(normalize(text.String()))
				links = append(links, *open)
				open = nil
			case tag == "img" && open != nil:
				text.WriteString(" " + attrs["alt"] + " ")
			case tag == "form" && tokType != html.EndTagToken:
				links = append(links, Link{Kind: "form", Href: strings.TrimSpace(attrs["action"])})
			case tag == "meta" && strings.EqualFold(attrs["http-equiv"], "refresh"):
				if _, u, ok := strings.Cut(strings.ToLower(attrs["content"]), "url="); ok {
					links = append(links, Link{Kind: "a", Href: strings.Trim(strings.TrimSpace(u), `'"`)})
				}
			}
		}
	}
	return links, all.String()
}
