package customer

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

func (h *Handlers) favoritesPage(w http.ResponseWriter, r *http.Request, c *Customer) error {
	list, err := Favorites(r.Context(), h.Store.DB, c.ID)
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "customer_favorites", "customer.favorites.title", list)
}

// addFavorite is the product page's "add to favourites" form.
func (h *Handlers) addFavorite(w http.ResponseWriter, r *http.Request, c *Customer) error {
	id, _ := strconv.ParseInt(r.PathValue("product"), 10, 64)
	slug, err := h.Store.AddFavorite(r.Context(), c.ID, id)
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "customer.favorite_added")
	http.Redirect(w, r, "/products/"+slug, http.StatusSeeOther)
	return nil
}

func (h *Handlers) removeFavorite(w http.ResponseWriter, r *http.Request, c *Customer) error {
	id, _ := strconv.ParseInt(r.PathValue("product"), 10, 64)
	if err := h.Store.RemoveFavorite(r.Context(), c.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/mypage/favorites", http.StatusSeeOther)
	return nil
}

func (h *Handlers) withdrawPage(w http.ResponseWriter, r *http.Request, c *Customer) error {
	return h.page(w, r, http.StatusOK, "customer_withdraw", "customer.withdraw.title", &formPage{})
}

// withdraw closes the account (password required) and signs out.
func (h *Handlers) withdraw(w http.ResponseWriter, r *http.Request, c *Customer) error {
	err := h.Store.Withdraw(r.Context(), c, r.PostFormValue("current"))
	if e, ok := err.(*shop.Error); ok && e.Fields != nil {
		return h.page(w, r, http.StatusUnprocessableEntity, "customer_withdraw", "customer.withdraw.title", &formPage{Errors: e.Fields})
	}
	if err != nil {
		return err
	}
	web.SetCookie(w, r, sessionCookie, "", -1, http.SameSiteLaxMode)
	web.SetCookie(w, r, rememberCookie, "", -1, http.SameSiteLaxMode)
	cart.SignOut(w, r)
	web.SetFlash(w, r, "customer.withdrawn")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// export sends the customer's own data as JSON (a download).
func (h *Handlers) export(w http.ResponseWriter, r *http.Request, c *Customer) error {
	x, err := Export(r.Context(), h.Store.DB, c.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(x)
}
