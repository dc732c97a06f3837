package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/phishcheck"
)

// mailcheckShop is what mailcheck needs from the shop's database; nil
// when there is none here.
type mailcheckShop struct {
	// config returns the checker's configuration from the shop's settings
	// and its suppliers.
	config func(ctx context.Context) (phishcheck.Config, error)
	// addSupplier stores a supplier (audited).
	addSupplier func(ctx context.Context, s phishcheck.Service) error
	// suppliers lists the stored suppliers (used with --protect too).
	suppliers func(ctx context.Context) ([]phishcheck.Service, error)
}

// suppliers is a repeatable NAME=DOMAIN,… flag.
type suppliers []phishcheck.Service

func (s *suppliers) String() string { return "" }
func (s *suppliers) Set(v string) error {
	sv, err := phishcheck.ParseSupplier(v)
	if err != nil {
		return err
	}
	*s = append(*s, sv)
	return nil
}

// runMailcheck implements `akinai mailcheck FILE|-`.
//
// It checks a saved mail (or stdin for "-"), or with --url a single link,
// and prints the verdict on the first line ("genuine", "suspicious" or
// "phishing") and one reason per line, then any advice, or with --json the
// whole report. Protected domains come from --protect, else from the
// shop's settings when shop is not nil. --dns FILE answers DKIM, SPF and
// DMARC from a zone file instead of the network. --add-supplier stores a
// supplier in the shop's database. It returns 0 for any verdict, 2 for a
// usage error and 1 for an I/O error.
func runMailcheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, shop *mailcheckShop) int {
	fs := flag.NewFlagSet("mailcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	link := fs.String("url", "", "check this `URL` instead of a mail")
	protect := fs.String("protect", "", "comma-separated protected `domains` (default: the shop's settings)")
	offline := fs.Bool("offline", false, "make no DNS queries (DKIM, SPF and DMARC are then not checked)")
	lang := fs.String("lang", "ja", "language of the reasons: ja or en")
	dnsFile := fs.String("dns", "", "answer DNS from this zone `file` (TXT records: DKIM keys, SPF, DMARC) instead of the network")
	var extra, add suppliers
	fs.Var(&extra, "supplier", "also know this supplier for this check: `NAME=DOMAIN[,DOMAIN…]` (repeatable)")
	fs.Var(&add, "add-supplier", "store this supplier in the shop's list (audited): `NAME=DOMAIN[,DOMAIN…]` (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: akinai mailcheck [--json] [--offline | --dns ZONEFILE] [--lang ja|en] [--protect a.co.jp,b.net] [--supplier NAME=DOMAIN] FILE|-")
		fmt.Fprintln(stderr, "       akinai mailcheck [--json] [--lang ja|en] [--protect …] --url URL")
		fmt.Fprintln(stderr, "       akinai mailcheck --add-supplier NAME=DOMAIN[,DOMAIN…]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *lang != "ja" && *lang != "en" {
		fmt.Fprintf(stderr, "mailcheck: --lang must be ja or en, not %q\n", *lang)
		return 2
	}
	if len(add) > 0 {
		if shop == nil || shop.addSupplier == nil {
			fmt.Fprintln(stderr, "mailcheck: --add-supplier needs the shop's database (AKINAI_DATA or AKINAI_DATABASE_URL)")
			return 2
		}
		for _, s := range add {
			if err := shop.addSupplier(ctx, s); err != nil {
				fmt.Fprintf(stderr, "mailcheck: add supplier %s: %v\n", s.Name, err)
				return 1
			}
			fmt.Fprintf(stdout, "added supplier %s: %s\n", s.Name, strings.Join(s.Domains, ", "))
		}
		if *link == "" && fs.NArg() == 0 {
			return 0
		}
	}
	if (*link == "") == (fs.NArg() == 0) || fs.NArg() > 1 {
		fs.Usage()
		return 2
	}

	var cfg phishcheck.Config
	switch {
	case *protect != "":
		for d := range strings.SplitSeq(*protect, ",") {
			if d = strings.TrimSpace(d); d != "" {
				cfg.Protected = append(cfg.Protected, d)
			}
		}
		if shop != nil && shop.suppliers != nil {
			// The shop's suppliers still count; a database that cannot be
			// read only costs them, not the check.
			s, err := shop.suppliers(ctx)
			if err != nil {
				fmt.Fprintf(stderr, "mailcheck: the shop's suppliers are not used: %v\n", err)
			}
			cfg.Services = append(cfg.Services, s...)
		}
	case shop != nil && shop.config != nil:
		var err error
		if cfg, err = shop.config(ctx); err != nil {
			fmt.Fprintf(stderr, "mailcheck: shop settings: %v\n", err)
			return 1
		}
	default:
		fmt.Fprintln(stderr, "mailcheck: no protected domains: give --protect a.co.jp,b.net")
		return 2
	}
	cfg.Lang = *lang
	cfg.Services = append(cfg.Services, extra...)
	for _, s := range extra {
		cfg.Correspondents = append(cfg.Correspondents, s.Domains...)
	}
	switch {
	case *dnsFile != "":
		zone, err := phishcheck.LoadZone(*dnsFile)
		if err != nil {
			fmt.Fprintf(stderr, "mailcheck: --dns %s: %v\n", *dnsFile, err)
			return 1
		}
		cfg.Resolver = zone
	case *offline:
		cfg.Resolver = nil
	case cfg.Resolver == nil:
		cfg.Resolver = phishcheck.NewNetResolver(5 * time.Second)
	}

	var report phishcheck.Report
	if *link != "" {
		report = phishcheck.CheckURL(ctx, cfg, *link)
	} else {
		in, name := stdin, fs.Arg(0)
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintf(stderr, "mailcheck: %v\n", err)
				return 1
			}
			defer f.Close()
			in = f
		}
		// One byte past the limit lets the checker say the mail was cut
		// without holding a mail of any size in memory.
		raw, err := io.ReadAll(io.LimitReader(in, phishcheck.MaxMessageSize+1))
		if err != nil {
			fmt.Fprintf(stderr, "mailcheck: read %s: %v\n", name, err)
			return 1
		}
		checkCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		report = phishcheck.CheckMessage(checkCtx, cfg, raw)
	}

	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "mailcheck: %v\n", err)
			return 1
		}
		return 0
	}
	var sb strings.Builder
	sb.WriteString(string(report.Verdict) + "\n")
	for _, r := range report.Reasons {
		fmt.Fprintf(&sb, "%s\t%s\t%s", r.Severity, r.Code, r.Message)
		if r.Detail != "" {
			fmt.Fprintf(&sb, " (%s)", r.Detail)
		}
		sb.WriteString("\n")
	}
	notChecked := map[string]string{"ja": "未確認", "en": "not-checked"}[*lang]
	for _, r := range report.NotChecked {
		fmt.Fprintf(&sb, "%s\t%s\t%s", notChecked, r.Code, r.Message)
		if r.Detail != "" {
			fmt.Fprintf(&sb, " (%s)", r.Detail)
		}
		sb.WriteString("\n")
	}
	advice := map[string]string{"ja": "助言", "en": "advice"}[*lang]
	for _, r := range report.Advice {
		fmt.Fprintf(&sb, "%s\t%s\t%s\n", advice, r.Code, r.Message)
	}
	if _, err := io.WriteString(stdout, sb.String()); err != nil {
		fmt.Fprintf(stderr, "mailcheck: %v\n", err)
		return 1
	}
	return 0
}
