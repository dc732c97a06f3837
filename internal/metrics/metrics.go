// Package metrics serves /metrics in the Prometheus text format: request
// counts and latencies per route pattern, and, read at scrape time, the
// shop's orders and payments, the job queues (depth, age, lag, lease
// holders), the database pools, the page cache, rate-limit refusals and
// sign-in failures. Access needs a bearer token or an allowed address.
package metrics

import (
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/akinai/akinai/internal/buildinfo"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

// Sources are what the scrape-time collector reads besides the database.
type Sources struct {
	DB *db.DB
	// PageCache returns the shared page cache's hits and misses.
	PageCache func() (hits, misses int64)
	// Refused and Failures return per-bucket counts of rate-limit
	// refusals and recorded failures (throttle.Refused, throttle.Failures).
	Refused, Failures func() map[string]int64
	// HidePrefix is replaced by "/{admin}" in route labels: the secret
	// admin path must not leak to whoever reads the metrics.
	HidePrefix string
}

// Metrics holds the registry and the request instruments.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	hide     string
}

// New builds the registry with the Go runtime, process, build and shop
// collectors.
func New(src Sources) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), hide: src.HidePrefix}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "akinai_http_requests_total",
		Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "akinai_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	info := buildinfo.Read()
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "akinai_build_info",
		Help:        "Always 1; the labels say which Akinai runs.",
		ConstLabels: prometheus.Labels{"version": info.Version, "revision": info.Revision, "goversion": info.GoVersion},
	})
	build.Set(1)
	m.reg.MustRegister(m.requests, m.duration, build,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&shopCollector{src: src})
	return m
}

// Observe records one finished request; wire it as web.Config.Observe.
func (m *Metrics) Observe(r *http.Request, status int, d time.Duration) {
	route, method := m.Route(web.Info(r).Pattern), r.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // any word is a method: keep the label set small
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
}

// Route turns a ServeMux pattern into a label: the method is dropped (it
// has its own label), the admin path hidden, and a request no pattern
// matched is "unmatched".
func (m *Metrics) Route(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		pattern = path
	}
	if m.hide != "" && strings.HasPrefix(pattern, m.hide) && (len(pattern) == len(m.hide) || pattern[len(m.hide)] == '/') {
		pattern = "/{admin}" + pattern[len(m.hide):]
	}
	return pattern
}

// Access says who may read /metrics: a request with the bearer token, or
// from an allowed address. With neither set, /metrics does not exist.
type Access struct {
	Token string
	Allow []netip.Prefix
	// NotFound answers those refused without a token (default http.NotFound).
	NotFound http.Handler
}

// Handler serves the metrics to those acc lets in: 404 when metrics are
// off or the address is not allowed and no token is set, 401 for a
// missing or wrong token.
func (m *Metrics) Handler(acc Access) http.Handler {
	inner := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	if acc.NotFound == nil {
		acc.NotFound = http.NotFoundHandler()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		ip := web.Info(r).ClientIP
		for _, p := range acc.Allow {
			if p.Contains(ip.Unmap()) {
				inner.ServeHTTP(w, r)
				return
			}
		}
		if acc.Token == "" {
			acc.NotFound.ServeHTTP(w, r)
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(acc.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="akinai metrics"`)
			http.Error(w, "a bearer token is required", http.StatusUnauthorized)
			return
		}
		inner.ServeHTTP(w, r)
	})
}
