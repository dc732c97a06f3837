// Package report holds the sales reports (売上集計): sales by day, week
// or month with the previous period beside them, and by product,
// category, customer attribute and payment method, as charts and CSV.
// The figures come from a daily summary table (summary_store.go) kept in
// step with the orders, so a year's report reads a few thousand rows
// rather than every order line.
package report

import (
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

// jst is the shop's calendar: sales belong to the Japanese day they were
// ordered on.
var jst = time.FixedZone("JST", 9*60*60)

// Kind is what a report is broken down by.
type Kind string

const (
	ByPeriod   Kind = "period"
	ByProduct  Kind = "product"
	ByCategory Kind = "category"
	ByAge      Kind = "age"
	ByGender   Kind = "gender"
	ByPref     Kind = "pref"
	ByMember   Kind = "member"
	ByPayment  Kind = "payment"
)

// Kinds lists the reports in menu order.
var Kinds = []Kind{ByPeriod, ByProduct, ByCategory, ByAge, ByGender, ByPref, ByMember, ByPayment}

func (k Kind) valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Unit is the bucket of a period report.
type Unit string

const (
	Day   Unit = "day"
	Week  Unit = "week" // weeks start on Monday
	Month Unit = "month"
)

// MaxSpan is the longest period a report covers.
const MaxSpan = 5 * 366 * 24 * time.Hour

// Error keys of a report query.
const (
	ErrKeyDate  = "report.error.date"
	ErrKeyOrder = "report.error.order"
	ErrKeySpan  = "report.error.span"
	ErrKeyKind  = "report.error.kind"
)

// Query selects a report: its kind, the first and last day (JST,
// inclusive) and, for a period report, the bucket.
type Query struct {
	Kind     Kind
	From, To time.Time // midnight JST
	Unit     Unit
}

// ParseQuery reads a query from form values (YYYY-MM-DD dates). Empty
// dates default to the current month up to today. It returns shop.Invalid
// with per-field keys for a bad date, an end before the start, a span
// over five years or an unknown kind.
func ParseQuery(kind, from, to, unit string, now time.Time) (Query, error) {
	now = now.In(jst)
	q := Query{Kind: Kind(kind), Unit: Unit(unit)}
	if q.Kind == "" {
		q.Kind = ByPeriod
	}
	switch q.Unit {
	case Day, Week, Month:
	default:
		q.Unit = Day
	}
	fields := map[string]string{}
	if !q.Kind.valid() {
		fields["kind"] = ErrKeyKind
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, jst)
	q.From, q.To = today.AddDate(0, 0, 1-today.Day()), today
	if from != "" {
		t, err := time.ParseInLocation("2006-01-02", from, jst)
		if err != nil {
			fields["from"] = ErrKeyDate
		}
		q.From = t
	}
	if to != "" {
		t, err := time.ParseInLocation("2006-01-02", to, jst)
		if err != nil {
			fields["to"] = ErrKeyDate
		}
		q.To = t
	}
	if len(fields) == 0 {
		switch {
		case q.To.Before(q.From):
			fields["to"] = ErrKeyOrder
		case q.To.Sub(q.From) > MaxSpan:
			fields["to"] = ErrKeySpan
		}
	}
	if len(fields) > 0 {
		return q, shop.Invalidf(fields)
	}
	return q, nil
}

// Days is the number of days the query covers.
func (q Query) Days() int { return int(q.To.Sub(q.From).Hours()/24+0.5) + 1 }

// Previous is the period of the same length just before q.
func (q Query) Previous() Query {
	p := q
	p.To = q.From.AddDate(0, 0, -1)
	p.From = p.To.AddDate(0, 0, 1-q.Days())
	return p
}

// Figures are the sales of a bucket or a breakdown row. Amount is
// tax-included yen: order totals for a period or customer attribute,
// line totals for products and categories.
type Figures struct {
	Orders int64
	Qty    int64
	Amount shop.Yen
}

// Bucket is one bar of a period report.
type Bucket struct {
	Start    time.Time
	Label    string
	Figures  Figures
	Previous Figures // the bucket at the same place in the previous period
}

// Row is one line of a breakdown report.
type Row struct {
	Key     string
	Label   string
	Figures Figures
	Share   float64 // of the period's amount, 0–1
}

// Percent is the row's share as a percentage.
func (r Row) Percent() float64 { return r.Share * 100 }

// Change is the change from prev to cur as a percentage, and false when
// there is nothing to compare with.
func Change(cur, prev shop.Yen) (float64, bool) {
	if prev == 0 {
		return 0, false
	}
	return float64(cur-prev) / float64(prev) * 100, true
}

// bucketStart returns the start of the bucket t falls in.
func bucketStart(t time.Time, u Unit) time.Time {
	switch u {
	case Week:
		wd := (int(t.Weekday()) + 6) % 7 // Monday 0
		return t.AddDate(0, 0, -wd)
	case Month:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, jst)
	}
	return t
}

// bucketLabel names a bucket the way a chart axis shows it.
func bucketLabel(t time.Time, u Unit) string {
	switch u {
	case Month:
		return fmt.Sprintf("%d/%02d", t.Year(), int(t.Month()))
	}
	return fmt.Sprintf("%02d/%02d", int(t.Month()), t.Day())
}

// ageBand names the age band of someone born on birthday (YYYY-MM-DD) at
// the day of the order: "10", "20", … "70" (70 and over), or "unknown".
func ageBand(birthday string, at time.Time) string {
	b, err := time.Parse("2006-01-02", birthday)
	if err != nil {
		return "unknown"
	}
	age := at.Year() - b.Year()
	if at.Month() < b.Month() || (at.Month() == b.Month() && at.Day() < b.Day()) {
		age--
	}
	switch {
	case age < 0:
		return "unknown"
	case age < 20:
		return "10"
	case age >= 70:
		return "70"
	}
	return fmt.Sprintf("%d", age/10*10)
}
