package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	akmail "github.com/akinai/akinai/internal/mail"
)

// fixtureDNS answers the shop's DNS questions from records the test
// publishes while the shop runs (a new DKIM key's TXT record).
type fixtureDNS struct {
	mu  sync.Mutex
	txt map[string][]string
}

func (f *fixtureDNS) publish(name string, recs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.txt[strings.ToLower(name)] = recs
}

func notFoundErr(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f *fixtureDNS) LookupTXT(_ context.Context, name string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.txt[strings.TrimSuffix(strings.ToLower(name), ".")]; ok {
		return v, nil
	}
	return nil, notFoundErr(name)
}
func (f *fixtureDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	return nil, notFoundErr(name)
}
func (f *fixtureDNS) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	return nil, notFoundErr(host)
}
func (f *fixtureDNS) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return nil, notFoundErr(addr)
}

// corpusMail reads one of the phishing checker's corpus messages.
func corpusMail(t *testing.T, prefix string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join("..", "..", "internal", "phishcheck", "testdata", "corpus", prefix+"_*.eml"))
	if len(m) != 1 {
		t.Fatalf("corpus %s: %v", prefix, m)
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mailShop starts a shop on PostgreSQL that sends as shop@shop.co.jp,
// with fixture DNS, and signs in its owner with the anti-phishing code
// "sakura-42" and the protected domains of the corpus.
func mailShop(t *testing.T) (owner *client, d *db.DB, dns *fixtureDNS, secret []byte, base string) {
	t.Helper()
	pg := dbtest.NewPostgresDatabase(t)
	dns = &fixtureDNS{txt: map[string][]string{"shop.co.jp": {"v=spf1 include:_spf.mailer.example -all"}}}
	dir := t.TempDir()
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg, DataDir: dir, Mail: MailConfig{From: "shop@shop.co.jp", Resolver: dns}}, nil)
	setup := setupPath(t, logs)
	owner, _ = setupOwner(t, base, setup)
	d = openAdminDB(t, pg)
	hexKey, err := os.ReadFile(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	secret, _ = hex.DecodeString(strings.TrimSpace(string(hexKey)))
	admin := owner.admin
	owner.get(admin + "/account")
	owner.post(admin+"/account/anti-phishing", url.Values{"code": {"sakura-42"}}).want(t, "anti-phishing code", 303)
	owner.get(admin+"/phish?lang=en").want(t, "checker page", 200, "protected-form", "https://www.antiphishing.jp/", "info@antiphishing.jp", "https://www.npa.go.jp/bureau/cyber/countermeasures/phishing.html")
	owner.post(admin+"/mail/protected", url.Values{"domains": {"shop.co.jp\nec-cube.net\nhttp://evil/"}, "vendor": {"security@ec-cube.net"}}).
		want(t, "bad protected domain", 422, "is not a domain name", "http://evil/")
	owner.post(admin+"/mail/protected", url.Values{"domains": {"shop.co.jp\r\nEC-CUBE.net, ec-cube.co.jp\nkessai-pay.jp"}, "vendor": {"security@ec-cube.net"}}).
		want(t, "protected domains", 303)
	owner.get(admin+"/phish").want(t, "saved list", 200, "ec-cube.co.jp\nkessai-pay.jp", "security@ec-cube.net")
	return owner, d, dns, secret, base
}

