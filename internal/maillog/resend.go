package maillog

import (
	"net/http"
	"strconv"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// resend serves POST /mail/log/{id}/resend: a copy of the mail goes to
// the outbox as a new row (the original keeps its history), audited in
// the same transaction. Mails with a one-time link and mails still
// waiting are refused: 409 and the reason, nothing written.
func (p *Pages) resend(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return shop.ErrNotFound
	}
	var newID int64
	err = p.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if newID, err = mail.Resend(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, admin.AuditEntry(r, "mail.resent", strconv.FormatInt(id, 10),
			map[string]any{"copy": newID}))
		return err
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "maillog.resent")
	http.Redirect(w, r, p.Admin.Base()+"/mail/log/"+strconv.FormatInt(newID, 10), http.StatusSeeOther)
	return nil
}
