package calendar

import "time"

// Day is one cell of a month grid.
type Day struct {
	Date    Date
	InMonth bool // false for the leading and trailing days of other months
	Open    bool
}

// MonthGrid is a month laid out in weeks from Sunday to Saturday, as
// Japanese calendars are, for a storefront calendar block. The first week
// starts on the Sunday on or before the 1st and the last ends on the
// Saturday on or after the last day, so there are 4 to 6 weeks.
type MonthGrid struct {
	Year  int
	Month time.Month
	Weeks [][7]Day
}

// Month returns the grid of year-month with each day's open flag. Months
// outside 1–12 are normalised as time.Date does (month 13 is next January).
func (c *Calendar) Month(year int, month time.Month) MonthGrid {
	first := NewDate(year, month, 1)
	g := MonthGrid{Year: first.Year, Month: first.Month}
	d := first.AddDays(-int(first.Weekday()))
	for {
		var week [7]Day
		for i := range week {
			week[i] = Day{Date: d, InMonth: d.Month == g.Month && d.Year == g.Year, Open: c.IsOpen(d)}
			d = d.AddDays(1)
		}
		g.Weeks = append(g.Weeks, week)
		if d.Month != g.Month || d.Year != g.Year {
			return g
		}
	}
}