// TestAdminMail_DoneWhen is the "done when" over HTTP with a
// signed-in owner: the two phishing examples read "phishing" with
// reasons; a genuine mail signed with the shop's active key reads
// "genuine" with DKIM pass, alignment and the code; the authenticity page
// names the exact records to add; key rotation waits for DNS.
func TestAdminMail_DoneWhen(t *testing.T) {
	t.Parallel()
	owner, d, dns, secret, _ := mailShop(t)
	admin := owner.admin
	ctx := context.Background()

	// The two phishing examples.
	for _, p := range []struct{ file, reason string }{
		{"p01", "display.spoof_domain"}, {"p02", "lookalike.tld_swap"},
	} {
		owner.get(admin + "/phish?lang=ja")
		r := owner.post(admin+"/phish", url.Values{"raw": {corpusMail(t, p.file)}})
		r.want(t, p.file, 200, `data-verdict="phishing"`, `data-code="`+p.reason+`"`, "フィッシングです")
	}
	// In English, with the reasons in English and the links shown as text.
	owner.get(admin + "/phish?lang=en")
	r := owner.post(admin+"/phish", url.Values{"raw": {corpusMail(t, "p01")}})
	r.want(t, "p01 in English", 200, "Phishing: do not open its links", `<code>https://ec-cube-net.jp/admin/login</code>`)
	if strings.Contains(r.body, `href="https://ec-cube-net.jp`) {
		t.Fatal("a phishing link is clickable on the checker page")
	}

	// The authenticity page before any key: SPF lacks the shop's relay
	// (none configured, so it is fine), DMARC is missing with the exact
	// record to add.
	owner.get(admin+"/mail/dkim?lang=en").want(t, "authenticity without keys", 200,
		"No key yet", `_dmarc.shop.co.jp. IN TXT "v=DMARC1; p=quarantine; adkim=r; aspf=r"`, "check-missing")
	owner.post(admin+"/mail/dkim/generate", url.Values{"algorithm": {"dsa"}}).want(t, "bad algorithm", 422)
	owner.post(admin+"/mail/dkim/generate", url.Values{"algorithm": {"ed25519"}}).want(t, "generate key", 303)
	keys := &akmail.Keys{DB: d, Secret: secret, Domain: "shop.co.jp"}
	pks, err := keys.PublicKeys(ctx)
	if err != nil || len(pks) != 1 || pks[0].Status != akmail.KeyPending {
		t.Fatalf("keys %+v %v", pks, err)
	}
	pk := pks[0]
	page := owner.get(admin + "/mail/dkim?lang=en")
	page.want(t, "pending key", 200, pk.RecordName("shop.co.jp")+`. IN TXT "`+pk.TXT+`"`, "Waiting for DNS", "dkim-rotate")
	owner.post(admin+"/mail/dkim/rotate", nil).want(t, "rotate before DNS", 409, "is not in DNS")
	if n := auditCount(t, d, "dkim.rotate_refused", "owner@example.jp"); n != 1 {
		t.Fatalf("%d refused rotations audited", n)
	}
	dns.publish(pk.RecordName("shop.co.jp"), pk.TXT)
	owner.get(admin + "/mail/dkim")
	owner.post(admin+"/mail/dkim/rotate", nil).want(t, "rotate after DNS", 303)
	page = owner.get(admin + "/mail/dkim?lang=en")
	if !strings.Contains(page.body, `<tr class="check-ok" data-kind="dkim">`) || !strings.Contains(page.body, `<tr class="check-missing" data-kind="dmarc">`) {
		t.Fatalf("authenticity after publishing the key:\n%s", clipBody(page.body[strings.Index(page.body, `id="authenticity"`):]))
	}
	// The 2024 bulk-sender requirements (mail magazine): DKIM is aligned
	// now; one-click unsubscribe needs the shop on HTTPS.
	if !strings.Contains(page.body, `<tr class="check-ok" data-check="mail.bulk.dkim_aligned">`) ||
		!strings.Contains(page.body, `<tr class="check-missing" data-check="mail.bulk.one_click">`) || !strings.Contains(page.body, "Unsubscribe links must be HTTPS") {
		t.Fatalf("bulk-sender checks:\n%s", clipBody(page.body[strings.Index(page.body, `id="bulk-sender"`):]))
	}
	// A second key may be switched to without DNS only with the override.
	owner.post(admin+"/mail/dkim/generate", url.Values{"algorithm": {"rsa"}}).want(t, "generate RSA key", 303)
	owner.get(admin + "/mail/dkim")
	owner.post(admin+"/mail/dkim/rotate", url.Values{"override": {"1"}}).want(t, "rotate with override", 303)
	owner.post(admin+"/mail/dkim/rotate", nil).want(t, "nothing pending", 409)
	if n := auditCount(t, d, "dkim.rotated", "owner@example.jp"); n != 2 {
		t.Fatalf("%d rotations audited", n)
	}
	// Back to the Ed25519 key for the genuine mail below: generate, publish, rotate.
	owner.post(admin+"/mail/dkim/generate", url.Values{"algorithm": {"ed25519"}}).want(t, "third key", 303)
	pks, _ = keys.PublicKeys(ctx)
	dns.publish(pks[0].RecordName("shop.co.jp"), pks[0].TXT)
	owner.get(admin + "/mail/dkim")
	owner.post(admin+"/mail/dkim/rotate", nil).want(t, "rotate third", 303)

	// A genuine Akinai mail to the owner, signed with the active key.
	m, err := akmail.Compose(ctx, d, "test", "ja", "owner@example.jp", map[string]any{"ShopName": "商い茶舗"}, akmail.WithCode("sakura-42"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := akmail.Build(m, akmail.Envelope{From: "shop@shop.co.jp", FromName: "商い茶舗", MessageID: "<outbox-9.x@shop.co.jp>", Date: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := keys.ActiveSigner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := signer.Sign(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	owner.get(admin + "/phish?lang=en")
	owner.post(admin+"/phish", url.Values{"raw": {string(signed)}}).want(t, "genuine mail", 200,
		`data-verdict="genuine"`, `data-code="dkim.pass"`, `data-code="auth.aligned"`, `data-code="code.present"`, "The configured anti-phishing code is present.")
	// The same mail to an admin whose code is different is not genuine.
	tampered := strings.Replace(string(signed), "Subject:", "Subject: x", 1)
	owner.post(admin+"/phish", url.Values{"raw": {tampered}}).want(t, "altered mail", 200, `data-code="dkim.fail"`)
	// A URL.
	owner.post(admin+"/phish", url.Values{"url": {"https://shop.jp/admin/login"}}).want(t, "look-alike URL", 200, `data-verdict="phishing"`)
	owner.post(admin+"/phish", url.Values{"url": {"https://a\nb"}}).want(t, "URL across lines", 422)
	owner.post(admin+"/phish", url.Values{}).want(t, "nothing to check", 422, "Paste a mail")

	// Report p01: saved with its hash, listed, audited.
	owner.post(admin+"/phish/report", url.Values{"raw": {corpusMail(t, "p01")}}).want(t, "report", 303, "/phish/reports")
	owner.get(admin+"/phish/reports?lang=en").want(t, "reports", 200, "verdict-phishing", "support@mail-notice.example", "Council of Anti-Phishing Japan", "security@ec-cube.net")
	var verdict, sum string
	var size int
	if err := d.QueryRow(ctx, `SELECT verdict, sha256, size FROM phish_reports`).Scan(&verdict, &sum, &size); err != nil || verdict != "phishing" || len(sum) != 64 || size != len(corpusMail(t, "p01")) {
		t.Fatalf("stored case %s %s %d %v", verdict, sum, size, err)
	}
	if n := auditCount(t, d, "phish.reported", "owner@example.jp"); n != 1 {
		t.Fatalf("%d reports audited", n)
	}

	// Uploads: an .eml file is checked; 30 MB is refused clearly.
	owner.get(admin + "/phish?lang=en")
	up := owner.upload(admin+"/phish", "p02.eml", []byte(corpusMail(t, "p02")))
	up.want(t, "upload p02", 200, `data-verdict="phishing"`)
	owner.get(admin + "/phish?lang=en")
	big := owner.upload(admin+"/phish", "big.eml", bytes.Repeat([]byte("A"), 30<<20))
	big.want(t, "30 MB upload", 413, "too large")
}

// upload posts a file to the checker as a browser would.
func (c *client) upload(path, name string, data []byte) result {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile("eml", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// TestAdminMail_TemplatesAndRoles: the owner previews, saves, conflicts,
// test-sends and resets a template; a subject carrying a line break
// (header injection) is refused; the saved template is the one the shop
// composes from; a staff member is refused the template and key pages
// (403, audited) but may use the phishing checker.
func TestAdminMail_TemplatesAndRoles(t *testing.T) {
	t.Parallel()
	owner, d, _, _, base := mailShop(t)
	admin := owner.admin
	ctx := context.Background()

	owner.get(admin+"/mail/templates?lang=en").want(t, "template list", 200, "Order confirmation (customer)", admin+"/mail/templates/order_confirmation/ja")
	owner.get(admin+"/mail/templates/order_confirmation/en").want(t, "order template", 200, `id="preview-subject"`, "20250401-0001", "Sencha Hachijuhachiya")
	tpl := admin + "/mail/templates/test/ja"
	owner.get(tpl + "?lang=en")
	src := "Subject: {{.ShopName}} からのお知らせ\n\nこんにちは。\n{{.ShopName}} の書き直した本文です。\n"
	owner.post(tpl, url.Values{"source": {src}, "version": {"0"}, "action": {"preview"}}).
		want(t, "preview", 200, `<span id="preview-subject">Akinai からのお知らせ</span>`, "書き直した本文")
	for name, bad := range map[string]string{
		"line break from a value": "Subject: {{\"Sale\\nBcc: victim@example.com\"}}\n\nbody\n",
		"bare CR in the subject":  "Subject: Sale\rBcc: victim@example.com\n\nbody\n",
		"unknown field":           "Subject: {{.Password}}\n\nbody\n",
	} {
		r := owner.post(tpl, url.Values{"source": {bad}, "version": {"0"}})
		r.want(t, name, 422, `id="template-error"`)
		if !strings.Contains(r.body, "victim@example.com") && name != "unknown field" {
			t.Errorf("%s: input not kept", name)
		}
	}
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_templates`).Scan(&n)
	if n != 0 {
		t.Fatal("a refused template was saved")
	}
	owner.post(tpl, url.Values{"source": {src}, "version": {"0"}}).want(t, "save", 303)
	owner.get(tpl+"?lang=en").want(t, "saved template", 200, "Version 1, saved by owner@example.jp")
	owner.post(tpl, url.Values{"source": {src + "古い版から\n"}, "version": {"0"}}).
		want(t, "stale save", 409, "Another admin saved this template", "古い版から")
	owner.post(tpl+"/test", nil).want(t, "test send", 303)
	var subject, body string
	d.QueryRow(ctx, `SELECT subject, body_text FROM outbox WHERE event = 'test' AND to_addr = 'owner@example.jp'`).Scan(&subject, &body)
	if subject != "【テスト】Akinai からのお知らせ" || !strings.Contains(body, "sakura-42") || !strings.Contains(body, "書き直した本文") {
		t.Fatalf("test mail %q\n%s", subject, body)
	}
	// The shop's own Compose (every mail it sends) now uses the edit.
	m, err := akmail.Compose(ctx, d, "test", "ja", "x@example.jp", map[string]any{"ShopName": "商い"})
	if err != nil || m.Subject != "商い からのお知らせ" {
		t.Fatalf("Compose after the edit: %+v %v", m, err)
	}
	owner.get(tpl)
	owner.post(tpl+"/reset", nil).want(t, "reset", 303)
	if m, _ := akmail.Compose(ctx, d, "test", "ja", "x@example.jp", map[string]any{"ShopName": "商い"}); strings.Contains(m.Subject, "お知らせ") {
		t.Fatalf("reset did not restore the default: %q", m.Subject)
	}
	if auditCount(t, d, "mail.template_saved", "owner@example.jp") != 1 || auditCount(t, d, "mail.template_reset", "owner@example.jp") != 1 {
		t.Fatal("template changes not audited")
	}

	// A staff member.
	staffPW := "yokohama-harbour-kite-42"
	owner.get(admin + "/admins")
	owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)
	staff := newClient(t, base)
	staff.admin = admin
	staff.get(admin + "/login?lang=en")
	staff.post(admin+"/login", url.Values{"email": {"staff@example.jp"}, "password": {staffPW}}).want(t, "staff password", 303, "/enrol")
	enrolTOTP(t, staff, 0)
	staff.get(admin+"/mail/templates").want(t, "staff templates", 403)
	staff.get(admin+"/mail/templates/test/ja").want(t, "staff template", 403)
	staff.get(admin+"/mail/dkim").want(t, "staff keys", 403)
	staff.post(admin+"/mail/dkim/generate", url.Values{"algorithm": {"ed25519"}}).want(t, "staff generate", 403)
	staff.post(admin+"/mail/protected", url.Values{"domains": {"evil.example"}}).want(t, "staff protected list", 403)
	if n := auditCount(t, d, "permission.denied", "staff@example.jp"); n != 5 {
		t.Fatalf("%d refusals audited, want 5", n)
	}
	r := staff.get(admin + "/phish?lang=en")
	r.want(t, "staff checker", 200, "phish-form")
	if strings.Contains(r.body, "protected-form") || strings.Contains(r.body, admin+"/mail/templates") {
		t.Fatal("staff sees the mail area")
	}
	staff.post(admin+"/phish", url.Values{"raw": {corpusMail(t, "p02")}}).want(t, "staff checks p02", 200, `data-verdict="phishing"`)
	staff.post(admin+"/phish/report", url.Values{"raw": {corpusMail(t, "p02")}}).want(t, "staff reports", 303)
	owner.post(admin+"/phish/report", url.Values{"url": {"https://shop.jp/login"}}).want(t, "owner reports a URL", 303)
	staffList := staff.get(admin + "/phish/reports?lang=en").body
	if strings.Count(staffList, `<tr class="verdict-`) != 1 {
		t.Fatalf("staff sees others' reports:\n%s", clipBody(staffList))
	}
	if ownerList := owner.get(admin + "/phish/reports").body; strings.Count(ownerList, `<tr class="verdict-`) != 2 {
		t.Fatalf("owner does not see every report")
	}
}
