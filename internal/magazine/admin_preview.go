package magazine

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// The preview is a document of its own, shown in an <iframe sandbox> on
// the compose page: the operator's HTML runs in an opaque origin with no
// scripts (the iframe's sandbox and this response's CSP sandbox both say
// so), so nothing in it can reach the admin. The compose form's
// "preview" button posts the form into the iframe (formtarget), so the
// preview shows what is typed without saving and without any script on
// the admin page.
var previewDoc = template.Must(template.New("preview").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="margin:0;font-family:sans-serif">
<p style="margin:0;padding:8px;background:#eee;font-size:13px">{{.SubjectLabel}}: <strong>{{.Subject}}</strong></p>
{{if .HTML}}<div style="padding:8px">{{.HTML}}</div>{{else}}<p style="padding:8px;color:#555">{{.NoHTML}}</p>{{end}}
<p style="margin:0;padding:8px;background:#eee;font-size:13px">{{.TextLabel}}</p>
<pre style="padding:8px;white-space:pre-wrap;font-size:13px">{{.Text}}</pre>
</body></html>`))

// sampleCode stands for the recipient's anti-phishing code in previews.
const sampleCode = "さくら2026"

func (a *Admin) preview(w http.ResponseWriter, r *http.Request, m *Magazine) error {
	l := web.Lang(r)
	msg, err := recipientMail(m, "preview@example.invalid", string(l), sampleCode, a.unsubscribeURL(0))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = previewDoc.Execute(&buf, map[string]any{
		"Lang": l, "Subject": m.Subject, "HTML": template.HTML(msg.HTML), "Text": msg.Text,
		"SubjectLabel": i18n.T(l, "magazine.field.subject"), "TextLabel": i18n.T(l, "magazine.preview.text"),
		"NoHTML": i18n.T(l, "magazine.preview.no_html"),
	})
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; frame-ancestors 'self'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// previewPost shows the compose form as it is, unsaved.
// POST /magazine/preview (target: the preview iframe)
func (a *Admin) previewPost(w http.ResponseWriter, r *http.Request) error {
	m := &Magazine{}
	parseForm(r, m)
	return a.preview(w, r, m)
}

// previewSaved shows a saved magazine. GET /magazine/{id}/preview
func (a *Admin) previewSaved(w http.ResponseWriter, r *http.Request) error {
	m, err := a.load(r)
	if err != nil {
		return err
	}
	return a.preview(w, r, m)
}

func (a *Admin) unsubscribeURL(rid int64) string {
	return strings.TrimRight(a.BaseURL, "/") + UnsubscribePath + a.Tokens.Unsubscribe(rid)
}

// test sends the magazine, as saved, to one address through the outbox
// (DKIM-signed like every shop mail), marked [テスト]; its unsubscribe link
// works and changes nothing. POST /magazine/{id}/test
func (a *Admin) test(w http.ResponseWriter, r *http.Request) error {
	m, err := a.load(r)
	if err != nil {
		return err
	}
	to := strings.TrimSpace(r.PostFormValue("test_to"))
	key, err := jp.Email(to)
	if err != nil {
		return a.render(w, r, http.StatusUnprocessableEntity, &formPage{M: m, TestTo: to, Fields: map[string]string{"test_to": "magazine.err.email"}})
	}
	ctx := r.Context()
	lang := string(web.Lang(r))
	// The customer's own code when the address is a customer's, so the
	// operator sees the mail as that customer would.
	var code string
	_ = a.Store.DB.QueryRow(ctx, `SELECT anti_phishing, lang FROM customers WHERE email_key = ? AND status = 'active'`, key).Scan(&code, &lang)
	msg, err := recipientMail(m, to, lang, code, a.unsubscribeURL(0))
	if err != nil {
		return err
	}
	msg.Subject = i18n.T(i18n.Lang(lang), "magazine.test_prefix") + msg.Subject
	msg.Event = "magazine_test"
	err = a.Store.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := mail.Enqueue(ctx, tx, msg); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, admin.AuditEntry(r, "magazine.test_sent", "magazine:"+itoa(m.ID), map[string]any{"to": to}))
		return err
	})
	if shop.KindOf(err) == shop.Invalid {
		return a.render(w, r, http.StatusUnprocessableEntity, &formPage{M: m, TestTo: to, Fields: map[string]string{"test_to": "magazine.err.email"}})
	}
	if err != nil {
		return err
	}
	return a.Shell.Section(admin.AreaMail).Done(w, r, "magazine.test_queued", "/magazine/"+itoa(m.ID))
}
