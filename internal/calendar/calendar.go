package calendar

import (
	"errors"
	"fmt"
	"time"
)

// Calendar says on which days the shop works (ships). It is immutable and
// safe for concurrent use.
type Calendar struct {
	closedWeekday [7]bool
	closedDate    map[Date]bool
}

// ErrNeverOpen is returned by New for a calendar closed on every weekday:
// no business day would ever come.
var ErrNeverOpen = errors.New("calendar: closed on every day of the week")

// New returns a calendar closed on the given weekdays every week (say
// time.Sunday) and on the given dates (holidays, the New Year closure). It
// returns ErrNeverOpen if all seven weekdays are closed.
func New(closedWeekdays []time.Weekday, closedDates []Date) (*Calendar, error) {
	c := &Calendar{closedDate: make(map[Date]bool, len(closedDates))}
	closed := 0
	for _, w := range closedWeekdays {
		if w < time.Sunday || w > time.Saturday {
			return nil, fmt.Errorf("calendar: weekday %d out of range", w)
		}
		if !c.closedWeekday[w] {
			closed++
		}
		c.closedWeekday[w] = true
	}
	if closed == 7 {
		return nil, ErrNeverOpen
	}
	for _, d := range closedDates {
		c.closedDate[d] = true
	}
	return c, nil
}

// IsOpen reports whether the shop works on d.
func (c *Calendar) IsOpen(d Date) bool {
	return !c.closedWeekday[d.Weekday()] && !c.closedDate[d]
}

// AddBusinessDays returns the n-th open day after from (before it, for
// negative n), not counting from itself, whether or not from is open. For
// n = 0 it returns from if open, else the next open day. The result is
// always an open day.
func (c *Calendar) AddBusinessDays(from Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	d := from
	if n == 0 {
		for !c.IsOpen(d) {
			d = d.AddDays(1)
		}
		return d
	}
	// Terminates: at least one weekday is open and closed dates are finite.
	for n > 0 {
		d = d.AddDays(step)
		if c.IsOpen(d) {
			n--
		}
	}
	return d
}

// ErrArgument is returned by EarliestDelivery for a negative lead or
// transit time or a cut-off hour outside 0–24.
var ErrArgument = errors.New("calendar: invalid argument")

// EarliestDelivery returns the first day a customer ordering at now can
// choose for delivery. An order counts from today if today is open and it
// is before cutoffHour o'clock in Japan (24: any time of day; 0: never
// same-day), otherwise from the next open day. The parcel ships leadDays
// business days after that day (0: the same day) and arrives transitDays
// calendar days after shipping, since carriers deliver on the shop's
// closed days too. It returns an error wrapping ErrArgument for negative
// days or a cut-off outside 0–24.
func (c *Calendar) EarliestDelivery(now time.Time, leadDays, transitDays, cutoffHour int) (Date, error) {
	if leadDays < 0 || transitDays < 0 || cutoffHour < 0 || cutoffHour > 24 {
		return Date{}, fmt.Errorf("%w: lead %d, transit %d, cut-off %d", ErrArgument, leadDays, transitDays, cutoffHour)
	}
	local := now.In(Tokyo())
	today := DateOf(local)
	start := today
	if !c.IsOpen(today) || local.Hour() >= cutoffHour {
		start = c.AddBusinessDays(today, 1)
	}
	ship := c.AddBusinessDays(start, leadDays)
	return ship.AddDays(transitDays), nil
}

// Window returns the days consecutive days from earliest on, the dates a
// customer may pick for delivery (EC-CUBE offers 21). It returns nil for
// days ≤ 0.
func Window(earliest Date, days int) []Date {
	if days <= 0 {
		return nil
	}
	out := make([]Date, days)
	for i := range out {
		out[i] = earliest.AddDays(i)
	}
	return out
}
