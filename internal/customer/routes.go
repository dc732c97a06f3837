package customer

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates
var templateFS embed.FS

// Cookie names: the session (ends with the browser) and the "keep me
// signed in" token.
const (
	sessionCookie  = "customer"
	rememberCookie = "customer_remember"
)

// Cookies are the customer's sign-in cookies: storefront pages look the
// same with or without them (web.Renderer.ShareWith).
var Cookies = []string{sessionCookie, rememberCookie}

// Handlers serve registration, sign-in and My Page.
type Handlers struct {
	Store    *Store
	Carts    *cart.Store
	Render   *web.Renderer
	Settings *settings.Store
	Limits   throttle.Limits
	Log      *slog.Logger
	// OrderProof lets the browser that placed a guest order prefill the
	// registration form from it (GET /entry?order=); nil never prefills.
	OrderProof *order.Proof
	fields     *template.Template
	wa         *webauthn.WebAuthn // nil: passkeys off (see newWebAuthn)
}

// Routes mounts every customer route and parses the templates.
func (h *Handlers) Routes(mux *http.ServeMux) error {
	if err := h.Render.AddPages("shop", templateFS, "templates/customer_*.html"); err != nil {
		return err
	}
	t, err := template.New("").Funcs(template.FuncMap{"t": i18n.T}).ParseFS(templateFS, "templates/partials/*.tmpl")
	if err != nil {
		return err
	}
	h.fields = t
	if wa, err := newWebAuthn(h.Store.BaseURL); err == nil {
		h.wa = wa
	} else {
		h.Log.Info("customer passkeys are off", "reason", err)
	}
	hd := h.Render.Handle
	mux.Handle("GET /entry", hd(h.registerPage))
	// The forms people type into show the text check by their fields
	// (web.Form); every other post is refused whole on a bad field.
	form := web.Form
	mux.Handle("POST /entry", form(hd(h.register)))
	mux.Handle("GET /entry/confirm", hd(h.confirmPage))
	mux.Handle("POST /entry/confirm", hd(h.confirm))
	mux.Handle("GET /mypage/login", hd(h.loginPage))
	mux.Handle("POST /mypage/login", form(hd(h.login)))
	mux.Handle("POST /mypage/logout", hd(h.logout))
	mux.Handle("GET /forgot", hd(h.forgotPage))
	mux.Handle("POST /forgot", form(hd(h.forgot)))
	mux.Handle("GET /forgot/reset", hd(h.resetPage))
	mux.Handle("POST /forgot/reset", form(hd(h.reset)))
	mux.Handle("GET /mypage/email/confirm", hd(h.emailConfirmPage))
	mux.Handle("POST /mypage/email/confirm", hd(h.emailConfirm))

	mux.Handle("GET /mypage", h.signedIn(h.home))
	mux.Handle("GET /mypage/orders/{number}", h.signedIn(h.orderPage))
	mux.Handle("POST /mypage/orders/{number}/reorder", h.signedIn(h.reorder))
	mux.Handle("GET /mypage/addresses", h.signedIn(h.addressesPage))
	mux.Handle("POST /mypage/addresses", form(h.signedIn(h.saveAddress)))
	mux.Handle("POST /mypage/addresses/{id}/delete", h.signedIn(h.deleteAddress))
	mux.Handle("GET /mypage/addresses/{id}/edit", h.signedIn(h.addressEditPage))
	mux.Handle("POST /mypage/addresses/{id}", form(h.signedIn(h.updateAddress)))
	mux.Handle("GET /mypage/sessions", h.signedIn(h.devicesPage))
	mux.Handle("POST /mypage/sessions/end-one", h.signedIn(h.endDevice))
	mux.Handle("GET /mypage/profile", h.signedIn(h.profilePage))
	mux.Handle("POST /mypage/profile", form(h.signedIn(h.saveProfile)))
	mux.Handle("POST /mypage/password", form(h.signedIn(h.changePassword)))
	mux.Handle("POST /mypage/email", form(h.signedIn(h.changeEmail)))
	mux.Handle("POST /mypage/code", form(h.signedIn(h.setCode)))
	mux.Handle("POST /mypage/sessions/end", h.signedIn(h.endSessions))
	mux.Handle("GET /mypage/favorites", h.signedIn(h.favoritesPage))
	mux.Handle("POST /mypage/favorites/{product}", h.signedIn(h.addFavorite))
	mux.Handle("POST /mypage/favorites/{product}/delete", h.signedIn(h.removeFavorite))
	mux.Handle("GET /mypage/withdraw", h.signedIn(h.withdrawPage))
	mux.Handle("POST /mypage/withdraw", h.signedIn(h.withdraw))
	mux.Handle("GET /mypage/export.json", h.signedIn(h.export))
	mux.Handle("POST /mypage/passkeys/begin", h.signedIn(h.passkeyRegisterBegin))
	mux.Handle("POST /mypage/passkeys/finish", h.signedIn(h.passkeyRegisterFinish))
	mux.Handle("POST /mypage/passkeys/{id}/delete", h.signedIn(h.passkeyDelete))
	mux.Handle("POST /mypage/login/passkey/begin", hd(h.passkeyLoginBegin))
	mux.Handle("POST /mypage/login/passkey/finish", hd(h.passkeyLoginFinish))
	return nil
}

