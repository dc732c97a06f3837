package mail

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
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

// ComposeOption changes what Compose produces.
type ComposeOption func(*composeOptions)

type composeOptions struct {
	code string
}

// WithCode shows the recipient's anti-phishing code in a fixed block
// right after the greeting line (the first line of the body), with one
// line saying that a mail without it is not from the shop. An empty code
// adds nothing.
func WithCode(code string) ComposeOption {
	return func(o *composeOptions) { o.code = code }
}

// Compose renders the template for event in lang with data into a
// Message addressed to to: the operator's edit from mail_templates when
// one is saved, read through q (pass the transaction that enqueues the
// mail), else the embedded default. A nil q uses the default only (tools
// and tests without a shop). Every mail the shop sends goes through here,
// so an edit in the admin applies to all of them. A template that fails
// to render is an error, never a half-written mail; so is an
// anti-phishing code that is not one line of at most MaxCodeLen
// characters (Invalid, "mail.bad_code").
func Compose(ctx context.Context, q db.Queryer, event, lang, to string, data any, opts ...ComposeOption) (*Message, error) {
	lang = normalizeLang(lang)
	src, err := source(ctx, q, event, lang)
	if err != nil {
		return nil, err
	}
	m, err := composeFrom(event, lang, to, src, data, opts)
	if err != nil {
		return nil, err
	}
	footer, err := shopFooter(ctx, q, event, lang)
	if err != nil {
		return nil, err
	}
	if footer != "" {
		m.Text = strings.TrimRight(m.Text, "\n") + "\n\n" + footer + "\n"
	}
	return m, nil
}

// shopFooter is the text the operator adds at the end of every mail to
// customers (メール設定: 署名), in lang; admin mails get none.
func shopFooter(ctx context.Context, q db.Queryer, event, lang string) (string, error) {
	if q == nil || strings.HasPrefix(event, "admin_") {
		return "", nil
	}
	key := "mail.footer_ja"
	if lang == string(i18n.English) {
		key = "mail.footer_en"
	}
	var v string
	err := q.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n")), err
}

// source is the operator's template for event in lang, or the default.
func source(ctx context.Context, q db.Queryer, event, lang string) (string, error) {
	def, err := defaultSource(event, lang)
	if err != nil || q == nil {
		return def, err
	}
	var src string
	err = q.QueryRow(ctx, `SELECT source FROM mail_templates WHERE event = ? AND lang = ?`, event, lang).Scan(&src)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return def, nil
	case err != nil:
		return "", err
	}
	return src, nil
}

func normalizeLang(lang string) string {
	if l, ok := i18n.Parse(lang); ok {
		return string(l)
	}
	return string(i18n.Default)
}

func defaultSource(event, lang string) (string, error) {
	src, err := templateFS.ReadFile("templates/" + event + "." + lang + ".txt")
	if err != nil {
		return "", fmt.Errorf("mail: no template %s.%s: %w", event, lang, err)
	}
	return string(src), nil
}

func composeFrom(event, lang, to, src string, data any, opts []ComposeOption) (*Message, error) {
	var o composeOptions
	for _, opt := range opts {
		opt(&o)
	}
	subject, body, err := Render(src, data)
	if err != nil {
		return nil, fmt.Errorf("mail: template %s.%s: %w", event, lang, err)
	}
	if o.code != "" {
		if err := ValidateCode(o.code); err != nil {
			return nil, err
		}
		body = insertCode(body, lang, o.code)
	}
	return &Message{Event: event, Lang: lang, To: to, Subject: subject, Text: body}, nil
}

// MaxCodeLen is the longest anti-phishing code, in characters.
const MaxCodeLen = 40

// ValidateCode checks an anti-phishing code as an admin or customer sets
// it: one line, printable, 1 to MaxCodeLen characters. The error is
// Invalid with the field "code".
func ValidateCode(code string) error {
	n := utf8.RuneCountInString(code)
	bad := n == 0 || n > MaxCodeLen || strings.TrimSpace(code) != code
	for _, r := range code {
		if !unicode.IsPrint(r) && r != ' ' {
			bad = true
		}
	}
	if bad {
		return shop.Invalidf(map[string]string{"code": "mail.bad_code"})
	}
	return nil
}

// insertCode puts the code block after the greeting line.
func insertCode(body, lang, code string) string {
	l := i18n.Lang(lang)
	block := "----------------------------------------\n" +
		i18n.T(l, "mail.code_line", code) + "\n" +
		i18n.T(l, "mail.code_explain") + "\n" +
		"----------------------------------------\n"
	greeting, rest, _ := strings.Cut(body, "\n")
	return greeting + "\n\n" + block + "\n" + strings.TrimLeft(rest, "\n")
}

// Render executes a template source ("Subject: …\n\nbody") with data and
// returns the subject and body. The subject line is executed on its own,
// so a value holding a line break (header injection through data) is an
// error instead of a shorter subject and a forged first body line.
func Render(src string, data any) (subject, body string, err error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	first, rest, _ := strings.Cut(src, "\n")
	if !strings.HasPrefix(first, "Subject:") {
		return "", "", fmt.Errorf("first line must be \"Subject: …\"")
	}
	subject, err = execute(strings.TrimPrefix(first, "Subject:"), data)
	if err != nil {
		return "", "", err
	}
	subject = strings.TrimSpace(subject)
	if strings.ContainsAny(subject, "\r\n") {
		return "", "", fmt.Errorf("subject spans lines")
	}
	if body, err = execute(rest, data); err != nil {
		return "", "", err
	}
	return subject, strings.TrimLeft(strings.ReplaceAll(body, "\r\n", "\n"), "\n"), nil
}

func execute(src string, data any) (string, error) {
	t, err := template.New("mail").Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// CodeBlock puts the recipient's anti-phishing code block after the
// greeting line of a body composed elsewhere (the mail magazine), exactly
// as Compose does with WithCode. An empty code adds nothing; a malformed
// one is ValidateCode's error.
func CodeBlock(body, lang, code string) (string, error) {
	if code == "" {
		return body, nil
	}
	if err := ValidateCode(code); err != nil {
		return "", err
	}
	return insertCode(body, normalizeLang(lang), code), nil
}
