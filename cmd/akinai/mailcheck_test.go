package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail/dkim"
	"github.com/akinai/akinai/internal/phishcheck"
	"github.com/akinai/akinai/internal/settings"
)

const corpusDir = "../../internal/phishcheck/testdata/corpus"

func TestRunMailcheck(t *testing.T) {
	phish := filepath.Join(corpusDir, "p02_notice_b_corrupted_files_shop_jp.eml")
	raw, err := os.ReadFile(phish)
	if err != nil {
		t.Fatal(err)
	}
	shop := func(context.Context) (phishcheck.Config, error) {
		return phishcheck.Config{Protected: []string{"shop.co.jp"}, Resolver: phishcheck.StaticResolver{}}, nil
	}
	broken := func(context.Context) (phishcheck.Config, error) {
		return phishcheck.Config{}, errors.New("no database")
	}
	tests := []struct {
		name      string
		args      []string
		stdin     []byte
		defaults  func(context.Context) (phishcheck.Config, error)
		code      int
		firstLine string
		contains  []string
	}{
		{name: "file, offline", args: []string{"--offline", "--protect", "shop.co.jp", phish}, code: 0, firstLine: "phishing",
			contains: []string{"lookalike.tld_swap", "未確認\tdkim.offline"}},
		{name: "english", args: []string{"--offline", "--lang", "en", "--protect", "shop.co.jp", phish}, code: 0, firstLine: "phishing",
			contains: []string{"not-checked\tdkim.offline", "fake domain"}},
		{name: "stdin", args: []string{"--offline", "--protect", "shop.co.jp", "-"}, stdin: raw, code: 0, firstLine: "phishing"},
		{name: "shop defaults with their resolver", args: []string{phish}, defaults: shop, code: 0, firstLine: "phishing",
			contains: []string{"dkim.none"}},
		{name: "url genuine", args: []string{"--protect", "shop.co.jp", "--url", "https://shop.co.jp/"}, code: 0, firstLine: "genuine"},
		{name: "url look-alike", args: []string{"--protect", "shop.co.jp", "--url", "https://shop.jp/admin"}, code: 0, firstLine: "phishing"},
		{name: "garbage is a verdict", args: []string{"--offline", "--protect", "shop.co.jp", "-"}, stdin: []byte("\x00\xff"), code: 0, firstLine: "suspicious"},
		{name: "no file", args: []string{"--protect", "shop.co.jp"}, code: 2},
		{name: "file and url", args: []string{"--protect", "x.jp", "--url", "https://x.jp", phish}, code: 2},
		{name: "two files", args: []string{"--protect", "x.jp", phish, phish}, code: 2},
		{name: "bad lang", args: []string{"--lang", "fr", "--protect", "x.jp", phish}, code: 2},
		{name: "unknown flag", args: []string{"--bogus", phish}, code: 2},
		{name: "no protected domains", args: []string{phish}, code: 2},
		{name: "missing file", args: []string{"--protect", "x.jp", "/nonexistent/mail.eml"}, code: 1},
		{name: "shop defaults fail", args: []string{phish}, defaults: broken, code: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			var shop *mailcheckShop
			if tt.defaults != nil {
				shop = &mailcheckShop{config: tt.defaults}
			}
			code := runMailcheck(context.Background(), tt.args, bytes.NewReader(tt.stdin), &stdout, &stderr, shop)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:%s\nstderr:%s", code, tt.code, stdout.String(), stderr.String())
			}
			if tt.code != 0 {
				if stderr.Len() == 0 {
					t.Error("no message on stderr")
				}
				return
			}
			first, _, _ := strings.Cut(stdout.String(), "\n")
			if first != tt.firstLine {
				t.Errorf("first line %q, want %q\n%s", first, tt.firstLine, stdout.String())
			}
			for _, s := range tt.contains {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, stdout.String())
				}
			}
		})
	}
}

