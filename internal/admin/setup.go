package admin

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// SetupURL returns a one-time URL for creating the owner when the shop has
// no admin yet, or "" when it has one. The token is random, stored only as
// a hash, valid for an hour and for one use. No admin, no default
// password: the only way in is this link from the server's log (or the
// CLI).
func (h *Handlers) SetupURL(ctx context.Context) (string, error) {
	tok := auth.NewToken()
	created := false
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := CountAdmins(ctx, tx)
		if err != nil || n > 0 {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO admin_setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)`,
			auth.HashToken(tok), tx.Now(), tx.Now().Add(setupTokenFor))
		created = err == nil
		return err
	})
	if err != nil || !created {
		return "", err
	}
	return strings.TrimRight(h.Config.BaseURL, "/") + h.base + "/setup/" + tok, nil
}

var errSetupToken = &shop.Error{Kind: shop.NotFound, Key: "admin.setup.invalid"}

// checkSetupToken returns errSetupToken unless tok is unused and unexpired.
func checkSetupToken(ctx context.Context, q db.Queryer, tok string, now time.Time) error {
	var used sql.NullTime
	var expires time.Time
	err := q.QueryRow(ctx, `SELECT used_at, expires_at FROM admin_setup_tokens WHERE token_hash = ?`, auth.HashToken(tok)).Scan(&used, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return errSetupToken
	}
	if err != nil {
		return err
	}
	if used.Valid || !now.Before(expires) {
		return errSetupToken
	}
	return nil
}

type setupForm struct {
	Email, Name string
	Fields      map[string]string
}

// setupPage shows the owner form. GET /{admin}/setup/{token}
func (h *Handlers) setupPage(w http.ResponseWriter, r *http.Request) error {
	if err := checkSetupToken(r.Context(), h.DB, r.PathValue("token"), h.DB.Now()); err != nil {
		h.audit(r, nil, "setup.token_refused", "", nil)
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_setup", "admin.setup.title", &setupForm{})
}

// setupSave creates the owner and starts enrolment. POST /{admin}/setup/{token}
func (h *Handlers) setupSave(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	f := &setupForm{Email: r.PostFormValue("email"), Name: r.PostFormValue("name")}
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		f.Fields = map[string]string{"password2": "admin.field.password_mismatch"}
		return h.page(w, r, http.StatusUnprocessableEntity, "admin_setup", "admin.setup.title", f)
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := checkSetupToken(r.Context(), tx, tok, tx.Now()); err != nil {
			return err
		}
		if n, err := CountAdmins(r.Context(), tx); err != nil || n > 0 {
			if err == nil {
				err = errSetupToken
			}
			return err
		}
		a, err := CreateAdmin(r.Context(), tx, NewAdmin{Email: f.Email, Name: f.Name, Password: r.PostFormValue("password"), Role: Owner, Lang: string(web.Lang(r))})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(r.Context(), `UPDATE admin_setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, tx.Now(), auth.HashToken(tok)); err != nil {
			return err
		}
		if _, err := audit.Append(r.Context(), tx, h.entry(r, a, "setup.owner_created", a.Email, nil)); err != nil {
			return err
		}
		return h.startSession(r.Context(), tx, w, r, a.ID, stageEnrol, "")
	})
	var e *shop.Error
	if errors.As(err, &e) && e.Fields != nil {
		f.Fields = e.Fields
		return h.page(w, r, http.StatusUnprocessableEntity, "admin_setup", "admin.setup.title", f)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, h.base+"/enrol", http.StatusSeeOther)
	return nil
}
