package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// SignedIn reports whether r carries a live, fully signed-in admin session
// from a permitted address, checked against the sessions table: the
// storefront lets such an admin through maintenance mode. Nothing else in
// the request (no other cookie, no header) counts.
func (h *Handlers) SignedIn(r *http.Request) bool {
	s, a, err := h.session(r.Context(), r)
	if err != nil || s == nil || a == nil || s.Stage != stageActive {
		return false
	}
	ok, err := h.addressPermitted(r)
	return err == nil && ok
}

type maintenanceView struct {
	On           bool
	Note, NoteEN string
	Retry        string
	Errors       map[string]string
}

// maintenancePage serves GET /maintenance: the switch and the page text.
func (h *Handlers) maintenancePage(w http.ResponseWriter, r *http.Request) error {
	all, err := h.Settings.All(r.Context())
	if err != nil {
		return err
	}
	v := &maintenanceView{On: all[content.MaintenanceOn] == "1", Note: all[content.MaintenanceNote], NoteEN: all[content.MaintenanceNoteEN], Retry: all[content.MaintenanceRetry]}
	if v.Retry == "" {
		v.Retry = strconv.Itoa(content.DefaultRetryMinutes)
	}
	return h.Page(w, r, http.StatusOK, "admin_maintenance", "admin.maintenance.title", v)
}

// maintenanceSave serves POST /maintenance: switches maintenance mode on
// or off and saves the page text, audited.
func (h *Handlers) maintenanceSave(w http.ResponseWriter, r *http.Request) error {
	v := &maintenanceView{On: r.PostFormValue("on") == "1", Note: strings.TrimSpace(r.PostFormValue("note")),
		NoteEN: strings.TrimSpace(r.PostFormValue("note_en")), Retry: strings.TrimSpace(r.PostFormValue("retry")), Errors: map[string]string{}}
	if n, err := strconv.Atoi(v.Retry); err != nil || n < 1 || n > 7*24*60 {
		v.Errors["retry"] = "admin.maintenance.bad_retry"
	}
	for f, s := range map[string]string{"note": v.Note, "note_en": v.NoteEN} {
		if len(s) > 2000 || !content.Text(strings.ReplaceAll(s, "\r\n", "\n")) {
			v.Errors[f] = "content.err.too_long"
		}
	}
	if len(v.Errors) > 0 {
		return h.Page(w, r, http.StatusUnprocessableEntity, "admin_maintenance", "admin.maintenance.title", v)
	}
	on := ""
	if v.On {
		on = "1"
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := h.Settings.Set(r.Context(), tx, map[string]string{content.MaintenanceOn: on, content.MaintenanceNote: v.Note,
			content.MaintenanceNoteEN: v.NoteEN, content.MaintenanceRetry: v.Retry}); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "maintenance.set", "storefront", map[string]any{"on": v.On}))
		return err
	})
	if err != nil {
		return err
	}
	h.Settings.Invalidate()
	return h.flashBack(w, r, "admin.saved", "/maintenance")
}

// formID reads a positive integer path value, or shop.ErrNotFound.
func formID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, shop.ErrNotFound
	}
	return id, nil
}

func idString(n int64) string { return strconv.FormatInt(n, 10) }
