package cart

import (
	"context"
	"database/sql"
	"errors"
	"net/http"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// Ensure returns the request's cart, creating one and its cookie first.
func (s *Store) Ensure(w http.ResponseWriter, r *http.Request) (int64, error) {
	return (&Handlers{Store: s}).ensure(w, r)
}

// SignIn gives a customer who just signed in one cart: the cart they
// left on this or another device is merged into the browser's cart
// (Merge keeps the larger quantity of a variant in both), and the
// browser's cart becomes the customer's. A browser without a cart gets a
// new one, since the old cart's token is only stored hashed.
func (s *Store) SignIn(w http.ResponseWriter, r *http.Request, customerID int64) error {
	ctx := r.Context()
	old, err := customerCart(ctx, s.DB, customerID)
	if err != nil {
		return err
	}
	cur, err := s.Current(r)
	if shop.KindOf(err) == shop.NotFound {
		if old == 0 {
			return nil
		}
		if cur, err = s.Ensure(w, r); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if old != 0 && old != cur {
		if err := s.Merge(ctx, old, cur); err != nil {
			return err
		}
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE carts SET customer_id = ?, updated_at = ? WHERE id = ?`, customerID, tx.Now(), cur)
		return err
	})
	if err == nil {
		RememberCount(ctx, w, r, s.DB, cur)
	}
	return err
}

// SignOut drops the cart cookie, so the next person at this browser does
// not see the customer's cart; the cart stays with the account.
func SignOut(w http.ResponseWriter, r *http.Request) {
	web.SetCookie(w, r, cookieName, "", -1, http.SameSiteLaxMode)
	web.SetCookie(w, r, countCookie, "", -1, http.SameSiteLaxMode)
}

// customerCart returns the newest cart of a customer, 0 if none.
func customerCart(ctx context.Context, q db.Queryer, customerID int64) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM carts WHERE customer_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1`, customerID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
