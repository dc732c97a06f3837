package cart

import (
	"context"
	"html/template"
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

// The header badge shows how many items the visitor's cart holds on every
// storefront page, and those pages are shared between visitors
// (web.Renderer.RenderShared). Asking the database for the count on every
// page view cost as much as serving the page itself, so the count travels
// with the browser: every request that changes the cart (add, update,
// remove, placing an order, signing in) sets countCookie to the new
// count, the cart page sets it to what it shows, and the badge reads it.
// A browser with a cart but no count cookie (a cart made before this
// cookie existed) is counted in the database. The cookie is a display
// hint only: nothing is priced, reserved or ordered from it, so a visitor
// who edits it changes nothing but their own badge. A change nobody in
// this browser made (another device's sign-in merging this cart away, an
// admin deleting a variant) shows on the badge after the next visit to
// the cart page.
const countCookie = "cart_n"

// maxCount bounds what the badge believes from the cookie.
const maxCount = 1_000_000

// CookieNames are the cart's cookies: storefront pages look the same with
// or without them but for the badge (web.Renderer.ShareWith).
var CookieNames = []string{cookieName, countCookie}

// Badge is the layout's "cart" slot (web.Renderer.AddSlot): the number
// of items in the visitor's cart, or nothing for an empty cart.
func Badge(d *db.DB) web.SlotFunc {
	return func(r *http.Request) (template.HTML, error) {
		n := CountFor(r, d)
		if n == 0 {
			return "", nil
		}
		return template.HTML(` <span class="badge">` + strconv.Itoa(n) + `</span>`), nil
	}
}

// CountFor returns the number of items in the request's cart for the
// header badge, 0 when there is none or it cannot be read: the count
// cookie when the browser has one, else the database's.
func CountFor(r *http.Request, d *db.DB) int {
	token := web.Cookie(r, cookieName)
	if token == "" {
		return 0
	}
	if v := web.Cookie(r, countCookie); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= maxCount {
			return n
		}
	}
	return count(r.Context(), d, HashToken(token))
}

func count(ctx context.Context, q db.Queryer, tokenHash string) int {
	var n int
	_ = q.QueryRow(ctx, `SELECT COALESCE(SUM(ci.qty), 0) FROM cart_items ci JOIN carts c ON c.id = ci.cart_id
		WHERE c.token_hash = ?`, tokenHash).Scan(&n)
	return n
}

// RememberCount sets the browser's count cookie to the number of items in
// cart cartID as q sees it now. Call it after a change to the cart, in
// the response to the request that made it (after the transaction).
func RememberCount(ctx context.Context, w http.ResponseWriter, r *http.Request, q db.Queryer, cartID int64) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COALESCE(SUM(qty), 0) FROM cart_items WHERE cart_id = ?`, cartID).Scan(&n); err != nil {
		// Unknown: drop the hint, so the badge asks the database.
		web.SetCookie(w, r, countCookie, "", -1, http.SameSiteLaxMode)
		return
	}
	setCount(w, r, n)
}

// setCount stores n as the browser's count (kept as long as the cart's
// cookie).
func setCount(w http.ResponseWriter, r *http.Request, n int) {
	if web.Cookie(r, countCookie) == strconv.Itoa(n) {
		return
	}
	web.SetCookie(w, r, countCookie, strconv.Itoa(n), cookieAge, http.SameSiteLaxMode)
}
