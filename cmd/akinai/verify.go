package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/integrity"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/web"
)

// runVerify says whether this installation is intact: build, binary,
// migrations, templates and static files, audit chain, data directory.
// It exits 1 when a check fails, naming what.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var manifestFile string
	cfg, _, d, code := commandDB(ctx, "verify", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&manifestFile, "manifest", "", "check the templates against this asset manifest instead of the one stamped into the binary")
	})
	if code != 0 {
		return code
	}
	defer d.Close()
	in := integrity.Inputs{DB: d, DataDir: cfg.DataDir}
	if manifestFile != "" {
		b, err := os.ReadFile(manifestFile)
		if err != nil {
			fmt.Fprintln(stderr, "akinai:", err)
			return 2
		}
		in.Manifest = b
	}
	if err := cfg.loadSecret(cfg.newLogger(io.Discard)); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	// The shop is built (not served) to list the templates it parses.
	if cfg.BaseURL == "" {
		cfg.BaseURL = env("AKINAI_BASE_URL", "http://localhost")
	}
	app, err := newShop(ctx, *cfg, cfg.newLogger(io.Discard), d)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	in.Sources = app.sources()
	rep := integrity.Run(ctx, in)
	for _, c := range rep.Checks {
		fmt.Fprintf(stdout, "%-4s  %-10s  %s\n", strings.ToUpper(string(c.State)), c.Name, c.Summary)
		for _, d := range c.Details {
			fmt.Fprintf(stdout, "                  %s\n", d)
		}
	}
	fmt.Fprintln(stdout, "Akinai never asks anyone to sign in from a mail. A mail saying your files are corrupted and asking you to log in is phishing: check it in the admin's phishing checker.")
	if rep.State() == integrity.Bad {
		return 1
	}
	return 0
}

// sources lists the shop's embedded templates and static files.
func (a *shopApp) sources() []integrity.Source {
	var out []integrity.Source
	for _, s := range a.render.Sources() {
		out = append(out, integrity.Source{Path: s.Path, SHA256: s.SHA256})
	}
	for p, b := range mail.DefaultFiles() {
		sum := sha256.Sum256(b)
		out = append(out, integrity.Source{Path: p, SHA256: hex.EncodeToString(sum[:])})
	}
	return out
}

// integrityCard shows the installation's integrity on the dashboard,
// from a report refreshed every ten minutes (the audit chain is long).
type integrityCard struct {
	app *shopApp
	mu  sync.Mutex
	rep *integrity.Report
	at  time.Time
}

func (c *integrityCard) report(ctx context.Context) *integrity.Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rep == nil || time.Since(c.at) > 10*time.Minute {
		in := integrity.Inputs{DB: c.app.db, Sources: c.app.sources()}
		if c.app.cfg.DatabaseURL == "" {
			in.DataDir = c.app.cfg.DataDir
		}
		rep := integrity.Run(ctx, in)
		c.rep, c.at = &rep, time.Now()
	}
	return c.rep
}

func (c *integrityCard) card(r *http.Request) (*admin.Card, error) {
	rep := c.report(r.Context())
	card := &admin.Card{ID: "integrity-status", Title: web.T(r, "ops.verify.title"), State: string(rep.State()),
		Link: "@/phish", LinkText: web.T(r, "ops.verify.phish_link")}
	card.Headline = web.T(r, "ops.verify.headline."+string(rep.State()))
	for _, ch := range rep.Checks {
		if ch.State == integrity.OK {
			continue
		}
		says := "ops.verify.says." + ch.Name + "." + string(ch.State)
		line := web.T(r, "ops.verify.check."+ch.Name) + ": "
		if i18n.Has(says) {
			line += web.T(r, says)
		} else {
			line += ch.Summary
		}
		if len(ch.Details) > 0 && ch.State == integrity.Bad {
			line += " (" + strings.Join(ch.Details[:min(len(ch.Details), 5)], "; ") + ")"
		}
		card.Lines = append(card.Lines, line)
	}
	card.Lines = append(card.Lines, web.T(r, "ops.verify.never_mail"))
	return card, nil
}
