package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

type holidaysView struct {
	Closed   [7]bool
	Holidays []content.Holiday
	First    string
	Last     string
	Name     string
	Errors   map[string]string
	Months   []calendar.MonthGrid
}

func (h *Handlers) renderHolidays(w http.ResponseWriter, r *http.Request, status int, v *holidaysView) error {
	ws, err := h.Settings.Get(r.Context(), content.ClosedWeekdays)
	if err != nil {
		return err
	}
	for _, d := range content.ParseWeekdays(ws) {
		v.Closed[d] = true
	}
	if v.Holidays, err = content.Holidays(r.Context(), h.DB); err != nil {
		return err
	}
	cal, err := content.Calendars{}.Calendar(r.Context(), h.DB)
	if err != nil {
		return err
	}
	today := calendar.DateOf(h.DB.Now())
	for i := range 3 {
		v.Months = append(v.Months, cal.Month(today.Year, today.Month+time.Month(i)))
	}
	return h.Page(w, r, status, "admin_holidays", "admin.holiday.title", v)
}

// holidays serves GET /holidays: closed weekdays, closed dates and ranges,
// and the next three months as the storefront will show them.
func (h *Handlers) holidays(w http.ResponseWriter, r *http.Request) error {
	return h.renderHolidays(w, r, http.StatusOK, &holidaysView{})
}

// holidayWeekdays serves POST /holidays/weekdays.
func (h *Handlers) holidayWeekdays(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	var ws []time.Weekday
	for _, s := range r.PostForm["weekday"] {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 6 {
			ws = append(ws, time.Weekday(n))
		}
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := content.SetClosedWeekdays(r.Context(), tx, h.Settings, ws); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "calendar.weekdays", "calendar", map[string]any{"closed": content.FormatWeekdays(ws)}))
		return err
	})
	if e, ok := err.(*shop.Error); ok && e.Kind == shop.Invalid {
		return h.renderHolidays(w, r, http.StatusUnprocessableEntity, &holidaysView{Errors: e.Fields})
	}
	if err != nil {
		return err
	}
	h.Settings.Invalidate()
	return h.flashBack(w, r, "admin.saved", "/holidays")
}

// holidayAdd serves POST /holidays: one closed date or a range.
func (h *Handlers) holidayAdd(w http.ResponseWriter, r *http.Request) error {
	first, last, name := r.PostFormValue("first"), r.PostFormValue("last"), r.PostFormValue("name")
	hd, errs := content.ParseHoliday(first, last, name)
	if errs != nil {
		return h.renderHolidays(w, r, http.StatusUnprocessableEntity, &holidaysView{First: first, Last: last, Name: name, Errors: errs})
	}
	err := h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := content.AddHoliday(r.Context(), tx, hd); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "calendar.holiday_added", hd.First.String()+"/"+hd.Last.String(), map[string]any{"name": hd.Name}))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/holidays")
}

// holidayDelete serves POST /holidays/{id}/delete.
func (h *Handlers) holidayDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	err = h.DB.Tx(r.Context(), func(tx *db.Tx) error {
		if err := content.DeleteHoliday(r.Context(), tx, id); err != nil {
			return err
		}
		_, err := audit.Append(r.Context(), tx, AuditEntry(r, "calendar.holiday_deleted", idString(id), nil))
		return err
	})
	if err != nil {
		return err
	}
	return h.flashBack(w, r, "admin.saved", "/holidays")
}
