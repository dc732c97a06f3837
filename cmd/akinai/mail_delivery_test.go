package main

import (
	"context"
	"encoding/hex"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/akinai/akinai/internal/db"
	akmail "github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/mail/dkim"
)

// recorder is a minimal SMTP server that keeps what it receives.
type recorder struct {
	mu  sync.Mutex
	got [][]byte
}

func (r *recorder) NewSession(*smtp.Conn) (smtp.Session, error) { return r, nil }
func (r *recorder) Mail(string, *smtp.MailOptions) error        { return nil }
func (r *recorder) Rcpt(string, *smtp.RcptOptions) error        { return nil }
func (r *recorder) Reset()                                      {}
func (r *recorder) Logout() error                               { return nil }
func (r *recorder) Data(rd io.Reader) error {
	b, err := io.ReadAll(rd)
	r.mu.Lock()
	r.got = append(r.got, b)
	r.mu.Unlock()
	return err
}

// startSMTP runs a real SMTP server (go-smtp) on loopback that records
// every mail it accepts, and returns the shop's SMTP settings for it.
func startSMTP(t *testing.T) (*recorder, akmail.SMTPConfig) {
	t.Helper()
	rec := &recorder{}
	srv := smtp.NewServer(rec)
	srv.Domain = "mx.test"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return rec, akmail.SMTPConfig{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: "none"}
}

// TestServe_DeliversSignedMail runs the real shop with SMTP configured: a
// mail written to the outbox is delivered by the registered worker and
// carries a DKIM signature that verifies.
func TestServe_DeliversSignedMail(t *testing.T) {
	t.Parallel()
	rec, smtpCfg := startSMTP(t)

	dir := t.TempDir()
	cfg := Config{DataDir: dir, Mail: MailConfig{From: "shop@example.co.jp", SMTP: smtpCfg}}
	startShop(t, cfg)

	ctx := context.Background()
	d, err := db.Open(ctx, db.Config{Path: filepath.Join(dir, "akinai.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	hexKey, _ := os.ReadFile(filepath.Join(dir, "secret.key"))
	secret, _ := hex.DecodeString(strings.TrimSpace(string(hexKey)))
	keys := &akmail.Keys{DB: d, Secret: secret, Domain: "example.co.jp"}
	pk, err := keys.GenerateKey(ctx, akmail.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := akmail.Compose(ctx, nil, "test", "ja", "owner@example.jp", map[string]any{"ShopName": "商い茶舗"}, akmail.WithCode("白い茶碗"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Tx(ctx, func(tx *db.Tx) error { _, err := akmail.Enqueue(ctx, tx, m); return err }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		rec.mu.Lock()
		n := len(rec.got)
		rec.mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.got) != 1 {
		t.Fatalf("received %d mails", len(rec.got))
	}
	res, err := dkim.Verify(ctx, rec.got[0], func(_ context.Context, name string) ([]string, error) {
		if strings.TrimSuffix(name, ".") == pk.RecordName("example.co.jp") {
			return []string{pk.TXT}, nil
		}
		return nil, nil
	})
	if err != nil || len(res) != 1 || res[0].Status != dkim.StatusPass || res[0].Domain != "example.co.jp" {
		t.Fatalf("DKIM %+v, %v\n%s", res, err, rec.got[0])
	}
	if !strings.Contains(string(rec.got[0]), "Message-ID: <outbox-1.") {
		t.Fatalf("Message-ID missing:\n%s", rec.got[0])
	}
}
