package customer

import (
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

const ordersPerPage = 20

type homeData struct {
	C      *Customer
	Orders []OrderSummary
	Page   int
	Pages  int
}

// home is My Page: the order history, paginated.
func (h *Handlers) home(w http.ResponseWriter, r *http.Request, c *Customer) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	list, total, err := Orders(r.Context(), h.Store.DB, c.ID, ordersPerPage, (page-1)*ordersPerPage)
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "customer_mypage", "customer.mypage.title", &homeData{C: c, Orders: list, Page: page, Pages: (total + ordersPerPage - 1) / ordersPerPage})
}

type orderData struct {
	O         *order.Order
	Shipments []Shipment
	ShipPref  string
	Parcels   []parcelView // every destination; empty for orders without planned parcels
}

func (h *Handlers) orderPage(w http.ResponseWriter, r *http.Request, c *Customer) error {
	o, sh, err := OrderOf(r.Context(), h.Store.DB, c.ID, r.PathValue("number"))
	if err != nil {
		return err
	}
	o.CreatedAt = o.CreatedAt.In(calendar.Tokyo()) // a shop in Japan dates its orders in JST
	d := &orderData{O: o, Shipments: sh}
	if p, ok := jp.PrefectureByCode(o.Ship.Pref); ok {
		d.ShipPref = p.Name
	}
	if d.Parcels, err = parcelViews(r.Context(), h.Store.DB, o, web.Lang(r) == i18n.English); err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "customer_order", "customer.order.title", d)
}

// reorder puts an order's lines into the cart again. When every line
// went in, the cart is shown; otherwise a page lists the lines that can
// no longer be bought (sold out, hidden, over a limit) with the reason,
// and links to the cart with the rest.
func (h *Handlers) reorder(w http.ResponseWriter, r *http.Request, c *Customer) error {
	o, _, err := OrderOf(r.Context(), h.Store.DB, c.ID, r.PathValue("number"))
	if err != nil {
		return err
	}
	id, err := h.Carts.Ensure(w, r)
	if err != nil {
		return err
	}
	var skipped []skippedLine
	for _, l := range o.Lines {
		if err := h.Carts.Add(r.Context(), id, l.VariantID, l.Qty); err != nil {
			if shop.KindOf(err) == shop.Internal {
				return err
			}
			skipped = append(skipped, skippedLine{Line: l, Reason: web.Message(r, err)})
		}
	}
	if len(skipped) > 0 {
		return h.page(w, r, http.StatusOK, "customer_reordered", "customer.reordered_partly",
			&reorderData{Number: o.Number, Skipped: skipped, Added: len(o.Lines) - len(skipped)})
	}
	web.SetFlash(w, r, "customer.reordered")
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
	return nil
}

type skippedLine struct {
	order.Line
	Reason string
}

type reorderData struct {
	Number  string
	Skipped []skippedLine
	Added   int
}

type addressesData struct {
	List []SavedAddress
	Max  int
}

func (h *Handlers) renderAddresses(w http.ResponseWriter, r *http.Request, status int, c *Customer, f AddressForm, errs map[string]string, msg string) error {
	list, err := Addresses(r.Context(), h.Store.DB, c.ID)
	if err != nil {
		return err
	}
	fields, err := h.fieldsHTML(r, f, errs)
	if err != nil {
		return err
	}
	return h.page(w, r, status, "customer_addresses", "customer.addresses.title",
		&formPage{Errors: errs, Message: msg, Fields: fields, Data: &addressesData{List: list, Max: MaxAddresses}})
}

func (h *Handlers) addressesPage(w http.ResponseWriter, r *http.Request, c *Customer) error {
	return h.renderAddresses(w, r, http.StatusOK, c, AddressForm{}, nil, "")
}

func (h *Handlers) saveAddress(w http.ResponseWriter, r *http.Request, c *Customer) error {
	f := ReadAddressForm(r)
	if r.PostFormValue("lookup") != "" {
		lookupAddress(&f.PostalCode, &f.Pref, &f.City)
		errs := web.FieldErrors(r, nil)
		return h.renderAddresses(w, r, web.FormStatus(errs), c, f, errs, "")
	}
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	errs := map[string]string{}
	a := f.Validate(errs)
	if web.FieldErrors(r, errs); len(errs) > 0 {
		return h.renderAddresses(w, r, http.StatusUnprocessableEntity, c, f, errs, "")
	}
	if err := h.Store.SaveAddress(r.Context(), c.ID, 0, a); err != nil {
		if shop.KindOf(err) == shop.Invalid {
			return h.renderAddresses(w, r, http.StatusUnprocessableEntity, c, f, nil, web.Message(r, err))
		}
		return err
	}
	web.SetFlash(w, r, "customer.saved")
	http.Redirect(w, r, "/mypage/addresses", http.StatusSeeOther)
	return nil
}

func (h *Handlers) deleteAddress(w http.ResponseWriter, r *http.Request, c *Customer) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	if err := h.Store.DeleteAddress(r.Context(), c.ID, id); err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.deleted")
	http.Redirect(w, r, "/mypage/addresses", http.StatusSeeOther)
	return nil
}

