package mail

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// Default templates live in templates/<event>.<lang>.txt. The first line
// is "Subject: …", then a blank line, then the plain-text body.
//
//go:embed templates
var templateFS embed.FS

var funcs = template.FuncMap{
	"yen": func(y shop.Yen) string { return "¥" + y.String() },
	"t":   func(lang, key string, args ...any) string { return i18n.T(i18n.Lang(lang), key, args...) },
}

// Compose renders the default template for event in lang with data into a
// Message addressed to to. A template that fails to render is an error,
// never a half-written mail.
func Compose(event, lang, to string, data any) (*Message, error) {
	if l, ok := i18n.Parse(lang); ok {
		lang = string(l)
	} else {
		lang = string(i18n.Default)
	}
	src, err := templateFS.ReadFile("templates/" + event + "." + lang + ".txt")
	if err != nil {
		return nil, fmt.Errorf("mail: no template %s.%s: %w", event, lang, err)
	}
	subject, body, err := Render(string(src), data)
	if err != nil {
		return nil, fmt.Errorf("mail: template %s.%s: %w", event, lang, err)
	}
	return &Message{Event: event, Lang: lang, To: to, Subject: subject, Text: body}, nil
}

// Render executes a template source ("Subject: …\n\nbody") with data and
// returns the subject and body.
func Render(src string, data any) (subject, body string, err error) {
	t, err := template.New("mail").Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", "", err
	}
	out := strings.ReplaceAll(buf.String(), "\r\n", "\n")
	first, rest, _ := strings.Cut(out, "\n")
	if !strings.HasPrefix(first, "Subject:") {
		return "", "", fmt.Errorf("first line must be \"Subject: …\"")
	}
	subject = strings.TrimSpace(strings.TrimPrefix(first, "Subject:"))
	if strings.ContainsAny(subject, "\r\n") {
		return "", "", fmt.Errorf("subject spans lines")
	}
	return subject, strings.TrimLeft(rest, "\n"), nil
}
