package customer

import (
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/postal"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// registerForm is the registration page's data.
type registerForm struct {
	ProfileForm
	Email string
	Terms bool
}

func (h *Handlers) renderRegister(w http.ResponseWriter, r *http.Request, status int, f *registerForm, errs map[string]string) error {
	fields, err := h.fieldsHTML(r, f.address(), errs)
	if err != nil {
		return err
	}
	return h.page(w, r, status, "customer_register", "customer.register.title", &formPage{Errors: errs, Fields: fields, Data: f})
}

func (f *registerForm) address() AddressForm {
	return AddressForm{f.FamilyName, f.GivenName, f.FamilyKana, f.GivenKana, f.Phone, f.PostalCode, f.Pref, f.City, f.Address1, f.Address2}
}

// registerPage shows the form; ?order=NUMBER (the link on a guest's
// completion page) prefills it from that guest order, if this browser
// placed it (order.Proof) and it is a recent one without an account.
// Otherwise the form is empty, as for an unknown number.
func (h *Handlers) registerPage(w http.ResponseWriter, r *http.Request) error {
	f := &registerForm{}
	if n := r.URL.Query().Get("order"); n != "" && h.OrderProof.Holds(r, n, h.Store.DB.Now()) {
		if o, err := order.ByNumber(r.Context(), h.Store.DB, n); err == nil && o.CustomerID == nil && h.Store.DB.Now().Sub(o.CreatedAt) < ConfirmTTL {
			f.ProfileForm = FormOf(Profile{Address: o.Buyer})
			f.Email = o.Email
		}
	}
	return h.renderRegister(w, r, http.StatusOK, f, nil)
}

// register validates the form, then answers "we sent you a mail" whether
// or not the address already has an account (see Store.Register).
func (h *Handlers) register(w http.ResponseWriter, r *http.Request) error {
	if err := h.allow(r, throttle.RegisterIP, ip(r)); err != nil {
		return err
	}
	f := &registerForm{ProfileForm: ReadProfileForm(r), Email: formValue(r, "email"), Terms: r.PostFormValue("terms") == "1"}
	if r.PostFormValue("lookup") != "" {
		lookupAddress(&f.PostalCode, &f.Pref, &f.City)
		errs := web.FieldErrors(r, nil)
		return h.renderRegister(w, r, web.FormStatus(errs), f, errs)
	}
	errs := map[string]string{}
	p := f.ProfileForm.Validate(h.Store.DB.Now(), errs)
	email, err := jp.Email(f.Email)
	if err != nil {
		errs["email"] = "customer.bad_email"
	}
	if !f.Terms {
		errs["terms"] = "customer.terms_required"
	}
	pw := r.PostFormValue("password")
	if err := auth.ValidateNewPassword(pw, email, p.FamilyName, p.GivenName); err != nil {
		errs["password"] = err.(*shop.Error).Key
	} else if pw != r.PostFormValue("password2") {
		errs["password2"] = "customer.password_mismatch"
	}
	if web.FieldErrors(r, errs); len(errs) > 0 {
		return h.renderRegister(w, r, http.StatusUnprocessableEntity, f, errs)
	}
	// The stricter limit counts completed registrations only.
	if err := h.allow(r, throttle.RegisterCompleteIP, ip(r)); err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	provisional, err := h.Settings.Provisional(r.Context())
	if err != nil {
		return err
	}
	if err := h.Store.Register(r.Context(), &Registration{Email: email, PasswordHash: hash, Profile: p, Lang: string(web.Lang(r)), Immediate: !provisional}); err != nil {
		return err
	}
	if !provisional {
		// The same page whether or not the address was taken (its owner
		// gets the "someone tried" mail): no hint either way.
		web.SetFlash(w, r, "customers13.registered")
		http.Redirect(w, r, "/mypage/login", http.StatusSeeOther)
		return nil
	}
	return h.page(w, r, http.StatusOK, "customer_sent", "customer.sent.title", map[string]string{"Key": "customer.register.sent"})
}

// lookupAddress fills prefecture and city from the postal code (the
// button for browsers without JavaScript).
func lookupAddress(code, pref, city *string) {
	if addrs, ok := postal.Lookup(*code); ok && len(addrs) > 0 {
		*pref = itoa(addrs[0].PrefCode)
		*city = strings.TrimSpace(addrs[0].City + addrs[0].Town)
	}
}

// confirmPage shows a button that confirms: the link itself changes
// nothing, so a mail scanner that fetches it does not use it up.
func (h *Handlers) confirmPage(w http.ResponseWriter, r *http.Request) error {
	tok := r.URL.Query().Get("token")
	if !h.Store.LinkValid(r.Context(), tok, "confirm") {
		return ErrLink
	}
	return h.page(w, r, http.StatusOK, "customer_confirm", "customer.confirm.title", map[string]string{"Token": tok, "Action": "/entry/confirm", "Key": "customer.confirm.lead"})
}

func (h *Handlers) confirm(w http.ResponseWriter, r *http.Request) error {
	if err := h.allow(r, throttle.RegisterCompleteIP, ip(r)); err != nil {
		return err
	}
	if _, err := h.Store.Confirm(r.Context(), r.PostFormValue("token")); err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.confirmed")
	http.Redirect(w, r, "/mypage/login", http.StatusSeeOther)
	return nil
}

// emailConfirmPage and emailConfirm do the same for a new email address.
func (h *Handlers) emailConfirmPage(w http.ResponseWriter, r *http.Request) error {
	tok := r.URL.Query().Get("token")
	if !h.Store.LinkValid(r.Context(), tok, "email") {
		return ErrLink
	}
	return h.page(w, r, http.StatusOK, "customer_confirm", "customer.email.title", map[string]string{"Token": tok, "Action": "/mypage/email/confirm", "Key": "customer.email.confirm_lead"})
}

func (h *Handlers) emailConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := h.allow(r, throttle.RegisterCompleteIP, ip(r)); err != nil {
		return err
	}
	if err := h.Store.ConfirmEmailChange(r.Context(), r.PostFormValue("token")); err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.email.changed")
	http.Redirect(w, r, "/mypage", http.StatusSeeOther)
	return nil
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
