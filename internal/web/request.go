// Package web is Akinai's HTTP plumbing: the middleware every request
// passes (request ID, client address, language, security headers, CSRF),
// the template renderer with its layouts, the error adapter that turns a
// handler's error into a status code and a localised page, and the server
// with graceful shutdown. Feature packages bring their own routes and
// templates; web knows nothing about products or orders.
package web

import (
	"context"
	"net/http"
	"net/netip"

	"github.com/akinai/akinai/internal/i18n"
)

// Request holds what the middleware learned about a request.
type Request struct {
	ID       string
	ClientIP netip.Addr
	Lang     i18n.Lang
	// CSRF is the token forms must echo in their "csrf" field.
	CSRF string
	// Secure reports whether the client reached us over TLS (directly or
	// through a trusted proxy), which decides the cookie flags.
	Secure bool
	// fieldErrors are the fields of the request's form that were not text
	// (see FieldErrors).
	fieldErrors map[string]string
	// Pattern is the ServeMux pattern that served the request ("GET
	// /products/{slug}"), set by RecordPattern; metrics label by it, never
	// by the raw path.
	Pattern string
}

// RecordPattern serves r with mux and keeps the pattern it matched in the
// request's Request, where the middleware's Observe finds it.
func RecordPattern(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r) // sets r.Pattern on this very request
		if v, ok := r.Context().Value(ctxKey{}).(*Request); ok {
			v.Pattern = r.Pattern
		}
	})
}

type ctxKey struct{}

// Info returns the request's Request, or a zero one outside middleware.
func Info(r *http.Request) *Request {
	if v, ok := r.Context().Value(ctxKey{}).(*Request); ok {
		return v
	}
	return &Request{Lang: i18n.Default}
}

// WithInfo returns a copy of ctx carrying info; tests use it to call
// handlers without the middleware.
func WithInfo(ctx context.Context, info *Request) context.Context {
	return context.WithValue(ctx, ctxKey{}, info)
}

// Lang returns the request's language.
func Lang(r *http.Request) i18n.Lang { return Info(r).Lang }

// T translates key into the request's language.
func T(r *http.Request, key string, args ...any) string {
	return i18n.T(Lang(r), key, args...)
}
