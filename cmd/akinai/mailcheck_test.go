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

	"github.com/akinai/akinai/internal/phishcheck"
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
