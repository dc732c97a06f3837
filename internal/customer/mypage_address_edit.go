package customer

import (
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// savedAddress returns one of c's addresses. Errors: NotFound, also for
// another customer's address.
func (h *Handlers) savedAddress(r *http.Request, c *Customer) (SavedAddress, error) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	list, err := Addresses(r.Context(), h.Store.DB, c.ID)
	if err != nil {
		return SavedAddress{}, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, nil
		}
	}
	return SavedAddress{}, shop.ErrNotFound
}

func (h *Handlers) renderAddressEdit(w http.ResponseWriter, r *http.Request, status int, id int64, f AddressForm, errs map[string]string) error {
	fields, err := h.fieldsHTML(r, f, errs)
	if err != nil {
		return err
	}
	return h.page(w, r, status, "customer_address_edit", "customer.addresses.edit", &formPage{Errors: errs, Fields: fields, Data: id})
}

func (h *Handlers) addressEditPage(w http.ResponseWriter, r *http.Request, c *Customer) error {
	a, err := h.savedAddress(r, c)
	if err != nil {
		return err
	}
	return h.renderAddressEdit(w, r, http.StatusOK, a.ID, AddressFormOf(a.Address), nil)
}

// updateAddress replaces a saved address: load → parse → validate →
// store → redirect.
func (h *Handlers) updateAddress(w http.ResponseWriter, r *http.Request, c *Customer) error {
	a, err := h.savedAddress(r, c)
	if err != nil {
		return err
	}
	f := ReadAddressForm(r)
	if r.PostFormValue("lookup") != "" {
		lookupAddress(&f.PostalCode, &f.Pref, &f.City)
		errs := web.FieldErrors(r, nil)
		return h.renderAddressEdit(w, r, web.FormStatus(errs), a.ID, f, errs)
	}
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	errs := map[string]string{}
	addr := f.Validate(errs)
	if web.FieldErrors(r, errs); len(errs) > 0 {
		return h.renderAddressEdit(w, r, http.StatusUnprocessableEntity, a.ID, f, errs)
	}
	if err := h.Store.SaveAddress(r.Context(), c.ID, a.ID, addr); err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.saved")
	http.Redirect(w, r, "/mypage/addresses", http.StatusSeeOther)
	return nil
}
