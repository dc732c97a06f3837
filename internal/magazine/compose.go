package magazine

import (
	"html"
	"strings"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
)

// recipientMail is what one recipient gets: the magazine with their
// anti-phishing code after the first line, the unsubscribe link at the
// end of both parts and in List-Unsubscribe (RFC 8058 one-click: Build
// adds List-Unsubscribe-Post for marketing mail, and the DKIM signature
// covers both headers).
func recipientMail(m *Magazine, to, lang, code, unsubscribeURL string) (*mail.Message, error) {
	l := i18n.Lang(lang)
	text, err := mail.CodeBlock(m.Text, lang, code)
	if err != nil {
		// A code that is not valid any more is left out, never a
		// reason not to send: the mail says nothing then.
		text = m.Text
		code = ""
	}
	text = strings.TrimRight(text, "\n") + "\n\n--\n" + i18n.T(l, "magazine.mail.footer") + "\n" + unsubscribeURL + "\n"
	msg := &mail.Message{
		Event: "magazine", Lang: lang, To: to, Subject: m.Subject, Text: text,
		Marketing: true,
		Headers:   map[string]string{"List-Unsubscribe": "<" + unsubscribeURL + ">"},
	}
	if m.HTML != "" {
		msg.HTML = htmlWithBlocks(m.HTML, l, code, unsubscribeURL)
	}
	return msg, nil
}

// htmlWithBlocks adds the code block at the top of the body and the
// unsubscribe footer at its end (right after <body> and before </body>
// when the operator wrote a whole document).
func htmlWithBlocks(src string, l i18n.Lang, code, unsubscribeURL string) string {
	var top string
	if code != "" {
		top = `<div style="border:1px solid #888;padding:8px;margin:0 0 16px">` +
			html.EscapeString(i18n.T(l, "mail.code_line", code)) + `<br>` +
			html.EscapeString(i18n.T(l, "mail.code_explain")) + `</div>`
	}
	foot := `<p style="font-size:12px;color:#555;margin-top:24px">` + html.EscapeString(i18n.T(l, "magazine.mail.footer")) +
		` <a href="` + html.EscapeString(unsubscribeURL) + `">` + html.EscapeString(i18n.T(l, "magazine.mail.unsubscribe")) + `</a></p>`
	lower := strings.ToLower(src)
	if i := strings.Index(lower, "<body"); i >= 0 {
		if j := strings.IndexByte(lower[i:], '>'); j >= 0 {
			at := i + j + 1
			src = src[:at] + top + src[at:]
			lower = strings.ToLower(src)
		}
	} else {
		src = top + src
	}
	if i := strings.LastIndex(lower, "</body>"); i >= 0 {
		return src[:i] + foot + src[i:]
	}
	return src + foot
}
