package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/i18n"
)

// Config configures the middleware.
type Config struct {
	Log *slog.Logger
	// Secret keys the CSRF tokens.
	Secret []byte
	// ClientIP returns the client's address; it decides whether to believe
	// X-Forwarded-For. Nil uses the socket address.
	ClientIP func(r *http.Request) netip.Addr
	// SecureRequest reports whether the client connection is TLS (directly
	// or at a trusted proxy). Nil checks r.TLS.
	SecureRequest func(r *http.Request) bool
	// MaxBody is the default request body limit (default 1 MiB); BodyLimit
	// may raise it for upload routes.
	MaxBody   int64
	BodyLimit func(r *http.Request) int64
	// CSRFExempt reports requests that authenticate otherwise (payment
	// webhooks signed by the provider).
	CSRFExempt func(r *http.Request) bool
	// Errors renders refusals (bad token, body too large).
	Errors *Renderer
	// Router is the mux behind the middleware: the form check looks up
	// whether a request's handler is a Form (which shows bad fields
	// itself) and its multi-line fields. Nil: every form is refused on a
	// bad field, and line breaks are allowed in every field.
	Router *http.ServeMux
	// Observe, when set, is told of every finished request (metrics).
	Observe func(r *http.Request, status int, d time.Duration)
}

// Middleware wraps next with everything every request needs, outermost
// first: panic recovery, request ID, client address, access log, security
// headers, body limit, language, cross-origin protection and CSRF tokens.
func Middleware(cfg Config, next http.Handler) http.Handler {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = SocketIP
	}
	if cfg.SecureRequest == nil {
		cfg.SecureRequest = func(r *http.Request) bool { return r.TLS != nil }
	}
	tokens := csrf{key: cfg.Secret}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cfg.Log.Warn("cross-origin request refused", "request_id", Info(r).ID, "path", r.URL.Path, "origin", r.Header.Get("Origin"), "client", Info(r).ClientIP)
		cfg.Errors.Refuse(w, r, http.StatusForbidden, "error.csrf")
	}))

	checked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := Info(r)
		info.CSRF = tokens.token(w, r)
		if isSafe(r.Method) || (cfg.CSRFExempt != nil && cfg.CSRFExempt(r)) {
			next.ServeHTTP(w, r)
			return
		}
		if err := parseBody(r); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				cfg.Errors.Refuse(w, r, http.StatusRequestEntityTooLarge, "ops.too_large", max(tooLarge.Limit>>20, 1))
			} else {
				cfg.Errors.Refuse(w, r, http.StatusBadRequest, "error.invalid")
			}
			return
		}
		if !tokens.valid(r) {
			cfg.Log.Warn("missing or wrong CSRF token", "request_id", info.ID, "path", r.URL.Path, "client", info.ClientIP)
			cfg.Errors.Refuse(w, r, http.StatusForbidden, "error.csrf")
			return
		}
		form := formOf(cfg.Router, r)
		var multiline map[string]bool
		if form != nil {
			multiline = form.multiline
		}
		if bad := checkForm(r, multiline); bad != nil {
			if form == nil {
				refuseFields(cfg.Errors, w, r, bad)
				return
			}
			info.fieldErrors = bad
		}
		next.ServeHTTP(w, r)
	})
	inner := cop.Handler(checked)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &Request{ID: newID(), ClientIP: cfg.ClientIP(r), Secure: cfg.SecureRequest(r), Lang: i18n.Default}
		r = r.WithContext(WithInfo(r.Context(), info))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				cfg.Log.Error("panic", "request_id", info.ID, "path", r.URL.Path, "panic", p)
				if !rec.wrote {
					cfg.Errors.Error(rec, r, errors.New("panic"))
				}
			}
			took := time.Since(start)
			cfg.Log.Info("request", "request_id", info.ID, "method", r.Method, "path", r.URL.Path,
				"status", rec.status, "bytes", rec.bytes, "duration_ms", float64(took.Microseconds())/1000, "client", info.ClientIP)
			if cfg.Observe != nil {
				cfg.Observe(r, rec.status, took)
			}
		}()
		setSecurityHeaders(rec.Header(), info.Secure)
		rec.Header().Set("X-Request-Id", info.ID)
		limit := cfg.MaxBody
		if cfg.BodyLimit != nil {
			if n := cfg.BodyLimit(r); n > 0 {
				limit = n
			}
		}
		r.Body = http.MaxBytesReader(rec, r.Body, limit)
		info.Lang = language(rec, r)
		inner.ServeHTTP(rec, r)
	})
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// parseBody parses a form body once, so that a body over the limit is
// reported as such rather than as a missing token. JSON bodies are left to
// the handler (their token travels in X-CSRF-Token).
func parseBody(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		return r.ParseMultipartForm(8 << 20)
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		return r.ParseForm()
	}
	return nil
}

// setSecurityHeaders sends the headers every page gets. The CSP allows no
// inline script at all: pages load /static scripts only.
func setSecurityHeaders(h http.Header, secure bool) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(self)")
	if secure {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

// language picks the request's language: ?lang= (remembered in a cookie
// for a year), then the cookie, then Japanese.
func language(w http.ResponseWriter, r *http.Request) i18n.Lang {
	if q := r.URL.Query().Get("lang"); q != "" {
		if l, ok := i18n.Parse(q); ok {
			SetCookie(w, r, "lang", string(l), 365*24*time.Hour, http.SameSiteLaxMode)
			return l
		}
	}
	if l, ok := i18n.Parse(Cookie(r, "lang")); ok {
		return l
	}
	return i18n.Default
}

// SocketIP returns the address of the connection's peer.
func SocketIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status = code
		s.wrote = true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flush,
// deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
