package content

import (
	"net/http"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// contactView is the data of the contact pages.
type contactView struct {
	F          ContactForm
	Errors     map[string]string
	Categories []string
	MaxMessage int
}

func (h *Handlers) renderContact(w http.ResponseWriter, r *http.Request, status int, page string, f ContactForm, errs map[string]string) error {
	return h.Render.Render(w, r, status, page, &web.Page{Title: web.T(r, "content.contact.title"),
		Data: &contactView{F: f, Errors: errs, Categories: Categories, MaxMessage: MaxMessage}})
}

// contactPage serves GET /contact: the empty form.
func (h *Handlers) contactPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderContact(w, r, http.StatusOK, "content_contact", ContactForm{Category: "other"}, nil)
}

// contactConfirm serves POST /contact: the form back with its errors
// (422), or the confirmation page; "back" from the confirmation shows the
// form with what was typed.
func (h *Handlers) contactConfirm(w http.ResponseWriter, r *http.Request) error {
	f := ReadContactForm(r)
	if r.PostFormValue("back") != "" {
		errs := web.FieldErrors(r, nil)
		return h.renderContact(w, r, web.FormStatus(errs), "content_contact", f, errs)
	}
	_, errs := f.Validate()
	if errs = web.FieldErrors(r, errs); len(errs) > 0 {
		return h.renderContact(w, r, http.StatusUnprocessableEntity, "content_contact", f, errs)
	}
	return h.renderContact(w, r, http.StatusOK, "content_contact_confirm", f, nil)
}

// contactSend serves POST /contact/send: it counts against the contact
// limit per address (429 with Retry-After past it), stores the inquiry
// with its two mails, and redirects to the complete page.
func (h *Handlers) contactSend(w http.ResponseWriter, r *http.Request) error {
	f := ReadContactForm(r)
	in, errs := f.Validate()
	if errs = web.FieldErrors(r, errs); len(errs) > 0 {
		return h.renderContact(w, r, http.StatusUnprocessableEntity, "content_contact", f, errs)
	}
	if err := h.Limits.Allow(r.Context(), h.DB, throttle.ContactIP, web.Info(r).ClientIP.String()); err != nil {
		return err
	}
	sh, err := h.Settings.Shop(r.Context())
	if err != nil {
		return err
	}
	in.Lang, in.Address = string(web.Lang(r)), web.Info(r).ClientIP.String()
	if err := h.DB.Tx(r.Context(), func(tx *db.Tx) error { return CreateInquiry(r.Context(), tx, sh, in) }); err != nil {
		return err
	}
	http.Redirect(w, r, "/contact/complete", http.StatusSeeOther)
	return nil
}

// contactComplete serves GET /contact/complete.
func (h *Handlers) contactComplete(w http.ResponseWriter, r *http.Request) error {
	return h.Render.Render(w, r, http.StatusOK, "content_contact_done", &web.Page{Title: web.T(r, "content.contact.done_title"), NoIndex: true})
}
