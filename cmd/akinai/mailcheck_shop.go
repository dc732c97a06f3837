package main

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/phishcheck"
	"github.com/akinai/akinai/internal/settings"
)

// mailcheckShopDefaults returns a loader of the checker's configuration
// from the shop's settings — its own domain, its admin origin and the
// domains the operator listed — or nil when no shop database is here
// (then --protect is required).
func mailcheckShopDefaults() func(ctx context.Context) (phishcheck.Config, error) {
	cfg := Config{DataDir: env("AKINAI_DATA", "./data"), DatabaseURL: env("AKINAI_DATABASE_URL", "")}
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return nil
		}
	}
	return func(ctx context.Context) (phishcheck.Config, error) {
		d, err := db.Open(ctx, db.Config{URL: cfg.DatabaseURL, Path: cfg.SQLitePath()})
		if err != nil {
			return phishcheck.Config{}, err
		}
		defer d.Close()
		return checkerConfig(ctx, settings.New(d), env("AKINAI_BASE_URL", ""))
	}
}

// checkerConfig builds the phishing checker's configuration from the
// shop's settings; the admin page uses it too.
func checkerConfig(ctx context.Context, s *settings.Store, baseURL string) (phishcheck.Config, error) {
	all, err := s.All(ctx)
	if err != nil {
		return phishcheck.Config{}, err
	}
	var c phishcheck.Config
	base := all[settings.ShopURL]
	if base == "" {
		base = baseURL
	}
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		c.Protected = append(c.Protected, u.Hostname())
		if p := all[settings.AdminPath]; p != "" {
			c.AdminOrigin = u.Scheme + "://" + u.Host
		}
	}
	for d := range strings.SplitSeq(all[settings.ProtectDomains], ",") {
		if d = strings.TrimSpace(d); d != "" {
			c.Protected = append(c.Protected, d)
		}
	}
	if len(c.Protected) == 0 {
		return c, errors.New("the shop has no URL or protected domains in its settings yet; give --protect")
	}
	return c, nil
}
