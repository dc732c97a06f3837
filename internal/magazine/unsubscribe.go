package magazine

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

// Unsubscribe serves the links every magazine carries:
//
//	GET  /mail/unsubscribe/{token}  a page with one button (a GET changes
//	                                nothing: link scanners follow links)
//	POST /mail/unsubscribe/{token}  unsubscribes: the RFC 8058 one-click
//	                                POST of a mailbox provider (body
//	                                List-Unsubscribe=One-Click) or the button
//
// The signed token in the path is the authority, so the POST needs no
// CSRF token (OneClick tells the middleware); a forged token is refused
// and a used one changes nothing, both with a clear page.
type Unsubscribe struct {
	DB     *db.DB
	Tokens Tokens
	Render *web.Renderer
	Log    *slog.Logger
}

// UnsubscribePath is the prefix of the unsubscribe links.
const UnsubscribePath = "/mail/unsubscribe/"

// OneClick reports the requests that authenticate by their signed token
// instead of a CSRF token: the unsubscribe POSTs.
func OneClick(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, UnsubscribePath)
}

// Routes mounts the unsubscribe page and registers its template.
func (u *Unsubscribe) Routes(mux *http.ServeMux) error {
	if err := u.Render.AddPages("shop", templateFS, "templates/shop_*.html"); err != nil {
		return err
	}
	mux.Handle("GET "+UnsubscribePath+"{token}", u.Render.Handle(u.page))
	mux.Handle("POST "+UnsubscribePath+"{token}", u.Render.Handle(u.post))
	return nil
}

type unsubscribePage struct {
	Token  string
	State  string // ask, done, used, invalid, test
	Email  string
	Status int
}

func (u *Unsubscribe) render(w http.ResponseWriter, r *http.Request, p *unsubscribePage) error {
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	return u.Render.Render(w, r, p.Status, "shop_unsubscribe", &web.Page{Title: web.T(r, "magazine.unsub.title"), NoIndex: true, Data: p})
}

func (u *Unsubscribe) page(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	rid, ok := u.Tokens.verify(purposeUnsubscribe, tok)
	switch {
	case !ok:
		return u.render(w, r, &unsubscribePage{State: "invalid", Status: http.StatusBadRequest})
	case rid == 0:
		return u.render(w, r, &unsubscribePage{State: "test"})
	}
	email, used, err := u.recipient(r.Context(), rid)
	if errors.Is(err, sql.ErrNoRows) {
		return u.render(w, r, &unsubscribePage{State: "invalid", Status: http.StatusBadRequest})
	}
	if err != nil {
		return err
	}
	if used {
		return u.render(w, r, &unsubscribePage{State: "used", Email: email})
	}
	return u.render(w, r, &unsubscribePage{State: "ask", Token: tok, Email: email})
}

func (u *Unsubscribe) recipient(ctx context.Context, rid int64) (email string, used bool, err error) {
	var at sql.NullTime
	err = u.DB.QueryRow(ctx, `SELECT email, unsubscribed_at FROM magazine_recipients WHERE id = ?`, rid).Scan(&email, &at)
	return email, at.Valid, err
}

// post unsubscribes the recipient's customer at once: the next recipient
// batch of any send reads the customer's opt-in again. The response to a
// used token is 200 too (the recipient is not subscribed, which is what
// was asked) with a page saying that nothing changed.
func (u *Unsubscribe) post(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	rid, ok := u.Tokens.verify(purposeUnsubscribe, tok)
	switch {
	case !ok:
		u.Log.Warn("magazine: unsubscribe with a forged or damaged token", "request_id", web.Info(r).ID)
		return u.render(w, r, &unsubscribePage{State: "invalid", Status: http.StatusBadRequest})
	case rid == 0:
		return u.render(w, r, &unsubscribePage{State: "test"})
	}
	state, email, err := Unsub(r.Context(), u.DB, rid)
	if errors.Is(err, sql.ErrNoRows) {
		return u.render(w, r, &unsubscribePage{State: "invalid", Status: http.StatusBadRequest})
	}
	if err != nil {
		return err
	}
	return u.render(w, r, &unsubscribePage{State: state, Email: email})
}

// Unsub unsubscribes the customer of recipient rid and records it on the
// recipient (the send's statistics count it). It returns "done", or
// "used" when the recipient's link was used before (nothing changes: a
// customer who subscribed again since stays subscribed), or
// sql.ErrNoRows for an unknown recipient.
func Unsub(ctx context.Context, d *db.DB, rid int64) (state, email string, err error) {
	err = d.Tx(ctx, func(tx *db.Tx) error {
		var customerID int64
		var at sql.NullTime
		if err := tx.QueryRow(ctx, `SELECT customer_id, email, unsubscribed_at FROM magazine_recipients WHERE id = ?`, rid).
			Scan(&customerID, &email, &at); err != nil {
			return err
		}
		if at.Valid {
			state = "used"
			return nil
		}
		now := tx.Now()
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE magazine_recipients SET unsubscribed_at = ? WHERE id = ? AND unsubscribed_at IS NULL`, now, rid))
		if err != nil {
			return err
		}
		if n == 0 {
			state = "used"
			return nil
		}
		state = "done"
		_, err = tx.Exec(ctx, `UPDATE customers SET newsletter = FALSE, newsletter_at = NULL, version = version + 1, updated_at = ? WHERE id = ? AND newsletter = TRUE`, now, customerID)
		return err
	})
	return state, email, err
}
