// Package calendar is the shop's business-day calendar: which days it
// ships, the earliest delivery date a customer can choose, the dates on
// offer, and a month grid for the storefront's calendar block. All dates
// are days in Japan (Asia/Tokyo).
package calendar

import (
	"fmt"
	"time"
)

// Tokyo returns Japan's time zone: UTC+9 as "JST". Japan has kept no
// daylight saving time since 1951, so a fixed zone is exact for every date
// a shop deals in — and works on machines and containers without
// /usr/share/zoneinfo, without linking the whole zone database (450 KB)
// into the binary.
func Tokyo() *time.Location { return tokyo }

var tokyo = time.FixedZone("JST", 9*60*60)

// Date is a calendar day with no time or zone, as a shop speaks of it:
// "delivered on 2025-01-06". The zero Date is not a valid day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day in Japan at the instant t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Tokyo()).Date()
	return Date{y, m, d}
}

// NewDate returns the date y-m-d, normalising overflow as time.Date does
// (January 32 is February 1).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, Tokyo()))
}

// ParseDate parses "2006-01-02". It returns an error for any other form
// and for days that do not exist, such as 2025-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: parse date %q: %w", s, err)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// Time returns the start of the day in Japan.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Tokyo())
}

// AddDays returns the date n calendar days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	// Noon UTC keeps the arithmetic clear of any offset question.
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// String formats the date as "2006-01-02", the form ParseDate reads and
// HTML date inputs use.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}
