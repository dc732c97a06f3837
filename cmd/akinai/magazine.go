package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/magazine"
	akmail "github.com/akinai/akinai/internal/mail"
)

// magazineRoutes wires the mail magazine: its admin screens, the public
// unsubscribe page, and the sender (when SMTP delivery is on).
func (a *shopApp) magazineRoutes(h *admin.Handlers, mux *http.ServeMux) error {
	tokens := magazine.Tokens{Secret: a.cfg.Secret}
	store := &magazine.Store{DB: a.db}
	if err := (&magazine.Admin{Store: store, Shell: h, Tokens: tokens, BaseURL: a.cfg.BaseURL}).Mount(a.render, mux); err != nil {
		return err
	}
	if err := (&magazine.Unsubscribe{DB: a.db, Tokens: tokens, Render: a.render, Log: a.log}).Routes(mux); err != nil {
		return err
	}
	if w := a.magazineSender(tokens); w != nil {
		a.workers = append(a.workers, w)
	}
	return nil
}

// magazineSender returns the send loop, or nil when no SMTP host is set
// (scheduled magazines then wait).
func (a *shopApp) magazineSender(tokens magazine.Tokens) func(ctx context.Context) {
	mc := a.cfg.Mail
	if mc.SMTP.Host == "" {
		return nil
	}
	smtp, err := akmail.NewSMTP(mc.SMTP)
	if err != nil {
		a.log.Error("mail magazine sending is off", "err", err)
		return nil
	}
	host, _ := os.Hostname()
	s := &magazine.Sender{
		DB: a.db, SMTP: smtp, Tokens: tokens, BaseURL: a.cfg.BaseURL, Shop: a.mailSender, Log: a.log,
		Domain:      mailDomain(mc.From),
		Instance:    host + ":" + strconv.Itoa(os.Getpid()) + ":magazine",
		SendTimeout: mc.SMTP.Timeout,
	}
	if s.Domain != "" {
		s.Signer = &akmail.Keys{DB: a.db, Secret: a.cfg.Secret, Domain: s.Domain}
	}
	return s.Run
}

// runMagazineBounce reads one bounce (a delivery status notification) on
// stdin, as the mail server's pipe to the VERP return path delivers it,
// and suppresses the address on a hard bounce. Exit status 0 when the
// mail was handled (including a soft bounce), 1 when it is not a bounce
// of ours (the mail server then bounces it or drops it, as configured).
func runMagazineBounce(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var to *string
	cfg, _, d, code := commandDB(ctx, "magazine-bounce", args, stderr, func(fs *flag.FlagSet) {
		to = fs.String("to", "", "the envelope recipient (the VERP return path); empty: from the headers")
	})
	if code != 0 {
		return code
	}
	defer d.Close()
	if err := cfg.loadSecret(cfg.newLogger(io.Discard)); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	res, err := magazine.Bounce(ctx, d, magazine.Tokens{Secret: cfg.Secret}, stdin, *to)
	switch {
	case errors.Is(err, magazine.ErrNotOurs), errors.Is(err, magazine.ErrNotDSN):
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	case err != nil:
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	case res.Hard:
		fmt.Fprintf(stdout, "hard bounce (%s): %s suppressed\n", res.Status, res.Email)
	default:
		fmt.Fprintf(stdout, "soft bounce (%s): nothing changed\n", res.Status)
	}
	return 0
}
