package admin

import (
	"context"
	"net/http"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// Throttle buckets of the sign-in forms.
const (
	bucketAccount = "admin.signin.account"
	bucketAddress = "admin.signin.address"
	bucketMFA     = "admin.mfa.account"
)

type loginForm struct {
	Email   string
	Message string // i18n key of the one message every failure shows
}

// loginPage shows the sign-in form. GET /{admin}/login
func (h *Handlers) loginPage(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, http.StatusOK, "admin_login", "admin.login.title", &loginForm{})
}

// login checks the password step. POST /{admin}/login
//
// Whatever went wrong — unknown email, wrong password, disabled account —
// the answer is the same message with the same status, and an unknown
// email costs the same argon2id work, so the form tells nobody which
// accounts exist. Failures back off per account and per address, in the
// database so every instance counts them.
func (h *Handlers) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := NormaliseEmail(r.PostFormValue("email"))
	pw := r.PostFormValue("password")
	ip := web.Info(r).ClientIP
	addr := ip.String()
	f := &loginForm{Email: email, Message: "admin.login.failed"}
	a, err := AdminByEmail(ctx, h.DB, email)
	if shop.KindOf(err) == shop.NotFound {
		a, err = nil, nil
	}
	if err != nil {
		return err
	}
	bucket, key, err := h.passwordBucket(ctx, a, email, ip)
	if err != nil {
		return err
	}
	if wait, err := h.blocked(ctx, bucket, key, addr); err != nil || wait > 0 {
		if err != nil {
			return err
		}
		h.audit(r, nil, "signin.throttled", email, map[string]any{"retry_after_s": int(wait.Seconds()) + 1, "bucket": bucket})
		return tooMany(wait)
	}
	ok := false
	switch {
	case a != nil && len(pw) <= auth.MaxPasswordBytes:
		ok, _, err = auth.CheckPassword(a.PasswordHash, pw)
		ok = ok && a.Status == "active"
	case a == nil:
		auth.DummyCheck()
	}
	if err != nil {
		return err
	}
	if !ok {
		details := map[string]any{"step": "password", "factor": "password"}
		if a == nil {
			details["account"] = "unknown"
		}
		if err := h.recordFailure(ctx, r, a, email, bucket, key, addr, details); err != nil {
			return err
		}
		return h.page(w, r, http.StatusUnauthorized, "admin_login", "admin.login.title", f)
	}
	stage, to := stageMFA, h.base+"/login/2fa"
	if n, err := h.factorCount(ctx, a); err != nil {
		return err
	} else if n == 0 {
		stage, to = stageEnrol, h.base+"/enrol"
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := throttle.Reset(ctx, tx, bucket, key); err != nil {
			return err
		}
		if _, err := audit.Append(ctx, tx, h.entry(r, a, "signin.password_ok", a.Email, map[string]any{"next": stage})); err != nil {
			return err
		}
		if err := h.endSession(ctx, tx, w, r); err != nil {
			return err
		}
		return h.startSession(ctx, tx, w, r, a.ID, stage, "")
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// blocked is how long the password step must still wait: the account's
// counter that applies to this network (see passwordBucket), or the
// address.
func (h *Handlers) blocked(ctx context.Context, bucket, key, addr string) (time.Duration, error) {
	now := h.DB.Now()
	a, err := throttle.Blocked(ctx, h.DB, now, bucket, key)
	if err != nil {
		return 0, err
	}
	b, err := throttle.Blocked(ctx, h.DB, now, bucketAddress, addr)
	return max(a, b), err
}

// recordFailure counts a failed step against the account's counter (bucket
// and key from passwordBucket) and the address, and writes the audit
// entry, in one transaction.
func (h *Handlers) recordFailure(ctx context.Context, r *http.Request, a *Admin, email, bucket, key, addr string, details map[string]any) error {
	return h.DB.Tx(ctx, func(tx *db.Tx) error {
		if key != "" {
			if _, _, err := throttle.Fail(ctx, tx, h.Config.SignIn, bucket, key); err != nil {
				return err
			}
		}
		if _, _, err := throttle.Fail(ctx, tx, h.Config.SignIn, bucketAddress, addr); err != nil {
			return err
		}
		e := h.entry(r, a, "signin.failure", email, details)
		_, err := audit.Append(ctx, tx, e)
		return err
	})
}

func tooMany(wait time.Duration) error {
	s := int(wait.Seconds()) + 1
	return &shop.Error{Kind: shop.TooMany, Key: "admin.login.throttled", Args: []any{s}, RetryAfter: s}
}

// factorCount counts the admin's usable second factors.
func (h *Handlers) factorCount(ctx context.Context, a *Admin) (int, error) {
	n, err := passkeyCount(ctx, h.DB, a.ID)
	if err != nil {
		return 0, err
	}
	if a.HasTOTP() {
		n++
	}
	return n, nil
}

// logout ends the session. POST /{admin}/logout
func (h *Handlers) logout(w http.ResponseWriter, r *http.Request, c *current) error {
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if _, err := audit.Append(r.Context(), tx, h.entry(r, c.admin, "signout", c.admin.Email, nil)); err != nil {
			return err
		}
		return h.endSession(r.Context(), tx, w, r)
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.signed_out", "/login")
}
