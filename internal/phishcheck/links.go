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

// credentialName matches the names of form fields that collect sign-in
// details or card data.
var credentialName = regexp.MustCompile(`(?i)(pass|pwd|login|user|e-?mail|account|card|cvv|cvc|pin|otp|secret|暗証|パスワード)`)

// linksInHTML returns the <a>/<area> links with their visible text and the
// <form> actions (with their credential fields) of an HTML document, the
// document's visible text (image alt texts included) and its number of
// images.
func linksInHTML(doc string) (links []Link, visible string, images int) {
	z := html.NewTokenizer(strings.NewReader(doc))
	var text, all strings.Builder
	var open *Link
	skip := 0      // inside <script> or <style>
	form := -1     // index in links of the open <form>
	loose := false // a password field outside any form
	for len(links) < maxLinks {
		switch z.Next() {
		case html.ErrorToken:
			if open != nil {
				open.Text = strings.TrimSpace(normalize(text.String()))
				links = append(links, *open)
			}
			if loose {
				links = append(links, Link{Kind: "form", Fields: []string{"password"}})
			}
			return links, all.String(), images
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
			case tag == "img":
				images++
				all.WriteString(" " + attrs["alt"] + " ")
				if open != nil {
					text.WriteString(" " + attrs["alt"] + " ")
				}
			case tag == "form" && tokType != html.EndTagToken:
				links = append(links, Link{Kind: "form", Href: strings.TrimSpace(attrs["action"])})
				form = len(links) - 1
			case tag == "form":
				form = -1
			case tag == "input" || tag == "select" || tag == "textarea":
				f := ""
				switch {
				case strings.EqualFold(attrs["type"], "password"):
					f = "password"
				case strings.EqualFold(attrs["type"], "hidden"), strings.EqualFold(attrs["type"], "submit"):
				case credentialName.MatchString(attrs["name"] + " " + attrs["id"] + " " + attrs["autocomplete"]):
					f = strings.ToLower(firstNonEmpty(attrs["name"], attrs["id"], attrs["autocomplete"]))
				}
				switch {
				case f == "":
				case form >= 0 && len(links[form].Fields) < 20:
					links[form].Fields = append(links[form].Fields, truncate(f, 40))
				case form < 0 && f == "password":
					loose = true
				}
			case tag == "meta" && strings.EqualFold(attrs["http-equiv"], "refresh"):
				if _, u, ok := strings.Cut(strings.ToLower(attrs["content"]), "url="); ok {
					links = append(links, Link{Kind: "a", Href: strings.Trim(strings.TrimSpace(u), `'"`)})
				}
			}
		}
	}
	return links, all.String(), images
}
