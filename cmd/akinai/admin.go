package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base32"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/clientip"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/gate"
	"github.com/akinai/akinai/internal/maillog"
	"github.com/akinai/akinai/internal/masters"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/report"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/system"
)

// adminPath returns the secret admin path: --admin-path, or the one stored
// in the settings, generated at first start ("admin-" + 10 random base32
// characters, 50 bits) so no two shops share a guessable address.
func adminPath(ctx context.Context, cfg Config, s *settings.Store) (string, error) {
	if cfg.AdminPath != "" {
		return cfg.AdminPath, nil
	}
	b := make([]byte, 10)
	rand.Read(b)
	gen := "admin-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
	if _, err := s.SetDefault(ctx, settings.AdminPath, gen); err != nil {
		return "", err
	}
	s.Invalidate()
	return s.Get(ctx, settings.AdminPath)
}

// adminRoutes wires the admin panel and prints the one-time setup link
// when the shop has no admin yet.
func (a *shopApp) adminRoutes(ctx context.Context, mux *http.ServeMux) error {
	path, err := adminPath(ctx, a.cfg, a.settings)
	if err != nil {
		return err
	}
	allow, err := clientip.ParsePrefixes(a.cfg.AdminAllow)
	if err != nil {
		return err
	}
	deny, err := clientip.ParsePrefixes(a.cfg.AdminDeny)
	if err != nil {
		return err
	}
	h, err := admin.New(a.db, a.settings, a.render, a.log, admin.Config{
		Path: path, BaseURL: a.cfg.BaseURL, Secret: a.cfg.Secret, Allow: allow, Deny: deny,
		IdleTimeout: a.cfg.AdminIdle, MaxAge: a.cfg.AdminMaxAge, SignIn: a.cfg.adminSignIn,
		FontPath: a.cfg.InvoiceFont, PathFromConfig: a.cfg.AdminPath != "",
	})
	if err != nil {
		return err
	}
	h.Routes(mux)
	a.admin = h
	// 設定 › CSV出力項目設定: every CSV the admin exports, in this order.
	h.AddCSVExports(catalog.ProductExport, catalog.CategoryExport)
	h.AddCSVExports(order.CSVExports()...)
	h.AddCSVExports(admin.CustomerExport, report.PeriodExport, report.BreakdownExport, admin.AuditExport, system.LoginExport)
	reports := &report.Store{DB: a.db, Log: a.log}
	if err := (&report.Admin{Store: reports, Shell: h}).Mount(a.render, mux); err != nil {
		return err
	}
	a.workers = append(a.workers, reports.Worker(5*time.Minute))
	a.workers = append(a.workers, a.db.OptimizeWorker(time.Hour, a.log)) // SQLite planner statistics (docs/PERFORMANCE.md)
	if err := (&gate.Admin{DB: a.db, Settings: a.settings, Shell: h}).Mount(a.render, mux); err != nil {
		return err
	}
	if err := (&masters.Admin{Store: a.masters, Shell: h}).Mount(a.render, mux); err != nil {
		return err
	}
	if err := a.systemAdmin(h, mux); err != nil {
		return err
	}
	a.mailAdmin(h).Routes(mux)
	if err := a.magazineRoutes(h, mux); err != nil {
		return err
	}
	if err := a.orderAdmin(h, mux); err != nil {
		return err
	}
	if err := a.payDeliveryAdmin(h, mux); err != nil {
		return err
	}
	log, err := maillog.New(h, a.db, a.render, a.mailSender)
	if err != nil {
		return err
	}
	log.Routes(mux)
	if err := a.orderEntry(h, mux); err != nil {
		return err
	}
	if err := a.orderEdit(h, mux); err != nil {
		return err
	}
	if err := a.productAdmin(h, mux); err != nil {
		return err
	}
	if err := a.loyaltyAdmin(h, mux); err != nil {
		return err
	}
	if err := a.customerAdmin(h, mux); err != nil {
		return err
	}
	if err := a.reviewAdmin(h, mux); err != nil {
		return err
	}
	if err := a.b2bAdmin(h, mux); err != nil {
		return err
	}
	if err := a.pluginAdmin(ctx, h, mux); err != nil {
		return err
	}
	u, err := h.SetupURL(ctx)
	if err != nil {
		return err
	}
	if u != "" {
		a.log.Warn("no admin account yet: open this one-time link (valid 60 minutes) to create the owner", "setup_url", u)
	} else {
		a.log.Info("admin panel", "url", a.cfg.BaseURL+h.Base()+"/login")
	}
	a.workers = append(a.workers, func(ctx context.Context) { admin.Sweep(ctx, a.db, a.log, 10*time.Minute) })
	return nil
}

func runAdmin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: akinai admin create|reset-mfa …")
		return 2
	}
	var email, name, role *string
	_, fs, d, code := commandDB(ctx, "admin "+args[0], args[1:], stderr, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "the admin's email address")
		name = fs.String("name", "", "the admin's name")
		role = fs.String("role", "owner", "owner, manager or staff")
	})
	if code != 0 {
		return code
	}
	defer d.Close()
	switch args[0] {
	case "create":
		return adminCreate(ctx, d, stdin, stdout, stderr, *email, *name, *role)
	case "reset-mfa":
		if fs.NArg() != 1 {
			fmt.Fprintln(stderr, "usage: akinai admin reset-mfa EMAIL")
			return 2
		}
		return adminResetMFA(ctx, d, stdout, stderr, fs.Arg(0))
	}
	fmt.Fprintf(stderr, "akinai admin: unknown command %q\n", args[0])
	return 2
}

// adminCreate creates an admin from the server shell. The password is the
// first line of stdin; "-" or an empty line generates one and prints it
// once.
func adminCreate(ctx context.Context, d *db.DB, stdin io.Reader, stdout, stderr io.Writer, email, name, roleName string) int {
	role, ok := admin.ParseRole(roleName)
	if !ok {
		fmt.Fprintf(stderr, "akinai: --role must be owner, manager or staff, not %q\n", roleName)
		return 2
	}
	pw := ""
	if stdin != nil {
		line, _ := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
		pw = strings.TrimRight(line, "\r\n")
	}
	generated := pw == "" || pw == "-"
	if generated {
		pw = auth.NewToken()[:20]
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		a, err := admin.CreateAdmin(ctx, tx, admin.NewAdmin{Email: email, Name: name, Password: pw, Role: role})
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Actor: "cli", Action: "admin.created", Target: a.Email, Details: map[string]any{"role": string(role), "via": "cli"}})
		return err
	})
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", describe(err))
		return 1
	}
	fmt.Fprintf(stdout, "created %s (%s); a second factor is enrolled at first sign-in\n", strings.ToLower(email), role)
	if generated {
		fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
	}
	return 0
}

// adminResetMFA removes every second factor and session of an admin.
func adminResetMFA(ctx context.Context, d *db.DB, stdout, stderr io.Writer, email string) int {
	err := d.Tx(ctx, func(tx *db.Tx) error {
		a, err := admin.AdminByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		if err := admin.ResetFactors(ctx, tx, a.ID); err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Actor: "cli", Action: "admin.factors_reset", Target: a.Email, Details: map[string]any{"via": "cli"}})
		return err
	})
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", describe(err))
		return 1
	}
	fmt.Fprintf(stdout, "second factors and sessions of %s removed; they enrol again at next sign-in\n", strings.ToLower(email))
	return 0
}
