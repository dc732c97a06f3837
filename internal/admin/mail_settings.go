package admin

import (
	"net/http"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
)

// maxFooter bounds the footer text added to customer mails.
const maxFooter = 1000

type mailSettingsPage struct {
	From     string // the sender address mail goes out with
	Domain   string // DKIM signing domain
	BCC      string
	FooterJA string
	FooterEN string
	Fields   map[string]string
	CanEdit  bool
}

// mailSettings shows the sender, the shop's copy of order mails and the
// footer of customer mails (メール設定). GET /{admin}/mail/settings
func (p *MailPages) mailSettings(w http.ResponseWriter, r *http.Request) error {
	all, err := p.H.Settings.All(r.Context())
	if err != nil {
		return err
	}
	return p.renderMailSettings(w, r, http.StatusOK, &mailSettingsPage{
		BCC: all[settings.MailBCC], FooterJA: all[settings.MailFooterJA], FooterEN: all[settings.MailFooterEN]})
}

func (p *MailPages) renderMailSettings(w http.ResponseWriter, r *http.Request, status int, d *mailSettingsPage) error {
	all, err := p.H.Settings.All(r.Context())
	if err != nil {
		return err
	}
	d.From = all[settings.ShopEmail]
	if p.Keys != nil {
		d.Domain = p.Keys.Domain
	}
	d.CanEdit = Current(r).Can(AreaMail, Write)
	return p.H.page(w, r, status, "admin_mail_settings", "mailsettings.title", d)
}

// mailSettingsSave validates and stores the BCC address and the footers;
// a bad field stores nothing. POST /{admin}/mail/settings
func (p *MailPages) mailSettingsSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := &mailSettingsPage{
		BCC:      strings.TrimSpace(r.PostFormValue("bcc")),
		FooterJA: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("footer_ja"), "\r\n", "\n")),
		FooterEN: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("footer_en"), "\r\n", "\n")),
		Fields:   map[string]string{},
	}
	if d.BCC != "" {
		a, err := mail.ParseAddress(d.BCC)
		if err != nil || a.Name != "" || a.Address != d.BCC || !asciiOnly(d.BCC) {
			d.Fields["bcc"] = "mailsettings.error.bcc"
		}
	}
	for f, v := range map[string]string{"footer_ja": d.FooterJA, "footer_en": d.FooterEN} {
		if utf8.RuneCountInString(v) > maxFooter {
			d.Fields[f] = "mailsettings.error.footer"
		}
	}
	if len(d.Fields) > 0 {
		return p.renderMailSettings(w, r, http.StatusUnprocessableEntity, d)
	}
	old, err := p.H.Settings.All(ctx)
	if err != nil {
		return err
	}
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := p.H.Settings.Set(ctx, tx, map[string]string{settings.MailBCC: d.BCC, settings.MailFooterJA: d.FooterJA, settings.MailFooterEN: d.FooterEN}); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, AuditEntry(r, "mail.settings", "", map[string]any{
			"bcc_before": old[settings.MailBCC], "bcc": d.BCC,
			"footer_changed": old[settings.MailFooterJA] != d.FooterJA || old[settings.MailFooterEN] != d.FooterEN}))
		return err
	})
	if err != nil {
		return err
	}
	return p.H.flashBack(w, r, "mailsettings.saved", "/mail/settings")
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
