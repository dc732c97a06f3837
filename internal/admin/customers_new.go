package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/rank"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// customerNewRoutes mounts 会員登録 from the admin and the resend of a
// password-set link.
func (h *Handlers) customerNewRoutes(mux *http.ServeMux) {
	h.Mount(mux, "GET /customers/new", AreaCustomers, Write, false, h.customerNew)
	h.Mount(mux, "POST /customers/new", AreaCustomers, Write, false, h.customerCreate)
	h.Mount(mux, "POST /customers/{id}/password-link", AreaCustomers, Write, false, h.customerPasswordLink)
}

// customerNewData is admin_customer_new.html: the profile fields as typed
// with their errors, and the account's own choices.
type customerNewData struct {
	Fields     []editField
	Email      string
	EmailError string
	Lang       string
	Newsletter bool
	Ranks      []rank.Rank
	RankID     int64
	SendLink   bool
	Prefs      []jp.Prefecture
	Message    string
}

func (h *Handlers) renderCustomerNew(w http.ResponseWriter, r *http.Request, status int, d *customerNewData) error {
	var err error
	if d.Ranks, err = rank.List(r.Context(), h.DB); err != nil {
		return err
	}
	d.Prefs = jp.Prefectures()
	return h.Page(w, r, status, "admin_customer_new", "customers13.new_title", d)
}

func (h *Handlers) customerNew(w http.ResponseWriter, r *http.Request) error {
	return h.renderCustomerNew(w, r, http.StatusOK, &customerNewData{Fields: profileFields(customer.ProfileForm{}, nil), Lang: "ja", SendLink: true})
}

// customerCreate registers a customer for the shop: parse → validate
// (per field, input kept, 422) → create, with the password-set mail when
// asked, and the audit entry (no personal data: the ID and the choices)
// in one transaction → the customer's page.
func (h *Handlers) customerCreate(w http.ResponseWriter, r *http.Request) error {
	f := customer.ReadProfileForm(r)
	d := &customerNewData{Email: strings.TrimSpace(r.PostFormValue("email")), Lang: r.PostFormValue("lang"),
		Newsletter: f.Newsletter, SendLink: r.PostFormValue("send_link") == "1"}
	d.RankID, _ = strconv.ParseInt(r.PostFormValue("rank"), 10, 64)
	errs := map[string]string{}
	p := f.Validate(h.DB.Now(), errs)
	email, err := jp.Email(d.Email)
	if err != nil {
		d.EmailError = "customer.bad_email"
	}
	if d.Lang != "ja" && d.Lang != "en" {
		d.Lang, errs["lang"] = "ja", "error.invalid"
	}
	if d.RankID != 0 {
		if _, err := rank.ByID(r.Context(), h.DB, d.RankID); err != nil {
			errs["rank"] = "customers13.bad_rank"
		}
	}
	invalid := func(status int, msg string) error {
		d.Fields = profileFields(f, errs)
		d.Message = msg
		return h.renderCustomerNew(w, r, status, d)
	}
	if len(errs) > 0 || d.EmailError != "" {
		return invalid(http.StatusUnprocessableEntity, web.T(r, "error.invalid"))
	}
	store := customer.NewStore(h.DB, h.Config.BaseURL)
	var id int64
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		var err error
		id, err = store.CreateByShop(r.Context(), tx, customer.NewAccount{Email: email, Profile: p, Lang: d.Lang, RankID: d.RankID}, d.SendLink)
		if err != nil {
			return err
		}
		_, err = audit.Append(r.Context(), tx, AuditEntry(r, "customer.create", strconv.FormatInt(id, 10),
			map[string]any{"password_link": d.SendLink, "rank": d.RankID}))
		return err
	})
	if shop.KindOf(err) == shop.Conflict {
		d.EmailError = "customers13.email_taken"
		return invalid(http.StatusConflict, web.Message(r, err))
	}
	if err != nil {
		return err
	}
	flash := "customers13.created"
	if d.SendLink {
		flash = "customers13.created_link"
	}
	web.SetFlash(w, r, flash)
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d", h.base, id), http.StatusSeeOther)
	return nil
}

// customerPasswordLink mails an active customer a new password-set link.
func (h *Handlers) customerPasswordLink(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	store := customer.NewStore(h.DB, h.Config.BaseURL)
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := store.SendPasswordSet(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "customer.password_link", strconv.FormatInt(id, 10), nil))
		return err
	})
	if shop.KindOf(err) == shop.Conflict {
		return h.renderCustomer(w, r, http.StatusConflict, web.Message(r, err))
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "customers13.link_sent")
	http.Redirect(w, r, fmt.Sprintf("%s/customers/%d", h.base, id), http.StatusSeeOther)
	return nil
}
