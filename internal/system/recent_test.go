package system

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestRecent_KeepsLastWarningsNewestFirst(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	h := NewRecent(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo}), 3)
	log := slog.New(h)
	log.Info("just info")
	log.Debug("debug")
	for i := range 5 {
		log.Warn(fmt.Sprintf("warn %d", i))
	}
	log.Error("boom")
	got := h.Records()
	if len(got) != 3 {
		t.Fatalf("%d records kept, want 3", len(got))
	}
	for i, want := range []string{"boom", "warn 4", "warn 3"} {
		if got[i].Message != want {
			t.Errorf("record %d = %q, want %q", i, got[i].Message, want)
		}
	}
	if got[0].Level != slog.LevelError {
		t.Errorf("level %v", got[0].Level)
	}
	// Every record still reaches the next handler; debug is filtered there.
	if !strings.Contains(out.String(), "just info") || strings.Contains(out.String(), "debug") || strings.Count(out.String(), "warn ") != 5 {
		t.Errorf("next handler got:\n%s", out.String())
	}
}

func TestRecent_PartialBuffer(t *testing.T) {
	t.Parallel()
	h := NewRecent(slog.DiscardHandler, 500)
	if len(h.Records()) != 0 {
		t.Fatal("empty buffer has records")
	}
	slog.New(h).Warn("one")
	if r := h.Records(); len(r) != 1 || r[0].Message != "one" {
		t.Fatalf("records %+v", r)
	}
	if h.Capacity() != 500 {
		t.Errorf("capacity %d", h.Capacity())
	}
}

func TestRecent_Redacts(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	h := NewRecent(slog.NewTextHandler(&out, nil), 10)
	log := slog.New(h).With("customer_email", "taro@example.jp", "request_id", "r-1")
	log.WithGroup("smtp").Warn("mail failed for hanako@example.com",
		"err", "550 rejected <jiro@example.org>", "Password", "hunter2", "setup_url", "http://x/setup/abc",
		"phone", "0312345678", "api_key", "k", "SessionCookie", "c", "ship_name", "山田", "order", 42,
		slog.Group("addr", "pref", 13), slog.Group("job", "id", 7),
		"path", "/admin-5ns3366dpo/setup/kOnkTfMm7ij5KUwSzqHGu7zGQ0MmRO1ZQUI-_3HL384", "slug", "/products/organic-green-tea-2024-gift",
		"hex", "reset/0123456789abcdef0123456789abcdef")
	r := h.Records()[0]
	got := map[string]string{}
	for _, a := range r.Attrs {
		got[a.Key] = a.Value
	}
	want := map[string]string{
		"customer_email": Redacted, "request_id": "r-1", "smtp.err": "550 rejected <" + Redacted + ">",
		"smtp.Password": Redacted, "smtp.setup_url": Redacted, "smtp.phone": Redacted, "smtp.api_key": Redacted,
		"smtp.SessionCookie": Redacted, "smtp.ship_name": Redacted, "smtp.order": "42", "smtp.addr": Redacted, "smtp.job.id": "7",
		"smtp.path": "/admin-5ns3366dpo/setup/" + Redacted, "smtp.slug": "/products/organic-green-tea-2024-gift", "smtp.hex": "reset/" + Redacted,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("attrs %v", got)
	}
	if r.Message != "mail failed for "+Redacted {
		t.Errorf("message %q", r.Message)
	}
	for _, secret := range []string{"taro@", "hanako@", "jiro@", "hunter2", "0312345678", "山田"} {
		for _, a := range r.Attrs {
			if strings.Contains(a.Value, secret) {
				t.Errorf("%s kept in %s", secret, a.Key)
			}
		}
	}
	// The real log output is not changed by the viewer's redaction.
	if !strings.Contains(out.String(), "hunter2") {
		t.Error("the next handler lost the original attributes")
	}
}

func TestSensitive(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"email", "Email", "family_name", "phone", "address", "token", "password", "secret", "api_key", "cookie", "setup_url"} {
		if !Sensitive(k) {
			t.Errorf("%s not sensitive", k)
		}
	}
	for _, k := range []string{"err", "order", "status", "request_id", "worker", "count"} {
		if Sensitive(k) {
			t.Errorf("%s sensitive", k)
		}
	}
}
