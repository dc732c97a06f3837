package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/clientip"
	"github.com/akinai/akinai/internal/metrics"
	"github.com/akinai/akinai/internal/throttle"
)

// opsRoutes mounts /metrics (for the token or the allowed addresses) and
// the Go profiler (from this machine, or for a signed-in owner under the
// admin path). Call it after adminRoutes.
func (a *shopApp) opsRoutes(mux *http.ServeMux) error {
	token, err := metricsToken(a.cfg)
	if err != nil {
		return err
	}
	allow, err := clientip.ParsePrefixes(a.cfg.MetricsAllow)
	if err != nil {
		return err
	}
	src := metrics.Sources{DB: a.db, PageCache: a.render.PageCacheStats, Refused: throttle.Refused, Failures: throttle.Failures}
	if a.admin != nil {
		src.HidePrefix = a.admin.Base()
	}
	a.metrics = metrics.New(src)
	sched, err := a.backupWorker()
	if err != nil {
		return err
	}
	if sched != nil {
		a.workers = append(a.workers, sched.Run)
	}
	if a.admin != nil {
		a.admin.AddCard(a.backupCard)
		a.admin.AddCard((&integrityCard{app: a}).card)
	}
	notFound := a.render.Handle(func(w http.ResponseWriter, r *http.Request) error {
		a.render.NotFound(w, r)
		return nil
	})
	mux.Handle("GET /metrics", a.metrics.Handler(metrics.Access{Token: token, Allow: allow, NotFound: notFound}))
	profiles := metrics.Profiles()
	mux.Handle("GET /debug/pprof/{name...}", metrics.LoopbackOnly(profiles, notFound))
	if a.admin != nil {
		a.admin.Mount(mux, "GET /debug/pprof/{name...}", admin.AreaSecurity, admin.Write, false, func(w http.ResponseWriter, r *http.Request) error {
			profiles.ServeHTTP(w, r)
			return nil
		})
	}
	return nil
}

// metricsToken is Config.MetricsToken, else AKINAI_METRICS_TOKEN, else the
// file AKINAI_METRICS_TOKEN_FILE names. A token shorter than 16
// characters is refused: it would be guessable.
func metricsToken(cfg Config) (string, error) {
	t := cfg.MetricsToken
	if t == "" {
		t = os.Getenv("AKINAI_METRICS_TOKEN")
	}
	if t == "" {
		if f := os.Getenv("AKINAI_METRICS_TOKEN_FILE"); f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return "", fmt.Errorf("AKINAI_METRICS_TOKEN_FILE: %w", err)
			}
			t = strings.TrimSpace(string(b))
		}
	}
	if t != "" && len(t) < 16 {
		return "", fmt.Errorf("the metrics token must be at least 16 characters (e.g. openssl rand -hex 24)")
	}
	return t, nil
}
