package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

const metricsTestToken = "metrics-token-0123456789abcdef"

// scrape reads /metrics with the token and parses it as Prometheus does.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsTestToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("scrape: %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the scrape is not valid Prometheus text: %v", err)
	}
	return fams
}

// value sums the family's samples whose labels include want.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	sum, found := 0.0, false
next:
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		found = true
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		case m.Untyped != nil:
			sum += m.Untyped.GetValue()
		}
	}
	return sum, found
}

// seedTaxRules adds the rates in force, which product pages need.
func seedTaxRules(t *testing.T, d *db.DB) {
	t.Helper()
	for class, bp := range map[string]int{"standard": 1000, "reduced": 800} {
		if _, err := d.Exec(context.Background(), `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)`,
			class, bp, time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), MetricsToken: metricsTestToken, MetricsAllow: "10.99.0.0/16", RateLimits: "checkout.confirm.ip=1/30m"}
	base, logs := startLoggedShop(t, cfg, nil)
	d := openShopDB(t, cfg)
	vid := seedProduct(t, d, "measured", "standard", []string{"MEAS-1"}, []int{10})[0]
	seedTaxRules(t, d)

	for _, c := range []struct {
		name, auth string
		status     int
	}{
		{"no token", "", 401},
		{"wrong token", "Bearer metrics-token-0123456789abcdeX", 401},
		{"basic auth", "Basic " + metricsTestToken, 401},
	} {
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.status)
		}
	}

	before := scrape(t, base)
	for range 3 {
		get(t, base+"/products/measured")
	}
	number := buyOne(t, base, vid)
	b := newBuyer(t, base)
	b.post(base+"/mypage/login", url.Values{"email": {"nobody@example.jp"}, "password": {"wrong-password-here"}})
	confirm := orderForm("", "cod")
	confirm.Del("key")
	b.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"1"}})
	b.post(base+"/checkout", confirm)
	if resp, _, _ := b.post(base+"/checkout", confirm); resp.StatusCode != 429 {
		t.Fatalf("second confirmation: %d, want 429", resp.StatusCode)
	}
	after := scrape(t, base)

	moved := func(what, name string, labels map[string]string, atLeast float64) {
		t.Helper()
		b, _ := value(before, name, labels)
		a, ok := value(after, name, labels)
		if !ok || a-b < atLeast {
			t.Errorf("%s: %s%v went from %v to %v (present: %v), want +%v", what, name, labels, b, a, ok, atLeast)
		}
	}
	route := map[string]string{"route": "/products/{slug}", "method": "GET"}
	moved("product page requests", "akinai_http_requests_total", map[string]string{"route": "/products/{slug}", "method": "GET", "code": "200"}, 3)
	moved("product page latency", "akinai_http_request_duration_seconds", route, 3)
	moved("orders", "akinai_orders", map[string]string{"status": "new"}, 1)
	moved("order mail queued", "akinai_queue_jobs", map[string]string{"queue": "outbox", "status": "pending"}, 1)
	moved("sign-in failures", "akinai_signin_failures_total", nil, 1)
	moved("rate-limit refusals", "akinai_rate_limit_refusals_total", nil, 1)
	moved("page cache hits", "akinai_page_cache_requests_total", map[string]string{"result": "hit"}, 1)
	for _, name := range []string{"akinai_db_connections_max", "akinai_queue_lag_seconds", "akinai_queue_oldest_pending_age_seconds", "akinai_build_info", "go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := value(after, name, nil); !ok {
			t.Errorf("no %s in the scrape", name)
		}
	}
	if v, _ := value(after, "akinai_metrics_query_errors", nil); v != 0 {
		t.Errorf("%v metrics queries failed", v)
	}
	// Route patterns only: no raw path, no order number, no admin path.
	admin := adminPathOf(setupPath(t, logs))
	for _, f := range after {
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if v := l.GetValue(); strings.Contains(v, "measured") || strings.Contains(v, number) || strings.Contains(v, admin) {
					t.Errorf("%s has a label %s=%q from a raw path", f.GetName(), l.GetName(), v)
				}
			}
		}
	}
}

func TestMetricsAccessAndProfiler(t *testing.T) {
	t.Parallel()
	off := startShop(t, Config{DataDir: t.TempDir()})
	if resp, _ := get(t, off+"/metrics"); resp.StatusCode != 404 {
		t.Fatalf("/metrics with neither token nor allow list: %d, want 404", resp.StatusCode)
	}
	allowed := startShop(t, Config{DataDir: t.TempDir(), MetricsAllow: "127.0.0.0/8"})
	if resp, body := get(t, allowed+"/metrics"); resp.StatusCode != 200 || !strings.Contains(body, "akinai_build_info") {
		t.Fatalf("/metrics from an allowed address: %d", resp.StatusCode)
	}
	// The profiler: from this machine yes, through a proxy no.
	if resp, body := get(t, off+"/debug/pprof/"); resp.StatusCode != 200 || !strings.Contains(body, "goroutine") {
		t.Fatalf("pprof from loopback: %d", resp.StatusCode)
	}
	if resp, _ := get(t, off+"/debug/pprof/heap"); resp.StatusCode != 200 {
		t.Fatalf("heap profile from loopback: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", off+"/debug/pprof/goroutine?debug=1", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("pprof through a proxy: %d, want 404", resp.StatusCode)
	}
}

// Under the admin path the profiler needs a signed-in owner.
func TestProfilerForTheOwner(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{DataDir: t.TempDir()}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	anon := newClient(t, base)
	if r := anon.get(admin + "/debug/pprof/goroutine?debug=1"); r.status == 200 {
		t.Fatalf("admin pprof without a session: 200")
	}
	owner, _ := setupOwner(t, base, setup)
	owner.get(admin+"/debug/pprof/goroutine?debug=1").want(t, "owner's pprof", 200, "goroutine profile")
}
