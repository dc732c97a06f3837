package admin

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/phishcheck"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

// MaxUpload is the largest .eml the checker page accepts, the checker's
// own reading limit. The route's body limit is a little larger, for the
// form around it (UploadLimit).
const MaxUpload = phishcheck.MaxMessageSize

// UploadLimit is the request body limit of the checker's routes.
const UploadLimit = MaxUpload + 1<<20

// maxURL bounds a pasted URL.
const maxURL = 8 << 10

type phishPage struct {
	Raw       string // the pasted mail, kept for "report"
	URL       string
	Report    *phishcheck.Report
	Kind      string // "mail" or "url" when Report is set
	Fields    map[string]string
	Protected string // the editable list, for mail-area writers
	CanEdit   bool
	Reporting reportInfo
	BadDomain string
}

// phish shows the checker. GET /{admin}/phish
func (p *MailPages) phish(w http.ResponseWriter, r *http.Request) error {
	return p.renderPhish(w, r, http.StatusOK, &phishPage{})
}

func (p *MailPages) renderPhish(w http.ResponseWriter, r *http.Request, status int, d *phishPage) error {
	a := Current(r)
	d.CanEdit = a.Can(AreaMail, Write)
	if d.CanEdit {
		v, err := p.H.Settings.Get(r.Context(), settings.ProtectDomains)
		if err != nil {
			return err
		}
		d.Protected = strings.ReplaceAll(v, ",", "\n")
	}
	info, err := p.reportInfo(r.Context())
	if err != nil {
		return err
	}
	d.Reporting = info
	return p.H.Page(w, r, status, "admin_phish", "admin.phish.title", d)
}

// input is what the checker was given: a raw mail (pasted or uploaded)
// or a URL.
type input struct {
	kind string // "mail" or "url"
	raw  []byte
	url  string
}

// readInput parses the checker's form. The upload wins over the paste,
// the paste over the URL. Field errors: "mail" (nothing given, file over
// MaxUpload), "url" (too long or not one line).
func readInput(r *http.Request) (input, map[string]string, int) {
	if f, hdr, err := r.FormFile("eml"); err == nil {
		defer f.Close()
		if hdr.Size > MaxUpload {
			return input{}, map[string]string{"eml": "admin.phish.too_large"}, http.StatusRequestEntityTooLarge
		}
		raw, err := io.ReadAll(io.LimitReader(f, MaxUpload+1))
		if err != nil || len(raw) > MaxUpload {
			return input{}, map[string]string{"eml": "admin.phish.too_large"}, http.StatusRequestEntityTooLarge
		}
		if len(raw) > 0 {
			return input{kind: "mail", raw: raw}, nil, 0
		}
	}
	if raw := r.PostFormValue("raw"); strings.TrimSpace(raw) != "" {
		return input{kind: "mail", raw: []byte(raw)}, nil, 0
	}
	u := strings.TrimSpace(r.PostFormValue("url"))
	switch {
	case u == "":
		return input{}, map[string]string{"raw": "admin.phish.nothing"}, http.StatusUnprocessableEntity
	case len(u) > maxURL || strings.ContainsAny(u, "\r\n"):
		return input{}, map[string]string{"url": "admin.phish.bad_url"}, http.StatusUnprocessableEntity
	}
	return input{kind: "url", url: u}, nil, 0
}

// check runs the engine with the shop's protected domains and the
// signed-in admin's anti-phishing code, in the admin's language.
func (p *MailPages) check(ctx context.Context, r *http.Request, in input) (phishcheck.Report, error) {
	cfg, err := p.checkerConfig(ctx, r)
	if err != nil {
		return phishcheck.Report{}, err
	}
	if in.kind == "url" {
		return phishcheck.CheckURL(ctx, cfg, in.url), nil
	}
	return phishcheck.CheckMessage(ctx, cfg, in.raw), nil
}

