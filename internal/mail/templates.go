package mail

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"slices"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// MaxTemplateSize bounds a template source an admin may save.
const MaxTemplateSize = 64 << 10

// Templates holds the operator's edits of the mail templates
// (mail_templates) on top of the embedded defaults.
type Templates struct {
	DB *db.DB
}

// Template is one event's template in one language as the editor shows it.
type Template struct {
	Event, Lang string
	Source      string // "Subject: …\n\nbody"
	Default     string // the embedded default, for "reset"
	Overridden  bool
	Version     int // 0 while the default applies
	UpdatedBy   string
}

// DefaultFiles returns the embedded default templates by path
// (templates/order_confirmation.ja.txt), for the integrity check.
func DefaultFiles() map[string][]byte {
	out := map[string][]byte{}
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out[p], _ = fs.ReadFile(templateFS, p)
		}
		return nil
	})
	return out
}

// Events lists the events that have default templates, sorted.
func Events() []string {
	var out []string
	entries, _ := fs.ReadDir(templateFS, "templates")
	for _, e := range entries {
		event, _, ok := strings.Cut(e.Name(), ".")
		if ok && !slices.Contains(out, event) {
			out = append(out, event)
		}
	}
	slices.Sort(out)
	return out
}

// Template returns the current template for event in lang. It returns
// shop.ErrNotFound-kind errors for an event without a default template.
func (t *Templates) Template(ctx context.Context, event, lang string) (*Template, error) {
	lang = normalizeLang(lang)
	def, err := defaultSource(event, lang)
	if err != nil {
		return nil, &shop.Error{Kind: shop.NotFound, Key: "mail.template_unknown", Cause: err}
	}
	tpl := &Template{Event: event, Lang: lang, Source: def, Default: def}
	err = t.DB.QueryRow(ctx, `SELECT source, version, updated_by FROM mail_templates WHERE event = ? AND lang = ?`, event, lang).
		Scan(&tpl.Source, &tpl.Version, &tpl.UpdatedBy)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		tpl.Overridden = true
	}
	return tpl, nil
}

// Compose is the package Compose on the templates' database.
func (t *Templates) Compose(ctx context.Context, event, lang, to string, data any, opts ...ComposeOption) (*Message, error) {
	return Compose(ctx, t.DB, event, lang, to, data, opts...)
}

// Preview renders src (or, when src is empty, the current template) with
// sample data, as the mail would look. It returns an Invalid error with
// the template's parse or execution error for the editor to show.
func (t *Templates) Preview(ctx context.Context, event, lang, src string, sample any, opts ...ComposeOption) (*Message, error) {
	tpl, err := t.Template(ctx, event, lang)
	if err != nil {
		return nil, err
	}
	if src == "" {
		src = tpl.Source
	}
	m, err := composeFrom(event, tpl.Lang, "preview@example.invalid", src, sample, opts)
	if err != nil {
		var se *shop.Error
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, templateInvalid(err)
	}
	return m, nil
}

// Save stores src as the template for event in lang after proving it
// parses and renders with sample data. version is the Version the editor
// loaded (0 for the default); if someone saved since, Save returns a
// Conflict error. It returns the new version. Errors: NotFound for an
// unknown event, Invalid for a template that is too large or does not
// render (field "source"), Conflict.
func (t *Templates) Save(ctx context.Context, event, lang, src string, sample any, by string, version int) (int, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if len(src) > MaxTemplateSize {
		return 0, &shop.Error{Kind: shop.Invalid, Key: "mail.template_invalid", Args: []any{"64 KiB"}, Fields: map[string]string{"source": "mail.template_check"}}
	}
	if _, err := t.Preview(ctx, event, lang, src, sample); err != nil {
		return 0, err
	}
	lang = normalizeLang(lang)
	next := version + 1
	err := t.DB.Tx(ctx, func(tx *db.Tx) error {
		var res sql.Result
		var err error
		if version == 0 {
			res, err = tx.Exec(ctx, `INSERT INTO mail_templates (event, lang, source, version, updated_by, updated_at)
				VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (event, lang) DO NOTHING`, event, lang, src, by, tx.Now())
		} else {
			res, err = tx.Exec(ctx, `UPDATE mail_templates SET source = ?, version = ?, updated_by = ?, updated_at = ?
				WHERE event = ? AND lang = ? AND version = ?`, src, next, by, tx.Now(), event, lang, version)
		}
		n, err := db.RowsAffected(res, err)
		if err != nil {
			return err
		}
		if n == 0 {
			return &shop.Error{Kind: shop.Conflict, Key: "mail.template_changed"}
		}
		return nil
	})
	return next, err
}

// Reset deletes the override, so the default template applies again.
func (t *Templates) Reset(ctx context.Context, event, lang string) error {
	return t.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM mail_templates WHERE event = ? AND lang = ?`, event, normalizeLang(lang))
		return err
	})
}

// TestSend enqueues the "test" mail to to in lang, with the shop's name
// and the recipient's anti-phishing code when not empty, and returns the
// outbox ID. The worker delivers it like any other mail, so the outbox
// row shows whether the SMTP and DKIM settings work. Errors: Invalid for
// a bad address or code.
func (t *Templates) TestSend(ctx context.Context, to, lang, shopName, code string) (int64, error) {
	m, err := t.Compose(ctx, "test", lang, to, map[string]any{"ShopName": shopName}, WithCode(code))
	if err != nil {
		return 0, err
	}
	var id int64
	err = t.DB.Tx(ctx, func(tx *db.Tx) error {
		id, err = Enqueue(ctx, tx, m)
		return err
	})
	return id, err
}

func templateInvalid(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "template: "); i >= 0 {
		msg = msg[i:]
	}
	return &shop.Error{Kind: shop.Invalid, Key: "mail.template_invalid", Args: []any{msg},
		Fields: map[string]string{"source": "mail.template_check"}, Cause: err}
}
