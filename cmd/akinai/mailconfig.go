package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"

	akmail "github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/phishcheck"
)

// MailConfig says how the shop delivers mail. Without an SMTP host the
// outbox fills but nothing is sent (a development shop).
type MailConfig struct {
	SMTP akmail.SMTPConfig
	// From is the shop's sender address; its domain is the DKIM signing
	// domain and the right-hand side of Message-IDs. Empty: the shop
	// e-mail from the settings.
	From string
	// Resolver answers the admin's DNS questions (authenticity, the
	// phishing checker); nil is the system's resolver. Tests give fixtures.
	Resolver phishcheck.Resolver
}

// bindMail registers the SMTP flags, defaulting to AKINAI_SMTP_* and
// AKINAI_MAIL_FROM.
func (c *MailConfig) bindMail(fs *flag.FlagSet) {
	port, _ := strconv.Atoi(env("AKINAI_SMTP_PORT", "0"))
	fs.StringVar(&c.SMTP.Host, "smtp-host", env("AKINAI_SMTP_HOST", ""), "SMTP submission server; empty disables delivery [AKINAI_SMTP_HOST]")
	fs.IntVar(&c.SMTP.Port, "smtp-port", port, "SMTP port (default 587, or 465 with --smtp-tls=tls) [AKINAI_SMTP_PORT]")
	fs.StringVar(&c.SMTP.Username, "smtp-user", env("AKINAI_SMTP_USER", ""), "SMTP AUTH user name [AKINAI_SMTP_USER]")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", env("AKINAI_SMTP_TLS", "starttls"), "none, starttls (required) or tls (implicit, port 465) [AKINAI_SMTP_TLS]")
	fs.StringVar(&c.From, "mail-from", env("AKINAI_MAIL_FROM", ""), "the shop's sender address [AKINAI_MAIL_FROM]")
}

// loadMailSecret reads AKINAI_SMTP_PASSWORD or AKINAI_SMTP_PASSWORD_FILE
// (passwords never come from a flag, which other users can see in ps).
func (c *MailConfig) loadMailSecret() error {
	if v := os.Getenv("AKINAI_SMTP_PASSWORD"); v != "" {
		c.SMTP.Password = v
		return nil
	}
	if path := os.Getenv("AKINAI_SMTP_PASSWORD_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read AKINAI_SMTP_PASSWORD_FILE: %w", err)
		}
		c.SMTP.Password = strings.TrimRight(string(b), "\r\n")
	}
	return nil
}

// validateMail checks the mail settings when delivery is enabled.
func (c *MailConfig) validateMail() error {
	if c.From != "" {
		a, err := mail.ParseAddress(c.From)
		if err != nil || a.Name != "" || strings.ContainsAny(c.From, "\r\n") {
			return fmt.Errorf("--mail-from must be a bare address like shop@example.co.jp, not %q", c.From)
		}
	}
	if c.SMTP.Host == "" {
		return nil
	}
	if err := c.loadMailSecret(); err != nil {
		return err
	}
	if c.SMTP.Password != "" && c.SMTP.Username == "" {
		return errors.New("AKINAI_SMTP_PASSWORD is set but --smtp-user is empty")
	}
	c.SMTP.Timeout = 60 * time.Second
	return c.SMTP.Validate()
}

// mailWorker returns the outbox delivery loop, or nil when no SMTP host
// is configured.
func (a *shopApp) mailWorker() func(ctx context.Context) {
	mc := a.cfg.Mail
	if mc.SMTP.Host == "" {
		a.log.Warn("mail delivery is off: set AKINAI_SMTP_HOST; mail stays in the outbox until then")
		return nil
	}
	sender, err := akmail.NewSMTP(mc.SMTP)
	if err != nil {
		a.log.Error("mail delivery is off", "err", err)
		return nil
	}
	host, _ := os.Hostname()
	w := &akmail.Worker{
		DB: a.db, Sender: sender, Log: a.log,
		Instance: host + ":" + strconv.Itoa(os.Getpid()),
		Shop:     a.mailSender,
	}
	w.Domain = mailDomain(mc.From)
	if w.Domain != "" {
		w.Signer = &akmail.Keys{DB: a.db, Secret: a.cfg.Secret, Domain: w.Domain}
	} else {
		a.log.Warn("mail is not DKIM-signed: set AKINAI_MAIL_FROM to the shop's sender address")
	}
	return w.Run
}

// mailDomain is the domain of a sender address.
func mailDomain(from string) string {
	_, domain, _ := strings.Cut(from, "@")
	return strings.ToLower(domain)
}

// mailSender returns the shop's sender address and name as delivery uses
// them: --mail-from, else the shop's address; the Japanese shop name.
func (a *shopApp) mailSender(ctx context.Context) (string, string, error) {
	sh, err := a.settings.Shop(ctx)
	from := a.cfg.Mail.From
	if from == "" {
		from = sh.Email
	}
	return from, sh.DisplayName("ja"), err
}
