package content

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// Holiday is a closed day or range of days (12/29–1/3), both ends
// included.
type Holiday struct {
	ID          int64
	First, Last calendar.Date
	Name        string
}

// MaxHolidayDays bounds one range, so a typo in the year cannot close the
// shop for a decade.
const MaxHolidayDays = 366

// ParseHoliday validates a range typed in the admin: first and last as
// YYYY-MM-DD (last empty: one day). It returns the fields in error.
func ParseHoliday(first, last, name string) (*Holiday, map[string]string) {
	errs := map[string]string{}
	h := &Holiday{Name: strings.TrimSpace(name)}
	var err error
	if h.First, err = calendar.ParseDate(strings.TrimSpace(first)); err != nil {
		errs["first"] = "content.err.date"
	}
	h.Last = h.First
	if strings.TrimSpace(last) != "" {
		if h.Last, err = calendar.ParseDate(strings.TrimSpace(last)); err != nil {
			errs["last"] = "content.err.date"
		}
	}
	if len(errs) == 0 {
		n := days(h.First, h.Last)
		if n < 0 {
			errs["last"] = "content.err.range_order"
		} else if n >= MaxHolidayDays {
			errs["last"] = "content.err.range_long"
		}
	}
	if utf8.RuneCountInString(h.Name) > MaxName || !SingleLine(h.Name) {
		errs["name"] = "content.err.too_long"
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return h, nil
}

func days(a, b calendar.Date) int {
	return int(b.Time().Sub(a.Time()).Round(time.Hour).Hours() / 24)
}

// Holidays returns the closed ranges, in date order.
func Holidays(ctx context.Context, q db.Queryer) ([]Holiday, error) {
	rows, err := q.Query(ctx, `SELECT id, first_day, last_day, name FROM holidays ORDER BY first_day, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Holiday
	for rows.Next() {
		var h Holiday
		var first, last string
		if err := rows.Scan(&h.ID, &first, &last, &h.Name); err != nil {
			return nil, err
		}
		if h.First, err = calendar.ParseDate(first); err != nil {
			return nil, err
		}
		if h.Last, err = calendar.ParseDate(last); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// AddHoliday stores a validated range.
func AddHoliday(ctx context.Context, tx *db.Tx, h *Holiday) error {
	return tx.QueryRow(ctx, `INSERT INTO holidays (first_day, last_day, name, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		h.First.String(), h.Last.String(), h.Name, tx.Now()).Scan(&h.ID)
}

// DeleteHoliday removes a range; shop.ErrNotFound if there is none.
func DeleteHoliday(ctx context.Context, tx *db.Tx, id int64) error {
	return notFound(db.RowsAffected(tx.Exec(ctx, `DELETE FROM holidays WHERE id = ?`, id)))
}

// ParseWeekdays reads the closed weekdays setting ("0,6").
func ParseWeekdays(s string) []time.Weekday {
	var out []time.Weekday
	for part := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err == nil && n >= 0 && n <= 6 && !slices.Contains(out, time.Weekday(n)) {
			out = append(out, time.Weekday(n))
		}
	}
	slices.Sort(out)
	return out
}

// FormatWeekdays is the setting's form of ws.
func FormatWeekdays(ws []time.Weekday) string {
	var parts []string
	for _, w := range ws {
		parts = append(parts, strconv.Itoa(int(w)))
	}
	return strings.Join(parts, ",")
}

// SetClosedWeekdays saves the closed weekdays. It refuses all seven (the
// shop would never ship) with an Invalid error on the field "weekdays".
func SetClosedWeekdays(ctx context.Context, tx *db.Tx, st *settings.Store, ws []time.Weekday) error {
	if _, err := calendar.New(ws, nil); err != nil {
		return shop.Invalidf(map[string]string{"weekdays": "content.err.never_open"})
	}
	return st.Set(ctx, tx, map[string]string{ClosedWeekdays: FormatWeekdays(ws)})
}

// Calendars builds the shop's business-day calendar from the closed
// weekdays and holidays, for checkout and the storefront block.
type Calendars struct{}

// Calendar returns the calendar as stored now, read through q: inside a
// transaction (checkout places orders in one) pass the transaction, so no
// second connection is needed while it holds one.
func (Calendars) Calendar(ctx context.Context, q db.Queryer) (*calendar.Calendar, error) {
	var ws string
	err := q.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, ClosedWeekdays).Scan(&ws)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	hs, err := Holidays(ctx, q)
	if err != nil {
		return nil, err
	}
	var dates []calendar.Date
	for _, h := range hs {
		for d := h.First; !h.Last.Before(d); d = d.AddDays(1) {
			dates = append(dates, d)
		}
	}
	cal, err := calendar.New(ParseWeekdays(ws), dates)
	if err != nil {
		// A setting edited outside the admin: better every day open than
		// no checkout at all.
		return calendar.New(nil, dates)
	}
	return cal, nil
}
