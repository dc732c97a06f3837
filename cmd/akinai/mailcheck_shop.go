package main

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/phishcheck"
	"github.com/akinai/akinai/internal/settings"
)

// mailcheckShopDefaults gives mailcheck the shop's database: the
// checker's configuration from the shop's settings — its own domain, its
// admin origin, the domains the operator listed and the suppliers — and a
// way to add a supplier. It is nil when no shop database is here (then
// --protect is required).
func mailcheckShopDefaults() *mailcheckShop {
	cfg := Config{DataDir: env("AKINAI_DATA", "./data"), DatabaseURL: env("AKINAI_DATABASE_URL", "")}
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return nil
		}
	}
	open := func(ctx context.Context) (*db.DB, error) {
		return db.Open(ctx, db.Config{URL: cfg.DatabaseURL, Path: cfg.SQLitePath()})
	}
	return shopMailcheck(open)
}

// shopMailcheck builds mailcheck's access to the shop from a way to open
// its database.
func shopMailcheck(open func(ctx context.Context) (*db.DB, error)) *mailcheckShop {
	return &mailcheckShop{
		config: func(ctx context.Context) (phishcheck.Config, error) {
			d, err := open(ctx)
			if err != nil {
				return phishcheck.Config{}, err
			}
			defer d.Close()
			c, err := checkerConfig(ctx, settings.New(d), env("AKINAI_BASE_URL", ""))
			if err != nil {
				return c, err
			}
			s, err := admin.SupplierServices(ctx, d)
			c.Services = append(c.Services, s...)
			for _, sv := range s {
				c.Correspondents = append(c.Correspondents, sv.Domains...)
			}
			return c, err
		},
		suppliers: func(ctx context.Context) ([]phishcheck.Service, error) {
			d, err := open(ctx)
			if err != nil {
				return nil, err
			}
			defer d.Close()
			return admin.SupplierServices(ctx, d)
		},
		addSupplier: func(ctx context.Context, s phishcheck.Service) error {
			d, err := open(ctx)
			if err != nil {
				return err
			}
			defer d.Close()
			return d.Tx(ctx, func(tx *db.Tx) error {
				_, err := admin.AddSupplier(ctx, tx, s, audit.Entry{Actor: "cli", Details: map[string]any{"via": "cli"}})
				return err
			})
		},
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