func (p *MailPages) checkerConfig(ctx context.Context, r *http.Request) (phishcheck.Config, error) {
	cfg, err := p.Checker(ctx)
	if err != nil {
		return cfg, err
	}
	if p.Keys != nil && p.Keys.Domain != "" {
		cfg.SendingDomains = append(cfg.SendingDomains, p.Keys.Domain)
		cfg.Protected = append(cfg.Protected, p.Keys.Domain)
	}
	cfg.Brands = append(cfg.Brands, "Akinai", "EC-CUBE")
	if sh, err := p.H.Settings.Shop(ctx); err == nil && utf8.RuneCountInString(sh.Name) >= 3 {
		cfg.Brands = append(cfg.Brands, sh.Name)
	}
	suppliers, err := SupplierServices(ctx, p.H.DB)
	if err != nil {
		return cfg, err
	}
	cfg.Services = append(cfg.Services, suppliers...)
	cfg.AntiPhishingCode = Current(r).AntiPhishing
	cfg.Resolver = p.Resolver
	cfg.Lang = string(web.Lang(r))
	return cfg, nil
}

// phishCheck judges a pasted or uploaded mail, or a URL, and shows the
// verdict with every reason. POST /{admin}/phish
func (p *MailPages) phishCheck(w http.ResponseWriter, r *http.Request) error {
	in, fields, status := readInput(r)
	d := &phishPage{Raw: r.PostFormValue("raw"), URL: r.PostFormValue("url"), Fields: fields}
	if fields != nil {
		return p.renderPhish(w, r, status, d)
	}
	rep, err := p.check(r.Context(), r, in)
	if err != nil {
		return err
	}
	d.Report, d.Kind = &rep, in.kind
	if in.kind == "mail" {
		// Keep the mail in the form so "report" can send it again; an
		// upload that is not text is reported from the file again.
		d.Raw = ""
		if utf8.Valid(in.raw) && len(in.raw) <= maxStored {
			d.Raw = string(in.raw)
		}
	}
	return p.renderPhish(w, r, http.StatusOK, d)
}

// protectedSave stores the editable list of protected domains (one per
// line or comma-separated). POST /{admin}/mail/protected
func (p *MailPages) protectedSave(w http.ResponseWriter, r *http.Request) error {
	list, bad := parseDomains(r.PostFormValue("domains"))
	vendor := strings.TrimSpace(r.PostFormValue("vendor"))
	if bad != "" {
		return p.renderPhishBadList(w, r, map[string]string{"domains": "admin.phish.bad_domain"}, bad)
	}
	if utf8.RuneCountInString(vendor) > 200 || strings.ContainsAny(vendor, "\r\n<>\"") {
		return p.renderPhishBadList(w, r, map[string]string{"vendor": "admin.phish.bad_vendor"}, "")
	}
	ctx := r.Context()
	err := p.H.DB.Tx(ctx, func(tx *db.Tx) error {
		err := p.H.Settings.Set(ctx, tx, map[string]string{settings.ProtectDomains: strings.Join(list, ","), settings.VendorContact: vendor})
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, AuditEntry(r, "mail.protected_domains", "", map[string]any{"domains": list, "vendor": vendor}))
		return err
	})
	if err != nil {
		return err
	}
	p.H.Settings.Invalidate()
	web.SetFlash(w, r, "admin.saved")
	http.Redirect(w, r, p.H.base+"/phish", http.StatusSeeOther)
	return nil
}

// renderPhishBadList shows the checker with the list as typed and the
// field's error, nothing saved.
func (p *MailPages) renderPhishBadList(w http.ResponseWriter, r *http.Request, fields map[string]string, bad string) error {
	info, err := p.reportInfo(r.Context())
	if err != nil {
		return err
	}
	info.Vendor = r.PostFormValue("vendor")
	d := &phishPage{Fields: fields, CanEdit: true, Protected: r.PostFormValue("domains"), Reporting: info, BadDomain: bad}
	return p.H.Page(w, r, http.StatusUnprocessableEntity, "admin_phish", "admin.phish.title", d)
}

// parseDomains splits a list of domains; bad is the first entry that is
// not a host name.
func parseDomains(s string) (list []string, bad string) {
	s = strings.NewReplacer("\r", "\n", ",", "\n", " ", "\n").Replace(s)
	for d := range strings.SplitSeq(s, "\n") {
		d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if d == "" {
			continue
		}
		if !validHost(d) {
			return nil, d
		}
		if !slices.Contains(list, d) {
			list = append(list, d)
		}
	}
	if len(list) > 100 {
		return nil, list[100]
	}
	return list, ""
}

func validHost(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, c := range label {
			if !(c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80) {
				return false
			}
		}
	}
	return true
}