type profileData struct {
	C        *Customer
	F        ProfileForm
	Passkeys []Passkey
	WebAuthn bool // passkeys offered
}

func (h *Handlers) renderProfile(w http.ResponseWriter, r *http.Request, status int, c *Customer, f ProfileForm, errs map[string]string) error {
	fields, err := h.fieldsHTML(r, AddressForm{f.FamilyName, f.GivenName, f.FamilyKana, f.GivenKana, f.Phone, f.PostalCode, f.Pref, f.City, f.Address1, f.Address2}, errs)
	if err != nil {
		return err
	}
	keys, err := Passkeys(r.Context(), h.Store.DB, c.ID)
	if err != nil {
		return err
	}
	return h.page(w, r, status, "customer_profile", "customer.profile.title", &formPage{Errors: errs, Fields: fields,
		Data: &profileData{C: c, F: f, Passkeys: keys, WebAuthn: h.wa != nil}})
}

func (h *Handlers) profilePage(w http.ResponseWriter, r *http.Request, c *Customer) error {
	return h.renderProfile(w, r, http.StatusOK, c, FormOf(c.Profile), nil)
}

func (h *Handlers) saveProfile(w http.ResponseWriter, r *http.Request, c *Customer) error {
	f := ReadProfileForm(r)
	if r.PostFormValue("lookup") != "" {
		lookupAddress(&f.PostalCode, &f.Pref, &f.City)
		errs := web.FieldErrors(r, nil)
		return h.renderProfile(w, r, web.FormStatus(errs), c, f, errs)
	}
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	errs := map[string]string{}
	p := f.Validate(h.Store.DB.Now(), errs)
	if web.FieldErrors(r, errs); len(errs) > 0 {
		return h.renderProfile(w, r, http.StatusUnprocessableEntity, c, f, errs)
	}
	if err := h.Store.UpdateProfile(r.Context(), c, p); err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.saved")
	http.Redirect(w, r, "/mypage/profile", http.StatusSeeOther)
	return nil
}

// fieldErrors renders the profile page with the field errors of err, or
// returns err when it has none.
func (h *Handlers) fieldErrors(w http.ResponseWriter, r *http.Request, c *Customer, err error) error {
	if e, ok := err.(*shop.Error); ok && e.Fields != nil {
		return h.renderProfile(w, r, http.StatusUnprocessableEntity, c, FormOf(c.Profile), e.Fields)
	}
	return err
}

func (h *Handlers) changePassword(w http.ResponseWriter, r *http.Request, c *Customer) error {
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	if errs := web.FieldErrors(r, nil); len(errs) > 0 {
		return h.fieldErrors(w, r, c, shop.Invalidf(errs))
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		return h.fieldErrors(w, r, c, shop.Invalidf(map[string]string{"password2": "customer.password_mismatch"}))
	}
	if err := h.Store.ChangePassword(r.Context(), c, r.PostFormValue("current"), pw, web.Cookie(r, sessionCookie)); err != nil {
		return h.fieldErrors(w, r, c, err)
	}
	web.SetCookie(w, r, rememberCookie, "", -1, http.SameSiteLaxMode)
	web.SetFlash(w, r, "customer.password_changed")
	http.Redirect(w, r, "/mypage/profile", http.StatusSeeOther)
	return nil
}

func (h *Handlers) changeEmail(w http.ResponseWriter, r *http.Request, c *Customer) error {
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	if errs := web.FieldErrors(r, nil); len(errs) > 0 {
		return h.fieldErrors(w, r, c, shop.Invalidf(errs))
	}
	email, err := jp.Email(formValue(r, "new_email"))
	if err != nil {
		return h.fieldErrors(w, r, c, shop.Invalidf(map[string]string{"new_email": "customer.bad_email"}))
	}
	if err := h.Store.RequestEmailChange(r.Context(), c, r.PostFormValue("current"), email); err != nil {
		return h.fieldErrors(w, r, c, err)
	}
	return h.page(w, r, http.StatusOK, "customer_sent", "customer.sent.title", map[string]string{"Key": "customer.email.sent"})
}

func (h *Handlers) setCode(w http.ResponseWriter, r *http.Request, c *Customer) error {
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	if errs := web.FieldErrors(r, nil); len(errs) > 0 {
		return h.fieldErrors(w, r, c, shop.Invalidf(errs))
	}
	if err := h.Store.SetAntiPhishing(r.Context(), c.ID, formValue(r, "code")); err != nil {
		return h.fieldErrors(w, r, c, err)
	}
	web.SetFlash(w, r, "customer.saved")
	http.Redirect(w, r, "/mypage/profile", http.StatusSeeOther)
	return nil
}

// endSessions signs out every other browser and remember token.
func (h *Handlers) endSessions(w http.ResponseWriter, r *http.Request, c *Customer) error {
	if err := h.Store.EndAll(r.Context(), c.ID, web.Cookie(r, sessionCookie)); err != nil {
		return err
	}
	web.SetCookie(w, r, rememberCookie, "", -1, http.SameSiteLaxMode)
	web.SetFlash(w, r, "customer.sessions_ended")
	http.Redirect(w, r, "/mypage/profile", http.StatusSeeOther)
	return nil
}
