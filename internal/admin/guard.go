package admin

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/clientip"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// current is the signed-in admin of a request.
type current struct {
	admin *Admin
	sess  *Session
}

type ctxKey struct{}

func cur(r *http.Request) *current {
	c, _ := r.Context().Value(ctxKey{}).(*current)
	return c
}

// handlerFunc is an admin handler: it receives the signed-in admin.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *current) error

// public serves a page anyone may reach from a permitted address: the
// headers every admin response gets, the IP lists, and errors rendered in
// the admin's layout.
func (h *Handlers) public(fn web.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Robots-Tag", "noindex, nofollow")
		hd.Set("Cache-Control", "no-store")
		hd.Set("Referrer-Policy", "no-referrer")
		ok, err := h.addressPermitted(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !ok {
			h.Log.Warn("admin request from a blocked address", "request_id", web.Info(r).ID, "client", web.Info(r).ClientIP, "path", r.URL.Path)
			h.auditLimited(r, nil, "ip.blocked", r.URL.Path, nil)
			// The storefront's ordinary 404: nothing says an admin is here.
			h.Render.NotFound(w, r)
			return
		}
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// fail renders err on the admin's error page (or as JSON for fetch).
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.Render.ErrorWith(w, r, err, "admin_error")
}

// addressPermitted checks the client address against the configured and
// the stored IP lists.
func (h *Handlers) addressPermitted(r *http.Request) (bool, error) {
	l, err := h.ipList(r.Context())
	if err != nil {
		return false, err
	}
	return l.Permits(web.Info(r).ClientIP), nil
}

// ipList is the configured lists plus the rules edited in the panel.
func (h *Handlers) ipList(ctx context.Context) (clientip.List, error) {
	l := clientip.List{Allow: append([]netip.Prefix(nil), h.Config.Allow...), Deny: append([]netip.Prefix(nil), h.Config.Deny...)}
	rules, err := IPRules(ctx, h.DB)
	if err != nil {
		return l, err
	}
	for _, ru := range rules {
		if ru.Kind == "allow" {
			l.Allow = append(l.Allow, ru.Prefix)
		} else {
			l.Deny = append(l.Deny, ru.Prefix)
		}
	}
	return l, nil
}

// panel serves a signed-in page of area needing access: no session sends
// the browser to sign in; a role without access gets 403 and an audit
// entry.
func (h *Handlers) panel(area Area, need Access, fn handlerFunc) http.Handler {
	return h.public(func(w http.ResponseWriter, r *http.Request) error {
		c, err := h.signedIn(w, r, stageActive)
		if c == nil || err != nil {
			return err
		}
		if !c.admin.Can(area, need) {
			h.audit(r, c.admin, "permission.denied", r.Method+" "+r.URL.Path, map[string]any{"area": string(area), "role": string(c.admin.Role)})
			return &shop.Error{Kind: shop.Forbidden, Key: "error.forbidden"}
		}
		return fn(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, c)), c)
	})
}

// sudo is panel for sensitive actions: the admin must have proved who
// they are within the last ten minutes, or is sent to confirm first.
func (h *Handlers) sudo(area Area, need Access, fn handlerFunc) http.Handler {
	return h.panel(area, need, func(w http.ResponseWriter, r *http.Request, c *current) error {
		if h.DB.Now().Before(c.sess.SudoUntil) {
			return fn(w, r, c)
		}
		if r.Method == http.MethodGet {
			http.Redirect(w, r, h.base+"/sudo?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		return &shop.Error{Kind: shop.Forbidden, Key: "admin.sudo.required"}
	})
}

// enrolling serves the pages a session may use before its first factor
// exists (and, later, when adding more).
func (h *Handlers) enrolling(fn handlerFunc) http.Handler { return h.inStage(stageEnrol, fn) }

// anyStage serves a page every session may use, whatever its stage
// (sign-out).
func (h *Handlers) anyStage(fn handlerFunc) http.Handler { return h.inStage(stageAny, fn) }

// mfaStep serves the second-factor step: a session past the password.
func (h *Handlers) mfaStep(fn handlerFunc) http.Handler { return h.inStage(stageMFA, fn) }

// inStage serves fn to a session in stage (see signedIn).
func (h *Handlers) inStage(stage string, fn handlerFunc) http.Handler {
	return h.public(func(w http.ResponseWriter, r *http.Request) error {
		c, err := h.signedIn(w, r, stage)
		if c == nil || err != nil {
			return err
		}
		return fn(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, c)), c)
	})
}

// signedIn returns the request's session if it is in stage (an active
// session also passes for stageEnrol; any session for stageAny). Otherwise it answers (redirect to
// the right step, or 401 for fetch) and returns nil.
func (h *Handlers) signedIn(w http.ResponseWriter, r *http.Request, stage string) (*current, error) {
	s, a, err := h.session(r.Context(), r)
	if err != nil {
		return nil, err
	}
	if s != nil && (s.Stage == stage || stage == stageAny || (stage == stageEnrol && s.Stage == stageActive)) {
		return &current{admin: a, sess: s}, nil
	}
	if s != nil && s.restricted() {
		// A restricted session (a recovery code) asked for a page outside
		// enrolment: refused here, for every route behind the guard.
		h.auditLimited(r, a, "session.restricted_refused", r.Method+" "+r.URL.Path, map[string]any{"factor": s.Factor})
	}
	if r.Method != http.MethodGet {
		return nil, &shop.Error{Kind: shop.Unauthorized, Key: "admin.signin.required"}
	}
	to := h.base + "/login"
	if s != nil && s.Stage == stageEnrol {
		to = h.base + "/enrol"
	} else if s != nil && s.Stage == stageMFA {
		to = h.base + "/login/2fa"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil, nil
}

// audit records a security event for the request, logging (not failing)
// when the database refuses.
func (h *Handlers) audit(r *http.Request, a *Admin, action, target string, details map[string]any) {
	if err := audit.Record(r.Context(), h.DB, h.entry(r, a, action, target, details)); err != nil {
		h.Log.Error("audit append failed", "request_id", web.Info(r).ID, "action", action, "err", err)
	}
}

// auditLimited is audit for events an anonymous client can cause at will
// (a blocked address, a browser's error report): at most 30 entries per
// address and hour reach the audit log, so a scanner cannot flood it; the
// server log still has every one.
func (h *Handlers) auditLimited(r *http.Request, a *Admin, action, target string, details map[string]any) {
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		ok, _, err := throttle.Hit(r.Context(), tx, "admin.audit."+action, web.Info(r).ClientIP.String(), 30, time.Hour)
		if err != nil || !ok {
			return err
		}
		_, err = audit.Append(r.Context(), tx, h.entry(r, a, action, target, details))
		return err
	})
	if err != nil {
		h.Log.Error("audit append failed", "request_id", web.Info(r).ID, "action", action, "err", err)
	}
}

// entry builds an audit entry for the request, by a (nil: anonymous).
func (h *Handlers) entry(r *http.Request, a *Admin, action, target string, details map[string]any) audit.Entry {
	e := AuditEntry(r, action, target, details)
	e.ActorID, e.Actor = 0, ""
	if a != nil {
		e.ActorID, e.Actor = a.ID, a.Email
	}
	return e
}