func TestRunMailcheck_JSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--json", "--offline", "--lang", "en", "--protect", "shop.co.jp,ec-cube.net",
		filepath.Join(corpusDir, "p01_notice_a_display_domain_password_expiry.eml")}
	if code := runMailcheck(context.Background(), args, nil, &stdout, &stderr, nil); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got struct {
		Verdict    string `json:"verdict"`
		Reasons    []struct{ Code, Message string }
		NotChecked []struct{ Code string } `json:"not_checked"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	if got.Verdict != "phishing" || len(got.Reasons) == 0 || len(got.NotChecked) == 0 {
		t.Errorf("report = %+v", got)
	}
	found := false
	for _, r := range got.Reasons {
		found = found || r.Code == "display.spoof_domain"
	}
	if !found {
		t.Errorf("no display.spoof_domain in %+v", got.Reasons)
	}
}

// signedCorpusMail signs a mail of the class corpus with the test key of
// its domain, as the sender's server would, and writes it to a file.
func signedCorpusMail(t *testing.T, name, domain, selector, key string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir, "classes", name))
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(filepath.Join(corpusDir, "..", "keys", key+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := dkim.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := dkim.Sign(raw, domain, selector, k)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, signed, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunMailcheck_DNSFile: a DKIM-signed genuine mail checked offline with
// --dns is genuine; without it, it cannot be vouched for; a broken zone
// file is refused with its line.
func TestRunMailcheck_DNSFile(t *testing.T) {
	t.Parallel()
	zone := filepath.Join(corpusDir, "..", "dns.zone")
	order := signedCorpusMail(t, "gc_shop_注文_jis.eml", "shop.co.jp", "ak1", "shop-ak1")
	receipt := signedCorpusMail(t, "gc_stripe_receipt_u8qp.eml", "stripe.com", "s1", "stripe-s1")
	broken := filepath.Join(t.TempDir(), "broken.zone")
	if err := os.WriteFile(broken, []byte("ok.example. TXT \"fine\"\nbad.example. TXT \"never closed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		code  int
		first string
		has   []string
	}{
		{"shop order, --dns", []string{"--dns", zone, "--protect", "shop.co.jp", order}, 0, "genuine", []string{"dkim.pass", "dmarc.pass"}},
		{"stripe receipt, --dns", []string{"--dns", zone, "--lang", "en", "--protect", "shop.co.jp", receipt}, 0, "genuine", []string{"DMARC pass"}},
		{"shop order, offline", []string{"--offline", "--protect", "shop.co.jp", order}, 0, "suspicious", []string{"dkim.offline"}},
		{"altered after signing", []string{"--dns", zone, "--protect", "shop.co.jp", "-"}, 0, "phishing", []string{"dkim.fail"}},
		{"broken zone", []string{"--dns", broken, "--protect", "shop.co.jp", order}, 1, "", []string{"line 2"}},
		{"missing zone", []string{"--dns", "/nonexistent/zone", "--protect", "shop.co.jp", order}, 1, "", nil},
	}
	tampered, err := os.ReadFile(order)
	if err != nil {
		t.Fatal(err)
	}
	tampered = bytes.Replace(tampered, []byte("https://shop.co.jp/mypage/history/"), []byte("https://shop-co.jp/mypage/history/"), 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runMailcheck(context.Background(), tt.args, bytes.NewReader(tampered), &stdout, &stderr, nil)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout.String(), stderr.String())
			}
			out := stdout.String() + stderr.String()
			if first, _, _ := strings.Cut(stdout.String(), "\n"); first != tt.first {
				t.Errorf("first line %q, want %q\n%s", first, tt.first, out)
			}
			for _, s := range tt.has {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestRunMailcheck_Suppliers: --supplier makes a look-alike of the
// supplier's domain a fraud for one check; --add-supplier stores it in
// the shop's database (audited) for every later check.
func TestRunMailcheck_Suppliers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "akinai.db")
	d, err := db.Open(ctx, db.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	st := settings.New(d)
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		return st.Set(ctx, tx, map[string]string{settings.ShopURL: "https://shop.co.jp"})
	}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	shop := shopMailcheck(func(ctx context.Context) (*db.DB, error) { return db.Open(ctx, db.Config{Path: path}) })

	bec := filepath.Join(corpusDir, "classes", "pc_bec_bank_correspondent.eml")
	run := func(sh *mailcheckShop, args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := runMailcheck(ctx, args, nil, &stdout, &stderr, sh)
		return code, stdout.String() + stderr.String()
	}
	if _, out := run(nil, "--offline", "--protect", "shop.co.jp", bec); strings.Contains(out, "bec.lookalike_correspondent") || !strings.Contains(out, "bec.bank_change") {
		t.Fatalf("without the supplier:\n%s", out)
	}
	if _, out := run(nil, "--offline", "--protect", "shop.co.jp", "--supplier", "神戸紅茶=kobe-tea.co.jp", bec); !strings.HasPrefix(out, "phishing\n") || !strings.Contains(out, "bec.lookalike_correspondent") {
		t.Fatalf("with --supplier:\n%s", out)
	}
	if code, out := run(nil, "--supplier", "no-domains", bec); code != 2 {
		t.Fatalf("bad --supplier: exit %d\n%s", code, out)
	}
	if code, out := run(nil, "--add-supplier", "神戸紅茶=kobe-tea.co.jp"); code != 2 || !strings.Contains(out, "database") {
		t.Fatalf("--add-supplier without a shop: exit %d\n%s", code, out)
	}
	if code, out := run(shop, "--add-supplier", "神戸紅茶=kobe-tea.co.jp"); code != 0 || !strings.Contains(out, "added supplier 神戸紅茶") {
		t.Fatalf("--add-supplier: exit %d\n%s", code, out)
	}
	if code, out := run(shop, "--add-supplier", "神戸紅茶=kobe-tea.co.jp"); code != 1 || !strings.Contains(out, "already") {
		t.Fatalf("--add-supplier twice: exit %d\n%s", code, out)
	}
	if _, out := run(shop, "--offline", bec); !strings.HasPrefix(out, "phishing\n") || !strings.Contains(out, "bec.lookalike_correspondent") {
		t.Fatalf("stored supplier not used:\n%s", out)
	}
	if _, out := run(shop, "--offline", "--protect", "shop.co.jp", bec); !strings.HasPrefix(out, "phishing\n") || !strings.Contains(out, "bec.lookalike_correspondent") {
		t.Fatalf("stored supplier not used with --protect:\n%s", out)
	}
	d, err = db.Open(ctx, db.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var actor string
	if err := d.QueryRow(ctx, `SELECT actor FROM audit_log WHERE action = 'phish.supplier_added'`).Scan(&actor); err != nil || actor != "cli" {
		t.Fatalf("audit actor %q, %v", actor, err)
	}
}
