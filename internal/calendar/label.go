package calendar

import "fmt"

var weekdaysJA = [7]string{"日", "月", "火", "水", "木", "金", "土"}

// Label is the date as a customer reads it when choosing a delivery day:
// "12月3日(木)" in Japanese, "Thu 3 Dec" in English. The year is left out:
// the dates on offer are the next few weeks.
func (d Date) Label(english bool) string {
	wd := d.Weekday()
	if english {
		return fmt.Sprintf("%s %d %s", wd.String()[:3], d.Day, d.Month.String()[:3])
	}
	return fmt.Sprintf("%d月%d日(%s)", int(d.Month), d.Day, weekdaysJA[wd])
}

// LabelOf is Label for a "2006-01-02" string (a delivery date as orders
// store it); anything else comes back unchanged, "" included.
func LabelOf(s string, english bool) string {
	d, err := ParseDate(s)
	if err != nil {
		return s
	}
	return d.Label(english)
}
