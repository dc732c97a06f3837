package admin

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/phishcheck"
)

// MailPages is the admin's mail area: the mail templates, the DKIM keys
// with the authenticity report, and the phishing checker. Build it in
// cmd/akinai and call Routes after Handlers.Routes.
type MailPages struct {
	H         *Handlers
	Templates *mail.Templates
	// Keys signs the shop's mail; Keys.Domain is the signing domain (the
	// domain of the shop's sender address), empty when none is set.
	Keys *mail.Keys
	// Senders are what SPF must authorise: the SMTP relay's host name (as
	// an include) or the addresses mail leaves from.
	Senders []string
	// Resolver answers every DNS question of these pages (authenticity and
	// the checker's DKIM/SPF/DMARC); tests give fixtures.
	Resolver phishcheck.Resolver
	// Checker returns the checker's configuration from the shop's
	// settings (protected domains, admin origin).
	Checker func(ctx context.Context) (phishcheck.Config, error)
	// Sender returns the From address the shop sends with and BaseURL is
	// the shop's public URL: the bulk-sender checks (DKIM aligned with
	// From, one-click unsubscribe over HTTPS) judge them.
	Sender  func(ctx context.Context) (from, name string, err error)
	BaseURL string
}

// Routes mounts the mail area. The template and key pages belong to the
// mail area (owners and managers); key changes need sudo. The phishing
// checker is open to every role (the account area): whoever receives a
// doubtful mail — staff included — must be able to ask before clicking.
func (p *MailPages) Routes(mux *http.ServeMux) {
	h := p.H
	h.Mount(mux, "GET /mail/templates", AreaMail, Read, false, p.templates)
	h.Mount(mux, "GET /mail/templates/{event}/{lang}", AreaMail, Read, false, p.templateEdit)
	h.Mount(mux, "POST /mail/templates/{event}/{lang}", AreaMail, Write, false, p.templateSave)
	h.Mount(mux, "POST /mail/templates/{event}/{lang}/reset", AreaMail, Write, false, p.templateReset)
	h.Mount(mux, "POST /mail/templates/{event}/{lang}/test", AreaMail, Write, false, p.templateTest)
	h.Mount(mux, "GET /mail/settings", AreaMail, Read, false, p.mailSettings)
	h.Mount(mux, "POST /mail/settings", AreaMail, Write, false, p.mailSettingsSave)
	h.Mount(mux, "GET /mail/dkim", AreaMail, Read, false, p.dkim)
	h.Mount(mux, "POST /mail/dkim/generate", AreaMail, Write, true, p.dkimGenerate)
	h.Mount(mux, "POST /mail/dkim/rotate", AreaMail, Write, true, p.dkimRotate)
	h.Mount(mux, "POST /mail/protected", AreaMail, Write, false, p.protectedSave)
	h.Mount(mux, "GET /phish", AreaAccount, Read, false, p.phish)
	h.Mount(mux, "POST /phish", AreaAccount, Read, false, p.phishCheck)
	h.Mount(mux, "POST /phish/report", AreaAccount, Write, false, p.phishReport)
	h.Mount(mux, "GET /phish/reports", AreaAccount, Read, false, p.phishReports)
	h.Mount(mux, "GET /phish/services", AreaAccount, Read, false, p.phishServices)
	h.Mount(mux, "POST /phish/services", AreaMail, Write, false, p.phishSupplierAdd)
	h.Mount(mux, "POST /phish/services/{id}/delete", AreaMail, Write, false, p.phishSupplierDelete)
}

// UploadPath is the one route that takes a raw mail upload, for the body
// limit hook in cmd/akinai.
func (p *MailPages) UploadPath(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == p.H.base+"/phish" || r.URL.Path == p.H.base+"/phish/report")
}

// txtResolver adapts the checker's resolver to mail.Resolver, whose
// not-found answer is (nil, nil) rather than an error.
type txtResolver struct{ r phishcheck.Resolver }

func (t txtResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	recs, err := t.r.LookupTXT(ctx, name)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return nil, nil
	}
	return recs, err
}
