package customer

import (
	"math"
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// failBucket holds the sign-in failure back-off per account.
const failBucket = "customer.signin.fail"

type loginForm struct {
	Email    string
	Next     string
	Remember bool
	Message  string
	Errors   map[string]string // fields that were not text (web.FieldErrors)
	Passkeys bool              // offer "sign in with a passkey"
}

func (h *Handlers) loginPage(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, http.StatusOK, "customer_login", "customer.login.title", &loginForm{Next: safeNext(r.URL.Query().Get("next")), Passkeys: h.wa != nil})
}

// safeNext keeps a return path on this site.
func safeNext(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") || strings.ContainsAny(s, "\r\n") {
		return "/mypage"
	}
	return s
}

// login checks the limits per address and per account, the account's
// failure back-off, then the password. Every failure gives the same
// message after the same work.
func (h *Handlers) login(w http.ResponseWriter, r *http.Request) error {
	f := &loginForm{Email: formValue(r, "email"), Next: safeNext(r.PostFormValue("next")), Remember: r.PostFormValue("remember") == "1"}
	ctx := r.Context()
	if err := h.allow(r, throttle.CustomerSignInIP, ip(r)); err != nil {
		return err
	}
	if errs := web.FieldErrors(r, nil); len(errs) > 0 {
		f.Errors, f.Passkeys = errs, h.wa != nil
		return h.page(w, r, http.StatusUnprocessableEntity, "customer_login", "customer.login.title", f)
	}
	email, _ := jp.Email(f.Email)
	key := accountKey(email)
	if err := h.allow(r, throttle.CustomerSignInAccount, key+"|"+ip(r)); err != nil {
		return err
	}
	if left, err := throttle.Blocked(ctx, h.Store.DB, h.Store.DB.Now(), failBucket, key); err != nil {
		return err
	} else if left > 0 {
		secs := int(math.Ceil(left.Seconds()))
		return &shop.Error{Kind: shop.TooMany, Key: "error.too_many", Args: []any{secs}, RetryAfter: secs}
	}
	c, err := h.Store.Authenticate(ctx, email, r.PostFormValue("password"))
	if err == ErrCredentials {
		if err := h.Store.DB.Tx(ctx, func(tx *db.Tx) error {
			_, _, err := throttle.Fail(ctx, tx, throttle.SignIn, failBucket, key)
			return err
		}); err != nil {
			return err
		}
		f.Message = web.Message(r, ErrCredentials)
		f.Passkeys = h.wa != nil
		return h.page(w, r, http.StatusUnauthorized, "customer_login", "customer.login.title", f)
	}
	if err != nil {
		return err
	}
	if err := h.Store.DB.Tx(ctx, func(tx *db.Tx) error { return throttle.Reset(ctx, tx, failBucket, key) }); err != nil {
		return err
	}
	// A new session ID at every sign-in (ASVS 7.2.4); the old one, if
	// any, ends.
	_ = h.Store.EndSession(ctx, web.Cookie(r, sessionCookie))
	t, err := h.Store.StartSession(ctx, c.ID, f.Remember, deviceOf(r))
	if err != nil {
		return err
	}
	h.setCookies(w, r, t)
	if err := h.Carts.SignIn(w, r, c.ID); err != nil {
		return err
	}
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
	return nil
}

// logout ends the session and the remember token of this browser.
func (h *Handlers) logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.Store.EndSession(r.Context(), web.Cookie(r, sessionCookie), web.Cookie(r, rememberCookie)); err != nil {
		return err
	}
	web.SetCookie(w, r, sessionCookie, "", -1, http.SameSiteLaxMode)
	web.SetCookie(w, r, rememberCookie, "", -1, http.SameSiteLaxMode)
	cart.SignOut(w, r)
	order.Forget(w, r)
	web.SetFlash(w, r, "customer.logged_out")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (h *Handlers) forgotPage(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, r, http.StatusOK, "customer_forgot", "customer.forgot.title", &formPage{})
}

// forgot mails a reset link if the address has an active account; the
// page says the same either way.
func (h *Handlers) forgot(w http.ResponseWriter, r *http.Request) error {
	if err := h.allow(r, throttle.PasswordResetIP, ip(r)); err != nil {
		return err
	}
	email, err := jp.Email(formValue(r, "email"))
	if errs := web.FieldErrors(r, nil); err != nil || len(errs) > 0 {
		if len(errs) == 0 {
			errs["email"] = "customer.bad_email"
		}
		return h.page(w, r, http.StatusUnprocessableEntity, "customer_forgot", "customer.forgot.title",
			&formPage{Errors: errs, Values: map[string]string{"email": formValue(r, "email")}})
	}
	if err := h.Store.RequestReset(r.Context(), email); err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "customer_sent", "customer.sent.title", map[string]string{"Key": "customer.forgot.sent"})
}

func (h *Handlers) resetPage(w http.ResponseWriter, r *http.Request) error {
	tok := r.URL.Query().Get("token")
	if !h.Store.LinkValid(r.Context(), tok, "reset") {
		return ErrLink
	}
	return h.page(w, r, http.StatusOK, "customer_reset", "customer.reset.title", &formPage{Values: map[string]string{"token": tok}})
}

// reset sets the new password; a refused password shows the form again
// and leaves the link usable.
func (h *Handlers) reset(w http.ResponseWriter, r *http.Request) error {
	if err := h.allow(r, throttle.PasswordResetIP, ip(r)); err != nil {
		return err
	}
	tok, pw := r.PostFormValue("token"), r.PostFormValue("password")
	fp := &formPage{Values: map[string]string{"token": tok}}
	if errs := web.FieldErrors(r, nil); len(errs) > 0 {
		fp.Errors = errs
		return h.page(w, r, http.StatusUnprocessableEntity, "customer_reset", "customer.reset.title", fp)
	}
	if pw != r.PostFormValue("password2") {
		fp.Errors = map[string]string{"password2": "customer.password_mismatch"}
		return h.page(w, r, http.StatusUnprocessableEntity, "customer_reset", "customer.reset.title", fp)
	}
	err := h.Store.ResetPassword(r.Context(), tok, pw)
	if e, ok := err.(*shop.Error); ok && e.Fields != nil {
		fp.Errors = e.Fields
		return h.page(w, r, http.StatusUnprocessableEntity, "customer_reset", "customer.reset.title", fp)
	}
	if err != nil {
		return err
	}
	web.SetCookie(w, r, sessionCookie, "", -1, http.SameSiteLaxMode)
	web.SetCookie(w, r, rememberCookie, "", -1, http.SameSiteLaxMode)
	web.SetFlash(w, r, "customer.reset.done")
	http.Redirect(w, r, "/mypage/login", http.StatusSeeOther)
	return nil
}
