package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/buildinfo"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/system"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.bindServe(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 2
	}
	log := cfg.newLogger(stderr)
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("cannot listen", "addr", cfg.Addr, "err", err)
		return 1
	}
	if err := serve(ctx, cfg, log, l, nil); err != nil {
		log.Error("akinai stopped", "err", err)
		return 1
	}
	return 0
}

// serve runs the shop on l until ctx ends. ready, when not nil, receives
// the handler once the shop is set up (tests use it).
func serve(ctx context.Context, cfg Config, log *slog.Logger, l net.Listener, ready chan<- http.Handler) error {
	// The admin's log viewer (internal/system) keeps the last warnings and errors.
	log = slog.New(system.NewRecent(log.Handler(), recentLogSize))
	if err := cfg.loadSecret(log); err != nil {
		return err
	}
	if cfg.Limits == nil { // callers that skipped validate (tests)
		l, err := throttle.ParseLimits(cfg.RateLimits, throttle.DefaultLimits())
		if err != nil {
			return err
		}
		cfg.Limits = l
	}
	if cfg.BaseURL == "" {
		_, port, _ := net.SplitHostPort(l.Addr().String())
		cfg.BaseURL = "http://localhost:" + port
	}
	d, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()
	app, err := newShop(ctx, cfg, log, d)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := loadDemoIfEmpty(ctx, d, log, cfg.DemoSize); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		// newShop already read (and cached) the settings of the empty shop.
		app.settings.Invalidate()
	}
	workers := app.startWorkers(ctx)
	defer workers.Wait()
	log.Info("akinai is serving", "url", cfg.BaseURL, "listen", l.Addr().String(), "database", string(d.Dialect), "where", d.Where, "version", buildinfo.Version)
	if ready != nil {
		ready <- app.handler
	}
	return web.Serve(ctx, log, l, app.handler, cfg.Grace)
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, cfg Config, log *slog.Logger) (*db.DB, error) {
	d, err := db.Open(ctx, db.Config{URL: cfg.DatabaseURL, Path: cfg.SQLitePath()})
	if err != nil {
		return nil, err
	}
	d.Log = log
	if err := d.Migrate(ctx, log); err != nil {
		d.Close()
		var tooNew *db.ErrTooNew
		var changed *db.ErrChanged
		if errors.As(err, &tooNew) || errors.As(err, &changed) {
			return nil, fmt.Errorf("%s: %w", d.Where, err)
		}
		return nil, err
	}
	// Products from before the search index (or an older version of its
	// rules) are indexed once; on a large shop this takes a while.
	if n, err := catalog.IndexPending(ctx, d); err != nil {
		d.Close()
		return nil, fmt.Errorf("search index: %w", err)
	} else if n > 0 {
		log.Info("search index built", "products", n)
	}
	return d, nil
}

// readiness answers /readyz: the database answers, is migrated and can
// write (as last seen; while it cannot, a probe retries every 2 s).
func readiness(d *db.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Cache-Control", "no-store")
		if err := d.Ping(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		if st := d.WriteState(); st.Failing {
			w.Header().Set("Retry-After", strconv.Itoa(db.RetryAfter))
			http.Error(w, fmt.Sprintf("database cannot write (%s) since %s; %d writes refused",
				st.Reason, st.Since.Format(time.RFC3339), st.Refused), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ready\n"))
	}
}

func health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// checkBoot fails the start on a broken message catalogue.
func checkBoot() error { return i18n.Check() }

var _ = settings.TTL
