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

// runMailcheck implements `akinai mailcheck FILE|-`.
//
// It checks a saved mail (or stdin for "-"), or with --url a single link,
// and prints the verdict on the first line ("genuine", "suspicious" or
// "phishing") and one reason per line, or with --json the whole report.
// Protected domains come from --protect, else from shopDefaults (the
// running shop's settings) when it is not nil. It returns 0 for any
// verdict, 2 for a usage error and 1 for an I/O error.
func runMailcheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, shopDefaults func(ctx context.Context) (phishcheck.Config, error)) int {
	fs := flag.NewFlagSet("mailcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	link := fs.String("url", "", "check this `URL` instead of a mail")
	protect := fs.String("protect", "", "comma-separated protected `domains` (default: the shop's settings)")
	offline := fs.Bool("offline", false, "make no DNS queries (DKIM, SPF and DMARC are then not checked)")
	lang := fs.String("lang", "ja", "language of the reasons: ja or en")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: akinai mailcheck [--json] [--offline] [--lang ja|en] [--protect a.co.jp,b.net] FILE|-")
		fmt.Fprintln(stderr, "       akinai mailcheck [--json] [--lang ja|en] [--protect …] --url URL")
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
	case shopDefaults != nil:
		var err error
		if cfg, err = shopDefaults(ctx); err != nil {
			fmt.Fprintf(stderr, "mailcheck: shop settings: %v\n", err)
			return 1
		}
	default:
		fmt.Fprintln(stderr, "mailcheck: no protected domains: give --protect a.co.jp,b.net")
		return 2
	}
	cfg.Lang = *lang
	if *offline {
		cfg.Resolver = nil
	} else if cfg.Resolver == nil {
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
	if _, err := io.WriteString(stdout, sb.String()); err != nil {
		fmt.Fprintf(stderr, "mailcheck: %v\n", err)
		return 1
	}
	return 0
}
