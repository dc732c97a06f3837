package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

// Problem is an RFC 9457 problem details object. Type is a URI naming the
// kind of problem (stable, for programs); Title is its short description
// and Detail this occurrence's, both in the language the client asked
// for (Accept-Language, Japanese by default).
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors map[string]string `json:"errors,omitempty"` // field → message, for 422
	// RetryAfter is sent as the Retry-After header (seconds), not in the body.
	RetryAfter int `json:"-"`

	kind   string // "revoked-token": the title is "api.problem.<kind>"
	detail string // i18n key of the detail
	args   []any
	fields map[string]string // field → i18n key
}

func (p *Problem) Error() string { return p.Type }

// ProblemBase prefixes every problem type URI; docs/API.md describes
// each kind.
const ProblemBase = "https://akinai.dev/problems/"

// problem builds a problem of kind (a slug such as "revoked-token"), with
// the title and detail from the catalogue keys "api.problem.<kind>" and
// "api.problem.<kind>.detail" (formatted with args).
func problem(status int, kind string, args ...any) *Problem {
	return &Problem{Type: ProblemBase + kind, Status: status, kind: kind, detail: "api.problem." + kind + ".detail", args: args}
}

// writeProblem sends p as application/problem+json.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	lang := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
	out := *p
	out.Title = i18n.T(lang, "api.problem."+p.kind)
	out.Detail = i18n.T(lang, p.detail, p.args...)
	if len(p.fields) > 0 {
		out.Errors = map[string]string{}
		for f, k := range p.fields {
			out.Errors[f] = i18n.T(lang, k)
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", string(lang))
	if p.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="akinai"`)
	}
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(out)
}

// asProblem maps a handler's error to a problem: the shop's error kinds
// to their statuses, anything else to a 500 logged once with its cause
// (the client sees no internals).
func asProblem(log *slog.Logger, r *http.Request, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var se *shop.Error
	if errors.As(err, &se) {
		switch se.Kind {
		case shop.NotFound:
			return problem(http.StatusNotFound, "not-found")
		case shop.Invalid:
			pr := problem(http.StatusUnprocessableEntity, "invalid")
			pr.fields = se.Fields
			if se.Key != "" && se.Key != "error.invalid" && len(se.Fields) == 0 {
				pr.detail, pr.args = se.Key, se.Args
			}
			return pr
		case shop.Conflict, shop.SoldOut:
			pr := problem(http.StatusConflict, "conflict")
			if se.Key != "" {
				pr.detail, pr.args = se.Key, se.Args
			}
			return pr
		case shop.Forbidden:
			return problem(http.StatusForbidden, "forbidden")
		}
	}
	log.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	return problem(http.StatusInternalServerError, "internal")
}
