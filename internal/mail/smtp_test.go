package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/mail"
	"github.com/emersion/go-sasl"
)

var testMsg = []byte("From: <shop@example.jp>\r\nTo: <a@example.jp>\r\nSubject: hi\r\n\r\nhello\r\n")

func TestSMTP_Send(t *testing.T) {
	t.Parallel()
	srvTLS, cliTLS := testTLS(t)
	cases := []struct {
		name     string
		srv      serverOpts
		cfg      mail.SMTPConfig
		wantTLS  bool
		wantAuth string
	}{
		{"starttls+plain", serverOpts{TLS: srvTLS, User: "u", Pass: "p"}, mail.SMTPConfig{TLS: "starttls", Username: "u", Password: "p"}, true, "PLAIN:u"},
		{"implicit tls+plain", serverOpts{TLS: srvTLS, Implicit: true, User: "u", Pass: "p"}, mail.SMTPConfig{TLS: "tls", Username: "u", Password: "p"}, true, "PLAIN:u"},
		{"starttls+login only", serverOpts{TLS: srvTLS, User: "u", Pass: "p", Mechs: []string{sasl.Login}}, mail.SMTPConfig{TLS: "starttls", Username: "u", Password: "p"}, true, "LOGIN:u"},
		{"plain text to loopback", serverOpts{}, mail.SMTPConfig{TLS: "none"}, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, c.srv)
			cfg := c.cfg
			cfg.Host, cfg.Port, cfg.TLSConfig = ts.Host, ts.Port, cliTLS
			s, err := mail.NewSMTP(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(context.Background(), "shop@example.jp", []string{"a@example.jp"}, testMsg); err != nil {
				t.Fatal(err)
			}
			got := ts.Received()
			if len(got) != 1 || got[0].TLS != c.wantTLS || got[0].Authed != c.wantAuth || got[0].To != "a@example.jp" || got[0].From != "shop@example.jp" {
				t.Fatalf("received %+v", got)
			}
		})
	}
}

func TestSMTP_Refusals(t *testing.T) {
	t.Parallel()
	srvTLS, cliTLS := testTLS(t)
	ctx := context.Background()
	t.Run("starttls required but not offered", func(t *testing.T) {
		ts := startServer(t, serverOpts{})
		s, _ := mail.NewSMTP(mail.SMTPConfig{Host: ts.Host, Port: ts.Port})
		err := s.Send(ctx, "shop@example.jp", []string{"a@example.jp"}, testMsg)
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(ts.Received()) != 0 {
			t.Fatalf("err = %v, received %d", err, len(ts.Received()))
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		ts := startServer(t, serverOpts{TLS: srvTLS, User: "u", Pass: "p"})
		s, _ := mail.NewSMTP(mail.SMTPConfig{Host: ts.Host, Port: ts.Port, Username: "u", Password: "x", TLSConfig: cliTLS})
		if err := s.Send(ctx, "shop@example.jp", []string{"a@example.jp"}, testMsg); err == nil {
			t.Fatal("sent with a wrong password")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		ts := startServer(t, serverOpts{TLS: srvTLS})
		s, _ := mail.NewSMTP(mail.SMTPConfig{Host: ts.Host, Port: ts.Port})
		if err := s.Send(ctx, "shop@example.jp", []string{"a@example.jp"}, testMsg); err == nil || len(ts.Received()) != 0 {
			t.Fatalf("sent over an unverified TLS connection: %v", err)
		}
	})
	t.Run("4xx is temporary, 5xx permanent", func(t *testing.T) {
		ts := startServer(t, serverOpts{})
		ts.fail = func(n int) error {
			if n == 1 {
				return tempFail
			}
			return permFail
		}
		s, _ := mail.NewSMTP(mail.SMTPConfig{Host: ts.Host, Port: ts.Port, TLS: "none"})
		var perm *mail.PermanentError
		err := s.Send(ctx, "shop@example.jp", []string{"a@example.jp"}, testMsg)
		if err == nil || errors.As(err, &perm) {
			t.Fatalf("451: err = %v", err)
		}
		err = s.Send(ctx, "shop@example.jp", []string{"a@example.jp"}, testMsg)
		if !errors.As(err, &perm) {
			t.Fatalf("550: err = %v", err)
		}
	})
	t.Run("bad config", func(t *testing.T) {
		for _, c := range []mail.SMTPConfig{{}, {Host: "x", TLS: "ssl"}, {Host: "x", Port: 70000}} {
			if _, err := mail.NewSMTP(c); err == nil {
				t.Errorf("NewSMTP(%+v) succeeded", c)
			}
		}
	})
}
