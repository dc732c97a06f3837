package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/shop"
)

// HandlerFunc is an http.HandlerFunc that returns an error; Handle turns
// the error into a response, so handlers read top to bottom.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adapts h to http.Handler, rendering a returned error with the
// storefront's error page.
func (r *Renderer) Handle(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if err := h(w, req); err != nil {
			r.Error(w, req, err)
		}
	})
}

// ErrorPage is the template data of the error page.
type ErrorPage struct {
	Status  int
	Message string
	Fields  map[string]string
}

var kindStatus = map[shop.Kind]int{
	shop.Internal:     http.StatusInternalServerError,
	shop.NotFound:     http.StatusNotFound,
	shop.Invalid:      http.StatusUnprocessableEntity,
	shop.Conflict:     http.StatusConflict,
	shop.SoldOut:      http.StatusConflict,
	shop.Forbidden:    http.StatusForbidden,
	shop.Unauthorized: http.StatusUnauthorized,
	shop.TooMany:      http.StatusTooManyRequests,
	shop.Unavailable:  http.StatusServiceUnavailable,
}

// Status returns the HTTP status for err's kind.
func Status(err error) int { return kindStatus[shop.KindOf(err)] }

// Message returns the user-safe, localised message for err. Internal
// errors never show their cause, only the request ID to quote.
func Message(req *http.Request, err error) string {
	var e *shop.Error
	if errors.As(err, &e) && e.Kind != shop.Internal {
		if e.Kind == shop.TooMany && len(e.Args) == 0 {
			return T(req, e.Key, e.RetryAfter)
		}
		return T(req, e.Key, e.Args...)
	}
	return T(req, "error.internal", Info(req).ID)
}

// Error writes err as a page (or JSON for API clients) with the status of
// its kind, and logs internal errors once with the request ID.
func (r *Renderer) Error(w http.ResponseWriter, req *http.Request, err error) {
	r.ErrorWith(w, req, err, "error")
}

// ErrorWith is Error with another error page, e.g. the admin's.
func (r *Renderer) ErrorWith(w http.ResponseWriter, req *http.Request, err error, page string) {
	status := Status(err)
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInternalServerError {
		r.Log.Error("internal error", "request_id", Info(req).ID, "path", req.URL.Path, "err", err)
	}
	var e *shop.Error
	if errors.As(err, &e) && e.Kind == shop.TooMany && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	if e != nil && e.Kind == shop.Unavailable && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	w.Header().Set("Cache-Control", "no-store")
	if wantsJSON(req) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": Message(req, err), "status": status})
		return
	}
	ep := &ErrorPage{Status: status, Message: Message(req, err)}
	if e != nil {
		ep.Fields = e.Fields
	}
	title := "error.title"
	switch status {
	case http.StatusNotFound:
		title = "error.not_found.title"
	case http.StatusServiceUnavailable:
		title = "ops.unavailable.title"
	}
	p := &Page{Title: T(req, title), Data: ep, NoIndex: true}
	if rerr := r.Render(w, req, status, page, p); rerr != nil {
		r.Log.Error("render error page", "request_id", Info(req).ID, "err", rerr)
		http.Error(w, Message(req, err), status)
	}
}

// Refuse writes a refusal with a message key (and its arguments), for
// the middleware.
func (r *Renderer) Refuse(w http.ResponseWriter, req *http.Request, status int, key string, args ...any) {
	kind := map[int]shop.Kind{403: shop.Forbidden, 400: shop.Invalid, 413: shop.Invalid, 404: shop.NotFound, 429: shop.TooMany}[status]
	err := &shop.Error{Kind: kind, Key: key, Args: args}
	ep := &ErrorPage{Status: status, Message: T(req, key, args...)}
	w.Header().Set("Cache-Control", "no-store")
	if wantsJSON(req) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": ep.Message, "status": status})
		return
	}
	p := &Page{Title: T(req, "error.title"), Data: ep, NoIndex: true}
	if rerr := r.Render(w, req, status, "error", p); rerr != nil {
		http.Error(w, Message(req, err), status)
	}
}

// NotFound renders the storefront's 404 page.
func (r *Renderer) NotFound(w http.ResponseWriter, req *http.Request) {
	r.Error(w, req, shop.ErrNotFound)
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
}
