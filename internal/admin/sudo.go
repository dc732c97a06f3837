package admin

import (
	"net/http"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/web"
)

type sudoPage struct {
	Next       string
	Message    string
	HasPasskey bool
}

// safeNext keeps a post-confirmation redirect inside the admin.
func (h *Handlers) safeNext(next string) string {
	if !strings.HasPrefix(next, h.base+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return h.base + "/"
	}
	return next
}

// sudoPage asks for the password again before a sensitive action.
// GET /{admin}/sudo
func (h *Handlers) sudoPage(w http.ResponseWriter, r *http.Request, c *current) error {
	pks, err := Passkeys(r.Context(), h.DB, c.admin.ID)
	if err != nil {
		return err
	}
	return h.page(w, r, http.StatusOK, "admin_sudo", "admin.sudo.title", &sudoPage{Next: h.safeNext(r.URL.Query().Get("next")), HasPasskey: len(pks) > 0})
}

// sudoConfirm opens sudo mode for ten minutes. POST /{admin}/sudo
func (h *Handlers) sudoConfirm(w http.ResponseWriter, r *http.Request, c *current) error {
	ctx := r.Context()
	next := h.safeNext(r.PostFormValue("next"))
	ip := web.Info(r).ClientIP
	bucket, key, err := h.passwordBucket(ctx, c.admin, c.admin.Email, ip)
	if err != nil {
		return err
	}
	if wait, err := h.blocked(ctx, bucket, key, ip.String()); err != nil || wait > 0 {
		if err != nil {
			return err
		}
		return tooMany(wait)
	}
	ok, _, err := auth.CheckPassword(c.admin.PasswordHash, r.PostFormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		if err := h.recordFailure(ctx, r, c.admin, c.admin.Email, bucket, key, ip.String(), map[string]any{"step": "sudo"}); err != nil {
			return err
		}
		return h.page(w, r, http.StatusUnauthorized, "admin_sudo", "admin.sudo.title", &sudoPage{Next: next, Message: "admin.sudo.failed"})
	}
	err = h.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE admin_sessions SET sudo_until = ? WHERE id_hash = ?`, tx.Now().Add(sudoFor), c.sess.IDHash); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, h.entry(r, c.admin, "sudo.confirmed", c.admin.Email, nil))
		return err
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
