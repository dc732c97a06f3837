package customer

import (
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/throttle"
	"github.com/akinai/akinai/internal/web"
)

// devicesPage lists the customer's signed-in devices (ASVS 7.5.2: users
// see and end their sessions).
func (h *Handlers) devicesPage(w http.ResponseWriter, r *http.Request, c *Customer) error {
	list, err := Sessions(r.Context(), h.Store.DB, h.Store.DB.Now(), c.ID, web.Cookie(r, sessionCookie))
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "customer_sessions", "customer.sessions.title", list)
}

// endDevice signs one device out. Ending the current session is a
// sign-out of this browser too.
func (h *Handlers) endDevice(w http.ResponseWriter, r *http.Request, c *Customer) error {
	if err := h.allow(r, throttle.CustomerChange, strconv.FormatInt(c.ID, 10)); err != nil {
		return err
	}
	if err := h.Store.EndSessionID(r.Context(), c.ID, r.PostFormValue("id")); err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.sessions.ended_one")
	http.Redirect(w, r, "/mypage/sessions", http.StatusSeeOther)
	return nil
}
