package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

type templateRow struct {
	Event string
	Langs []*mail.Template
}

// templates lists every event in both languages, marking the edited
// ones. GET /{admin}/mail/templates
func (p *MailPages) templates(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var rows []templateRow
	for _, ev := range mail.Events() {
		row := templateRow{Event: ev}
		for _, l := range []string{"ja", "en"} {
			t, err := p.Templates.Template(ctx, ev, l)
			if err != nil {
				return err
			}
			row.Langs = append(row.Langs, t)
		}
		rows = append(rows, row)
	}
	return p.H.Page(w, r, http.StatusOK, "admin_mail_templates", "admin.mail.templates_title", rows)
}

type templateEditPage struct {
	Tpl     *mail.Template
	Source  string // as typed
	Version int
	Preview *mail.Message
	Error   string // translated: why the template was refused
}

// templateEdit shows one template with its preview from sample data.
// GET /{admin}/mail/templates/{event}/{lang}
func (p *MailPages) templateEdit(w http.ResponseWriter, r *http.Request) error {
	tpl, err := p.loadTemplate(r)
	if err != nil {
		return err
	}
	d := &templateEditPage{Tpl: tpl, Source: tpl.Source, Version: tpl.Version}
	d.Preview, err = p.preview(r, tpl, tpl.Source)
	if err != nil {
		d.Error = errorText(r, err)
	}
	return p.H.Page(w, r, http.StatusOK, "admin_mail_template", "admin.mail.template_title", d)
}

func (p *MailPages) loadTemplate(r *http.Request) (*mail.Template, error) {
	lang := r.PathValue("lang")
	if _, ok := i18n.Parse(lang); !ok || (lang != "ja" && lang != "en") {
		return nil, shop.ErrNotFound
	}
	return p.Templates.Template(r.Context(), r.PathValue("event"), lang)
}

func (p *MailPages) sample(r *http.Request, tpl *mail.Template) any {
	sh, _ := p.H.Settings.Shop(r.Context())
	l, _ := i18n.Parse(tpl.Lang)
	return sampleData(tpl.Event, tpl.Lang, sh.DisplayName(l), Current(r).AntiPhishing)
}

func (p *MailPages) preview(r *http.Request, tpl *mail.Template, src string) (*mail.Message, error) {
	return p.Templates.Preview(r.Context(), tpl.Event, tpl.Lang, src, p.sample(r, tpl))
}

// errorText is a refused template's reason in the admin's language.
func errorText(r *http.Request, err error) string {
	var se *shop.Error
	if errors.As(err, &se) && se.Key != "" {
		return web.T(r, se.Key, se.Args...)
	}
	return web.T(r, "error.invalid")
}

// templateSave previews (action=preview) or saves the edited source. A
// template that does not render with the sample data — a missing field, a
// subject spanning lines (header injection) — is refused with the reason
// (422); a save over someone else's newer save is refused (409) with the
// input kept. POST /{admin}/mail/templates/{event}/{lang}
func (p *MailPages) templateSave(w http.ResponseWriter, r *http.Request) error {
	tpl, err := p.loadTemplate(r)
	if err != nil {
		return err
	}
	src := r.PostFormValue("source")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	d := &templateEditPage{Tpl: tpl, Source: src, Version: version}
	if len(src) > mail.MaxTemplateSize {
		d.Error = web.T(r, "mail.template_invalid", "64 KiB")
		return p.H.Page(w, r, http.StatusUnprocessableEntity, "admin_mail_template", "admin.mail.template_title", d)
	}
	d.Preview, err = p.preview(r, tpl, src)
	if err != nil {
		d.Error = errorText(r, err)
		return p.H.Page(w, r, http.StatusUnprocessableEntity, "admin_mail_template", "admin.mail.template_title", d)
	}
	if r.PostFormValue("action") == "preview" {
		return p.H.Page(w, r, http.StatusOK, "admin_mail_template", "admin.mail.template_title", d)
	}
	ctx := r.Context()
	a := Current(r)
	next, err := p.Templates.Save(ctx, tpl.Event, tpl.Lang, src, p.sample(r, tpl), a.Email, version)
	switch shop.KindOf(err) {
	case shop.Conflict:
		d.Error = web.T(r, "admin.mail.template_conflict")
		return p.H.Page(w, r, http.StatusConflict, "admin_mail_template", "admin.mail.template_title", d)
	case shop.Invalid:
		d.Error = errorText(r, err)
		return p.H.Page(w, r, http.StatusUnprocessableEntity, "admin_mail_template", "admin.mail.template_title", d)
	}
	if err != nil {
		return err
	}
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := audit.Append(ctx, tx, AuditEntry(r, "mail.template_saved", tpl.Event+"."+tpl.Lang, map[string]any{"version": next}))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.saved")
	http.Redirect(w, r, p.H.base+"/mail/templates/"+tpl.Event+"/"+tpl.Lang, http.StatusSeeOther)
	return nil
}

// templateReset removes the edit: the default applies again.
// POST /{admin}/mail/templates/{event}/{lang}/reset
func (p *MailPages) templateReset(w http.ResponseWriter, r *http.Request) error {
	tpl, err := p.loadTemplate(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := p.Templates.Reset(ctx, tpl.Event, tpl.Lang); err != nil {
		return err
	}
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := audit.Append(ctx, tx, AuditEntry(r, "mail.template_reset", tpl.Event+"."+tpl.Lang, nil))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.mail.template_reset_done")
	http.Redirect(w, r, p.H.base+"/mail/templates/"+tpl.Event+"/"+tpl.Lang, http.StatusSeeOther)
	return nil
}

// templateTest sends the saved template, filled with the sample data and
// the admin's anti-phishing code, to the signed-in admin's own address
// through the outbox (so it is signed and delivered like any mail).
// POST /{admin}/mail/templates/{event}/{lang}/test
func (p *MailPages) templateTest(w http.ResponseWriter, r *http.Request) error {
	tpl, err := p.loadTemplate(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a := Current(r)
	var opts []mail.ComposeOption
	if a.AntiPhishing != "" {
		opts = append(opts, mail.WithCode(a.AntiPhishing))
	}
	m, err := p.Templates.Compose(ctx, tpl.Event, tpl.Lang, a.Email, p.sample(r, tpl), opts...)
	if err != nil {
		return err
	}
	l, _ := i18n.Parse(tpl.Lang)
	m.Subject = i18n.T(l, "admin.mail.test_prefix") + m.Subject
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := mail.Enqueue(ctx, tx, m); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "mail.template_test", tpl.Event+"."+tpl.Lang, nil))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.mail.test_sent")
	http.Redirect(w, r, p.H.base+"/mail/templates/"+tpl.Event+"/"+tpl.Lang, http.StatusSeeOther)
	return nil
}