// signedFunc is a handler that needs a signed-in customer.
type signedFunc func(w http.ResponseWriter, r *http.Request, c *Customer) error

// signedIn runs fn with the signed-in customer, or sends the browser to
// the sign-in page (and back afterwards, for GETs).
func (h *Handlers) signedIn(fn signedFunc) http.Handler {
	return h.Render.Handle(func(w http.ResponseWriter, r *http.Request) error {
		c, err := h.Current(w, r)
		if shop.KindOf(err) == shop.Unauthorized {
			next := "/mypage"
			if r.Method == http.MethodGet {
				next = r.URL.Path
			}
			http.Redirect(w, r, "/mypage/login?next="+next, http.StatusSeeOther)
			return nil
		}
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		return fn(w, r, c)
	})
}

// Current returns the signed-in customer of r, resuming a "keep me signed
// in" token into a new session when the session has ended. Errors:
// Unauthorized when nobody is signed in.
func (h *Handlers) Current(w http.ResponseWriter, r *http.Request) (*Customer, error) {
	if tok := web.Cookie(r, sessionCookie); tok != "" {
		c, err := h.Store.Session(r.Context(), tok)
		if shop.KindOf(err) != shop.Unauthorized {
			return c, err
		}
	}
	rem := web.Cookie(r, rememberCookie)
	if rem == "" {
		return nil, shop.Errorf(shop.Unauthorized, "customer.signin_required")
	}
	t, err := h.Store.Resume(r.Context(), rem, deviceOf(r))
	if err != nil {
		web.SetCookie(w, r, rememberCookie, "", -1, http.SameSiteLaxMode)
		return nil, err
	}
	h.setCookies(w, r, t)
	return h.Store.Session(r.Context(), t.Session)
}

// CustomerID returns the signed-in customer's ID without resuming a
// remember token (for other packages: the checkout). ok is false when
// nobody is signed in.
func (h *Handlers) CustomerID(r *http.Request) (int64, bool) {
	c, err := h.Store.Session(r.Context(), web.Cookie(r, sessionCookie))
	if err != nil {
		return 0, false
	}
	return c.ID, true
}

func (h *Handlers) setCookies(w http.ResponseWriter, r *http.Request, t Tokens) {
	web.SetCookie(w, r, sessionCookie, t.Session, 0, http.SameSiteLaxMode)
	if t.Remember != "" {
		web.SetCookie(w, r, rememberCookie, t.Remember, RememberTTL, http.SameSiteLaxMode)
	}
}

// page renders a customer page, never cached.
func (h *Handlers) page(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	w.Header().Set("Cache-Control", "no-store")
	return h.Render.Render(w, r, status, name, &web.Page{Title: web.T(r, title), NoIndex: true, Data: data})
}

// formPage is what the form pages get.
type formPage struct {
	Errors  map[string]string
	Message string
	Fields  template.HTML // the name and address fields
	Values  map[string]string
	Data    any
}

// fieldsHTML renders the shared name/address fields with values and
// errors (the same ids as the checkout, so checkout.js fills the address
// from the postal code).
func (h *Handlers) fieldsHTML(r *http.Request, f AddressForm, errs map[string]string) (template.HTML, error) {
	var b bytes.Buffer
	err := h.fields.ExecuteTemplate(&b, "address_fields.tmpl", map[string]any{
		"Lang": web.Lang(r), "F": f, "E": errs, "Prefs": jp.Prefectures(), "En": web.Lang(r) == i18n.English,
	})
	return template.HTML(b.String()), err
}

// accountKey is the rate-limit key for an email address: a hash, so the
// throttle table holds no addresses.
func accountKey(email string) string { return auth.HashToken("customer:" + EmailKey(email)) }

// allow applies a named limit; an unknown name is a programming error.
func (h *Handlers) allow(r *http.Request, name, key string) error {
	return h.Limits.Allow(r.Context(), h.Store.DB, name, key)
}

func ip(r *http.Request) string { return web.Info(r).ClientIP.String() }
