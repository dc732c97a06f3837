package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

type dkimPage struct {
	Domain  string
	Keys    []mail.PublicKey
	Pending *mail.PublicKey // the newest pending key, the next to rotate to
	Checks  []mail.RecordCheck
	// Bulk are the 2024 bulk-sender requirements (mail magazine).
	Bulk  []mail.BulkCheck
	Error string // i18n key of a refused change
}

// dkim shows the signing keys with the TXT records to publish and the
// authenticity report (DKIM per selector, SPF, DMARC), each OK, missing
// or wrong with the exact record to add. GET /{admin}/mail/dkim
func (p *MailPages) dkim(w http.ResponseWriter, r *http.Request) error {
	return p.renderDKIM(w, r, http.StatusOK, "")
}

func (p *MailPages) renderDKIM(w http.ResponseWriter, r *http.Request, status int, errKey string) error {
	ctx := r.Context()
	d := &dkimPage{Error: errKey}
	if p.Keys == nil || p.Keys.Domain == "" {
		return p.H.Page(w, r, status, "admin_mail_dkim", "admin.mail.dkim_title", d)
	}
	d.Domain = p.Keys.Domain
	keys, err := p.Keys.PublicKeys(ctx)
	if err != nil {
		return err
	}
	d.Keys = keys
	for i := range keys {
		if keys[i].Status == mail.KeyPending {
			d.Pending = &keys[i]
			break
		}
	}
	d.Checks = p.authenticity(ctx, keys)
	fromDomain := p.Keys.Domain
	if p.Sender != nil {
		if from, _, err := p.Sender(ctx); err == nil && strings.Contains(from, "@") {
			fromDomain = strings.ToLower(from[strings.LastIndex(from, "@")+1:])
		}
	}
	d.Bulk = mail.BulkSender(d.Checks, keys, p.Keys.Domain, fromDomain, p.BaseURL)
	return p.H.Page(w, r, status, "admin_mail_dkim", "admin.mail.dkim_title", d)
}

func (p *MailPages) authenticity(ctx context.Context, keys []mail.PublicKey) []mail.RecordCheck {
	var sels []mail.Selector
	for _, k := range keys {
		sels = append(sels, mail.Selector{Selector: k.Selector, TXT: k.TXT})
	}
	return mail.Authenticity(ctx, txtResolver{p.Resolver}, p.Keys.Domain, sels, p.Senders)
}

// dkimGenerate makes a new pending key (Ed25519 or RSA-2048) whose TXT
// record the page then shows. POST /{admin}/mail/dkim/generate (sudo)
func (p *MailPages) dkimGenerate(w http.ResponseWriter, r *http.Request) error {
	if p.Keys == nil || p.Keys.Domain == "" {
		return p.renderDKIM(w, r, http.StatusConflict, "admin.mail.no_domain")
	}
	alg := r.PostFormValue("algorithm")
	if alg != mail.Ed25519 && alg != mail.RSA {
		return p.renderDKIM(w, r, http.StatusUnprocessableEntity, "mail.bad_algorithm")
	}
	ctx := r.Context()
	pk, err := p.Keys.GenerateKey(ctx, alg)
	if err != nil {
		return err
	}
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := audit.Append(ctx, tx, AuditEntry(r, "dkim.generated", pk.Selector, map[string]any{"algorithm": alg}))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.mail.key_generated")
	http.Redirect(w, r, p.H.base+"/mail/dkim", http.StatusSeeOther)
	return nil
}

// dkimRotate activates the newest pending key. It refuses while that
// key's TXT record is not found in DNS as published (mail signed with it
// would fail DKIM everywhere), unless the admin ticks "override".
// POST /{admin}/mail/dkim/rotate (sudo)
func (p *MailPages) dkimRotate(w http.ResponseWriter, r *http.Request) error {
	if p.Keys == nil || p.Keys.Domain == "" {
		return p.renderDKIM(w, r, http.StatusConflict, "admin.mail.no_domain")
	}
	ctx := r.Context()
	keys, err := p.Keys.PublicKeys(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(keys, func(k mail.PublicKey) bool { return k.Status == mail.KeyPending })
	if i < 0 {
		return p.renderDKIM(w, r, http.StatusConflict, "mail.no_pending_key")
	}
	next := keys[i]
	override := r.PostFormValue("override") == "1"
	published := false
	for _, c := range p.authenticity(ctx, []mail.PublicKey{next}) {
		if c.Kind == "dkim" && c.Status == mail.RecordOK {
			published = true
		}
	}
	if !published && !override {
		p.H.audit(r, Current(r), "dkim.rotate_refused", next.Selector, nil)
		return p.renderDKIM(w, r, http.StatusConflict, "admin.mail.not_published")
	}
	pk, err := p.Keys.Rotate(ctx)
	if err != nil {
		if shop.KindOf(err) == shop.Invalid {
			return p.renderDKIM(w, r, http.StatusConflict, "mail.no_pending_key")
		}
		return err
	}
	err = p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := audit.Append(ctx, tx, AuditEntry(r, "dkim.rotated", pk.Selector, map[string]any{"published": published, "override": override && !published}))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.mail.key_rotated")
	http.Redirect(w, r, p.H.base+"/mail/dkim", http.StatusSeeOther)
	return nil
}
