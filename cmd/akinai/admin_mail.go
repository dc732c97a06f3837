package main

import (
	"context"
	"net/http"
	"time"

	"github.com/akinai/akinai/internal/admin"
	akmail "github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/phishcheck"
)

// mailAdmin wires the admin's mail area — templates, DKIM keys and
// authenticity, the phishing checker — and raises the body limit for the
// checker's .eml upload only.
func (a *shopApp) mailAdmin(h *admin.Handlers) *admin.MailPages {
	mc := a.cfg.Mail
	res := mc.Resolver
	if res == nil {
		res = phishcheck.NewNetResolver(5 * time.Second)
	}
	p := &admin.MailPages{
		H:         h,
		Templates: &akmail.Templates{DB: a.db},
		Keys:      &akmail.Keys{DB: a.db, Secret: a.cfg.Secret, Domain: mailDomain(mc.From)},
		Resolver:  res,
		Checker: func(ctx context.Context) (phishcheck.Config, error) {
			return checkerConfig(ctx, a.settings, a.cfg.BaseURL)
		},
		Sender:  a.mailSender,
		BaseURL: a.cfg.BaseURL,
	}
	if mc.SMTP.Host != "" {
		p.Senders = []string{mc.SMTP.Host}
	}
	a.bodyLimit = func(r *http.Request) int64 {
		if p.UploadPath(r) {
			return admin.UploadLimit
		}
		return 0
	}
	return p
}
