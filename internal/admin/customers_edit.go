package admin

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// customerEditRoutes mounts the edit of a customer's profile and saved
// addresses, and the resend of a pending account's confirmation mail.
func (h *Handlers) customerEditRoutes(mux *http.ServeMux) {
	h.Mount(mux, "GET /customers/{id}/edit", AreaCustomers, Read, false, h.customerEdit)
	h.Mount(mux, "POST /customers/{id}/edit", AreaCustomers, Write, false, h.customerSave)
	h.Mount(mux, "POST /customers/{id}/addresses/{aid}", AreaCustomers, Write, false, h.customerAddressSave)
	h.Mount(mux, "POST /customers/{id}/resend", AreaCustomers, Write, false, h.customerResend)
}

// customerEditData is the edit page: the profile form (F, with its
// Version as loaded or as posted), the saved addresses (each a form; the
// one just posted keeps its input and errors), per-field messages.
type customerEditData struct {
	C          *customer.Customer
	Fields     []editField
	Newsletter bool
	Version    int
	Addresses  []addressEdit
	Message    string
	Prefs      []jp.Prefecture
}

type addressEdit struct {
	ID     int64
	F      customer.AddressForm
	Errors map[string]string
	Fields []editField
}

// editField is one input of the edit forms, with its label key, value and
// error key ("" when fine).
type editField struct {
	Name, Label, Value, Error string
}

func addressFields(f customer.AddressForm, errs map[string]string) []editField {
	out := []editField{}
	for _, kv := range [][2]string{
		{"family_name", f.FamilyName}, {"given_name", f.GivenName}, {"family_kana", f.FamilyKana}, {"given_kana", f.GivenKana},
		{"phone", f.Phone}, {"postal_code", f.PostalCode}, {"pref", f.Pref}, {"city", f.City}, {"address1", f.Address1}, {"address2", f.Address2},
	} {
		out = append(out, editField{Name: kv[0], Label: "admin.customers.f." + kv[0], Value: kv[1], Error: errs[kv[0]]})
	}
	return out
}

func profileFields(f customer.ProfileForm, errs map[string]string) []editField {
	out := addressFields(customer.AddressForm{FamilyName: f.FamilyName, GivenName: f.GivenName, FamilyKana: f.FamilyKana, GivenKana: f.GivenKana,
		Phone: f.Phone, PostalCode: f.PostalCode, Pref: f.Pref, City: f.City, Address1: f.Address1, Address2: f.Address2}, errs)
	for _, kv := range [][2]string{{"company", f.Company}, {"birthday", f.Birthday}, {"gender", f.Gender}} {
		out = append(out, editField{Name: kv[0], Label: "admin.customers.f." + kv[0], Value: kv[1], Error: errs[kv[0]]})
	}
	return out
}

// renderCustomerEdit loads the customer and shows the edit page; f and
// version replace the stored profile when the posted form is shown again,
// addr the stored address with ID addr.ID.
func (h *Handlers) renderCustomerEdit(w http.ResponseWriter, r *http.Request, status int, f *customer.ProfileForm, version int, errs map[string]string, addr *addressEdit, msg string) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := customer.ByID(r.Context(), h.DB, id)
	if err != nil {
		return err
	}
	list, err := customer.Addresses(r.Context(), h.DB, id)
	if err != nil {
		return err
	}
	d := &customerEditData{C: c, Version: c.Version, Message: msg, Prefs: jp.Prefectures()}
	pf := customer.FormOf(c.Profile)
	if f != nil {
		pf, d.Version = *f, version
	}
	d.Fields, d.Newsletter = profileFields(pf, errs), pf.Newsletter
	for _, a := range list {
		e := addressEdit{ID: a.ID, F: customer.AddressFormOf(a.Address)}
		if addr != nil && addr.ID == a.ID {
			e = *addr
		}
		e.Fields = addressFields(e.F, e.Errors)
		d.Addresses = append(d.Addresses, e)
	}
	return h.Page(w, r, status, "admin_customer_edit", "admin.customers.edit", d)
}

func (h *Handlers) customerEdit(w http.ResponseWriter, r *http.Request) error {
	return h.renderCustomerEdit(w, r, http.StatusOK, nil, 0, nil, nil, "")
}

// customerSave stores the profile: parse → validate (messages per field,
// input kept, 422) → store if the version is unchanged (else 409 with the
// input kept) → audit (field names only) → redirect.
func (h *Handlers) customerSave(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := customer.ReadProfileForm(r)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	errs := map[string]string{}
	p := f.Validate(h.DB.Now(), errs)
	if len(errs) > 0 {
		return h.renderCustomerEdit(w, r, http.StatusUnprocessableEntity, &f, version, errs, nil, web.T(r, "error.invalid"))
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		changed, err := customer.AdminUpdateProfile(r.Context(), tx, id, version, p)
		if err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, "customer.edit", strconv.FormatInt(id, 10), map[string]any{"fields": changed}))
		return err
	})
	if shop.KindOf(err) == shop.Conflict {
		return h.renderCustomerEdit(w, r, http.StatusConflict, &f, version, nil, nil, web.Message(r, err))
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.saved")
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d", h.base, id), http.StatusSeeOther)
	return nil
}

// customerAddressSave replaces one saved address of the customer.
func (h *Handlers) customerAddressSave(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	aid, _ := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	f := customer.ReadAddressForm(r)
	errs := map[string]string{}
	a := f.Validate(errs)
	if len(errs) > 0 {
		return h.renderCustomerEdit(w, r, http.StatusUnprocessableEntity, nil, 0, nil, &addressEdit{ID: aid, F: f, Errors: errs}, web.T(r, "error.invalid"))
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		c, err := customer.ByID(r.Context(), tx, id)
		if err != nil {
			return err
		}
		if c.Status == customer.Withdrawn {
			return shop.Errorf(shop.Conflict, "customer.already_withdrawn")
		}
		if err := customer.AdminSaveAddress(r.Context(), tx, id, aid, a); err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, "customer.address", strconv.FormatInt(id, 10), map[string]any{"address_id": aid}))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.saved")
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d/edit", h.base, id), http.StatusSeeOther)
	return nil
}

// customerResend mails a pending account a new confirmation link.
func (h *Handlers) customerResend(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	store := customer.NewStore(h.DB, h.Config.BaseURL)
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := store.ResendConfirmation(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "customer.resend_confirmation", strconv.FormatInt(id, 10), nil))
		return err
	})
	if shop.KindOf(err) == shop.Conflict {
		return h.renderCustomer(w, r, http.StatusConflict, web.Message(r, err))
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin.customers.resent")
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d", h.base, id), http.StatusSeeOther)
	return nil
}
