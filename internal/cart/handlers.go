package cart

import (
	"embed"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

//go:embed templates
var templateFS embed.FS

// cookieName holds the cart token; cookieAge is how long a cart is kept.
const (
	cookieName = "cart"
	cookieAge  = 30 * 24 * time.Hour
)

// Handlers serve the cart pages.
type Handlers struct {
	Store    *Store
	Settings *settings.Store
	Render   *web.Renderer
	Log      *slog.Logger
	// Customer returns the signed-in customer's ID, 0 for a guest (nil:
	// every visitor is a guest).
	Customer func(r *http.Request) int64
}

// Routes mounts the cart's routes and parses its templates.
func (h *Handlers) Routes(mux *http.ServeMux) error {
	if err := h.Render.AddPages("shop", templateFS, "templates/*.html"); err != nil {
		return err
	}
	mux.Handle("GET /cart", h.Render.Handle(h.view))
	mux.Handle("POST /cart/add", h.Render.Handle(h.add))
	mux.Handle("POST /cart/update", h.Render.Handle(h.update))
	mux.Handle("POST /cart/remove", h.Render.Handle(h.remove))
	return nil
}

// Current returns the ID of the request's cart. Errors: NotFound when the
// browser has no cart (or one that no longer exists).
func (s *Store) Current(r *http.Request) (int64, error) {
	return s.Find(r.Context(), web.Cookie(r, cookieName))
}

// ensure returns the request's cart, creating one (and its cookie) first.
func (h *Handlers) ensure(w http.ResponseWriter, r *http.Request) (int64, error) {
	id, err := h.Store.Current(r)
	if shop.KindOf(err) != shop.NotFound {
		return id, err
	}
	token := NewToken()
	id, err = h.Store.Create(r.Context(), token)
	if err != nil {
		return 0, err
	}
	web.SetCookie(w, r, cookieName, token, cookieAge, http.SameSiteLaxMode)
	setCount(w, r, 0)
	return id, nil
}

type viewData struct {
	Cart    *Cart
	Message string // a problem with the last change
	Problem int64  // the line the message belongs to
	// MemberPercent and MemberDiscount: the signed-in customer's rank
	// discount, which checkout will take off.
	MemberPercent  int
	MemberDiscount shop.Yen
}

func (d *viewData) hasLine(variantID int64) bool {
	for _, l := range d.Cart.Lines {
		if l.VariantID == variantID {
			return true
		}
	}
	return false
}

func (h *Handlers) view(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, r, http.StatusOK, nil, 0)
}

func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, changeErr error, variantID int64) error {
	d := &viewData{Cart: &Cart{}, Problem: variantID}
	if id, err := h.Store.Current(r); err == nil {
		sh, err := h.Settings.Shop(r.Context())
		if err != nil {
			return err
		}
		if d.Cart, err = Load(r.Context(), h.Store.DB, id, h.Store.DB.Now(), sh.Rounding); err != nil {
			return err
		}
		setCount(w, r, d.Cart.Count())
		if h.Customer != nil {
			if d.MemberPercent, d.MemberDiscount, err = memberDiscount(r.Context(), h.Store.DB, h.Customer(r), d.Cart); err != nil {
				return err
			}
		}
	} else if shop.KindOf(err) != shop.NotFound {
		return err
	}
	if !d.hasLine(variantID) {
		d.Problem = 0 // not in the cart: show the message above it
	}
	if changeErr != nil {
		if shop.KindOf(changeErr) == shop.Internal {
			return changeErr
		}
		d.Message = web.Message(r, changeErr)
		status = web.Status(changeErr)
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.Render.Render(w, r, status, "cart_view", &web.Page{Title: web.T(r, "cart.title"), NoIndex: true, Data: d})
}

// add handles the product page's form: variant_id and qty.
func (h *Handlers) add(w http.ResponseWriter, r *http.Request) error {
	vid, qty, err := readLine(r)
	if err != nil {
		return h.render(w, r, 0, err, vid)
	}
	id, err := h.ensure(w, r)
	if err != nil {
		return err
	}
	if err := h.Store.Add(r.Context(), id, vid, qty); err != nil {
		return h.render(w, r, 0, err, vid)
	}
	RememberCount(r.Context(), w, r, h.Store.DB, id)
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		_, err := w.Write([]byte(`{"ok":true}`))
		return err
	}
	web.SetFlash(w, r, "cart.added")
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
	return nil
}

// update sets one line's quantity: variant_id and qty (0 removes).
func (h *Handlers) update(w http.ResponseWriter, r *http.Request) error {
	vid, qty, err := readLine(r)
	if err == nil || (qty == 0 && vid > 0) {
		err = nil
		id, cerr := h.Store.Current(r)
		if cerr != nil {
			return h.render(w, r, 0, cerr, 0)
		}
		if err = h.Store.SetQty(r.Context(), id, vid, qty); err == nil {
			RememberCount(r.Context(), w, r, h.Store.DB, id)
		}
	}
	if err != nil {
		return h.render(w, r, 0, err, vid)
	}
	web.SetFlash(w, r, "cart.updated")
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
	return nil
}

func (h *Handlers) remove(w http.ResponseWriter, r *http.Request) error {
	vid, _ := strconv.ParseInt(r.PostFormValue("variant_id"), 10, 64)
	if id, err := h.Store.Current(r); err == nil {
		if err := h.Store.Remove(r.Context(), id, vid); err != nil {
			return err
		}
		RememberCount(r.Context(), w, r, h.Store.DB, id)
	}
	web.SetFlash(w, r, "cart.removed")
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
	return nil
}

// readLine parses variant_id and qty. A quantity that is not a whole
// number from 1 to MaxQty is Invalid "cart.bad_qty"; qty is returned as 0
// for "0" so update can treat it as removal.
func readLine(r *http.Request) (int64, int, error) {
	vid, err := strconv.ParseInt(r.PostFormValue("variant_id"), 10, 64)
	if err != nil || vid <= 0 {
		return 0, 0, shop.Errorf(shop.NotFound, "cart.unavailable")
	}
	qty, err := strconv.Atoi(r.PostFormValue("qty"))
	if err != nil || qty < 1 || qty > MaxQty {
		if err == nil && qty == 0 {
			return vid, 0, shop.Errorf(shop.Invalid, "cart.bad_qty", MaxQty)
		}
		return vid, -1, shop.Errorf(shop.Invalid, "cart.bad_qty", MaxQty)
	}
	return vid, qty, nil
}

func wantsJSON(r *http.Request) bool {
	return r.Header.Get("Accept") == "application/json"
}
