// Package api is the Admin REST API under /api/v1: products, variants,
// stock, categories, orders, shipments, customers, coupons and points, for
// partner systems (a warehouse, an accounting package) and plugins. It is
// a surface of its own: a token carries only its scopes, never reaches the
// admin panel (which knows sessions and passkeys only) and cannot create
// tokens. Tokens are made in the admin (admin.go) with sudo.
//
// Every response is JSON; every error is an RFC 9457 problem. The API
// answers 404 until the first token exists.
package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Prefix is where the API lives.
const Prefix = "/api/v1/"

// Config is what the API needs. Only DB is required.
type Config struct {
	DB  *db.DB
	Log *slog.Logger
	// ClientIP returns the client's address (as the shop's middleware
	// resolved it); nil uses the socket address. A plugin calling the API
	// in-process sets RemoteAddr to a loopback address.
	ClientIP func(*http.Request) netip.Addr
	// CatalogChanged is called after a write that changed products or
	// stock (the storefront's caches).
	CatalogChanged func()
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// Handler serves the API. Make it with New; it is an http.Handler, so a
// plugin can call it in-process: build an *http.Request for
// "/api/v1/…" with "Authorization: Bearer <its token>" and call
// ServeHTTP with any ResponseWriter (see docs/API.md).
type Handler struct {
	cfg     Config
	mux     *http.ServeMux
	limits  *limiter
	usage   *usage
	routes  []string     // the patterns handle mounted, for the OpenAPI test
	enabled atomic.Bool  // once a token exists, the API stays on
	checked atomic.Int64 // unix nanos of the last "any token?" probe
}

// New returns the API handler.
func New(cfg Config) *Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = socketIP
	}
	if cfg.CatalogChanged == nil {
		cfg.CatalogChanged = func() {}
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), limits: newLimiter(), usage: newUsage()}
	h.mount()
	return h
}

// Match reports whether r is for the API (the shop mounts it on Prefix
// and exempts it from the CSRF form token: it authenticates by bearer
// token, never by cookie).
func Match(r *http.Request) bool {
	return r.URL.Path == strings.TrimSuffix(Prefix, "/") || strings.HasPrefix(r.URL.Path, Prefix)
}

type ctxKey struct{}

// tokenOf returns the request's authenticated token.
func tokenOf(r *http.Request) *Token { t, _ := r.Context().Value(ctxKey{}).(*Token); return t }

// ServeHTTP authenticates the request, applies the token's rate limit and
// IP list, and dispatches it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.on(r.Context()) {
		writeProblem(w, r, problem(http.StatusNotFound, "not-found"))
		return
	}
	if r.Method == http.MethodGet && r.URL.Path == Prefix+"openapi.json" {
		serveOpenAPI(w, r)
		return
	}
	t, p := h.authenticate(r)
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	if t != nil {
		defer func() { h.usage.add(t.ID, h.cfg.Now(), r.Method, sw.status, h.cfg.ClientIP(r)) }()
	}
	if p != nil {
		writeProblem(sw, r, p)
		return
	}
	if wait, ok := h.limits.take(t.ID, t.RatePerMin, h.cfg.Now()); !ok {
		pr := problem(http.StatusTooManyRequests, "rate-limited", t.RatePerMin)
		pr.RetryAfter = wait
		writeProblem(sw, r, pr)
		return
	}
	sw.Header().Set("Cache-Control", "no-store")
	h.mux.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), ctxKey{}, t)))
}

// on reports whether any token has ever been made. A "no" is asked again
// at most every two seconds; a "yes" is kept.
func (h *Handler) on(ctx context.Context) bool {
	if h.enabled.Load() {
		return true
	}
	if last := h.checked.Load(); last != 0 && time.Now().UnixNano()-last < int64(2*time.Second) {
		return false
	}
	var one int
	if err := h.cfg.DB.QueryRow(ctx, `SELECT 1 FROM api_tokens LIMIT 1`).Scan(&one); err == nil {
		h.enabled.Store(true)
		return true
	}
	h.checked.Store(time.Now().UnixNano())
	return false
}

// Enable switches the API on at once (after the admin made the first
// token on this instance).
func (h *Handler) Enable() { h.enabled.Store(true) }

// authenticate finds the bearer token and checks it: unknown, revoked or
// expired → 401; from an address outside its allow list → 403.
func (h *Handler) authenticate(r *http.Request) (*Token, *Problem) {
	auth := r.Header.Get("Authorization")
	secret, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, problem(http.StatusUnauthorized, "unauthenticated")
	}
	t, err := tokenBySecret(r.Context(), h.cfg.DB, strings.TrimSpace(secret))
	if err != nil {
		return nil, asProblem(h.cfg.Log, r, err)
	}
	switch {
	case t == nil:
		return nil, problem(http.StatusUnauthorized, "unauthenticated")
	case t.RevokedAt != nil:
		return t, problem(http.StatusUnauthorized, "revoked-token")
	case !h.cfg.Now().Before(t.ExpiresAt):
		return t, problem(http.StatusUnauthorized, "expired-token")
	case !t.Allows(h.cfg.ClientIP(r)):
		return t, problem(http.StatusForbidden, "address-not-allowed")
	}
	return t, nil
}

// handler is an API endpoint: it returns an error (a *Problem or a shop
// error) instead of writing one.
type handler func(w http.ResponseWriter, r *http.Request, t *Token) error

// handle mounts fn at pattern for tokens with area:level; writes also go
// through the Idempotency-Key layer.
func (h *Handler) handle(pattern, area, level string, fn handler) {
	write := level == "write"
	h.routes = append(h.routes, pattern)
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		t := tokenOf(r)
		if !Has(t.Scopes, area, level) {
			writeProblem(w, r, problem(http.StatusForbidden, "insufficient-scope", area+":"+level))
			return
		}
		run := func(w http.ResponseWriter, r *http.Request) {
			if err := fn(w, r, t); err != nil {
				writeProblem(w, r, asProblem(h.cfg.Log, r, err))
			}
		}
		if write {
			h.idempotent(w, r, t, run)
			return
		}
		run(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

func socketIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}
