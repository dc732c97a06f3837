package calendar

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) Date { return Date{y, m, day} }

// newYearShop is closed on Sundays and for the New Year holidays
// 2025-12-29 (Mon) to 2026-01-03 (Sat). With the Sundays 12-28 and 01-04
// around it, nothing ships from 2025-12-28 to 2026-01-04.
func newYearShop(t *testing.T) *Calendar {
	t.Helper()
	var closed []Date
	for day := d(2025, 12, 29); day.Before(d(2026, 1, 4)); day = day.AddDays(1) {
		closed = append(closed, day)
	}
	if len(closed) != 6 {
		t.Fatalf("closure has %d days", len(closed))
	}
	c, err := New([]time.Weekday{time.Sunday}, closed)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsOpen(t *testing.T) {
	t.Parallel()
	c := newYearShop(t)
	for _, tc := range []struct {
		day  Date
		open bool
	}{
		{d(2025, 12, 26), true},  // Friday
		{d(2025, 12, 27), true},  // Saturday
		{d(2025, 12, 28), false}, // Sunday
		{d(2025, 12, 29), false}, // closure starts
		{d(2025, 12, 31), false},
		{d(2026, 1, 1), false},
		{d(2026, 1, 3), false},  // closure ends (Saturday)
		{d(2026, 1, 4), false},  // Sunday
		{d(2026, 1, 5), true},   // Monday
		{d(2026, 12, 29), true}, // next year's closure was not entered
	} {
		if got := c.IsOpen(tc.day); got != tc.open {
			t.Errorf("IsOpen(%s) = %v, want %v", tc.day, got, tc.open)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	t.Parallel()
	c := newYearShop(t)
	for _, tc := range []struct {
		from Date
		n    int
		want Date
	}{
		{d(2025, 12, 26), 1, d(2025, 12, 27)},
		{d(2025, 12, 27), 1, d(2026, 1, 5)}, // over the closure
		{d(2025, 12, 27), 2, d(2026, 1, 6)},
		{d(2026, 1, 1), 1, d(2026, 1, 5)}, // from a closed day
		{d(2026, 1, 1), 0, d(2026, 1, 5)},
		{d(2026, 1, 5), 0, d(2026, 1, 5)},
		{d(2026, 1, 5), -1, d(2025, 12, 27)},
		{d(2026, 1, 10), 1, d(2026, 1, 12)}, // Saturday → Monday
		{d(2026, 1, 5), 6, d(2026, 1, 12)},  // a week, skipping Sunday
	} {
		if got := c.AddBusinessDays(tc.from, tc.n); got != tc.want {
			t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestEarliestDelivery(t *testing.T) {
	t.Parallel()
	c := newYearShop(t)
	jst := func(m time.Month, day, h, min int) time.Time {
		y := 2025
		if m == time.January {
			y = 2026
		}
		return time.Date(y, m, day, h, min, 0, 0, Tokyo())
	}
	for _, tc := range []struct {
		name                  string
		now                   time.Time
		lead, transit, cutoff int
		want                  Date
	}{
		{"before cut-off ships next business day", jst(12, 26, 10, 0), 1, 1, 15, d(2025, 12, 28)},
		{"same-day shipping", jst(12, 26, 14, 59), 0, 1, 15, d(2025, 12, 27)},
		{"at cut-off counts from the next open day", jst(12, 26, 15, 0), 0, 1, 15, d(2025, 12, 28)},
		{"after cut-off on the last day before the closure", jst(12, 27, 16, 0), 1, 1, 15, d(2026, 1, 7)},
		{"before cut-off on the last day before the closure", jst(12, 27, 10, 0), 1, 1, 15, d(2026, 1, 6)},
		{"same day, delivered during the closure", jst(12, 27, 10, 0), 0, 2, 15, d(2025, 12, 29)},
		{"ordered on New Year's Day", jst(1, 1, 9, 0), 0, 1, 15, d(2026, 1, 6)},
		{"ordered on a closed Sunday", jst(1, 4, 9, 0), 2, 0, 15, d(2026, 1, 7)},
		{"no cut-off", jst(12, 26, 23, 59), 0, 0, 24, d(2025, 12, 26)},
		{"always next day", jst(12, 26, 0, 0), 0, 0, 0, d(2025, 12, 27)},
		// 06:30 UTC is 15:30 in Tokyo: past the cut-off there.
		{"now in UTC after cut-off", time.Date(2025, 12, 26, 6, 30, 0, 0, time.UTC), 0, 1, 15, d(2025, 12, 28)},
		{"now in UTC before cut-off", time.Date(2025, 12, 26, 5, 59, 0, 0, time.UTC), 0, 1, 15, d(2025, 12, 27)},
		// 2025-12-25 20:00 UTC is already 12-26 05:00 in Tokyo.
		{"UTC evening is the next day in Japan", time.Date(2025, 12, 25, 20, 0, 0, 0, time.UTC), 0, 0, 15, d(2025, 12, 26)},
	} {
		got, err := c.EarliestDelivery(tc.now, tc.lead, tc.transit, tc.cutoff)
		if err != nil || got != tc.want {
			t.Errorf("%s: EarliestDelivery(%s, %d, %d, %d) = %s, %v; want %s", tc.name, tc.now, tc.lead, tc.transit, tc.cutoff, got, err, tc.want)
		}
	}
	for _, args := range [][3]int{{-1, 0, 15}, {0, -1, 15}, {0, 0, -1}, {0, 0, 25}} {
		if _, err := c.EarliestDelivery(jst(12, 26, 10, 0), args[0], args[1], args[2]); !errors.Is(err, ErrArgument) {
			t.Errorf("EarliestDelivery(%v) err = %v, want ErrArgument", args, err)
		}
	}
}

func TestWindow(t *testing.T) {
	t.Parallel()
	got := Window(d(2025, 12, 30), 4)
	want := []Date{d(2025, 12, 30), d(2025, 12, 31), d(2026, 1, 1), d(2026, 1, 2)}
	if !slices.Equal(got, want) {
		t.Errorf("Window = %v, want %v", got, want)
	}
	if w := Window(d(2026, 1, 5), 21); len(w) != 21 || w[20] != d(2026, 1, 25) {
		t.Errorf("21-day window ends %v", w[len(w)-1])
	}
	if Window(d(2026, 1, 5), 0) != nil {
		t.Error("empty window should be nil")
	}
}

func TestMonth(t *testing.T) {
	t.Parallel()
	c := newYearShop(t)
	g := c.Month(2026, time.January)
	// 2026-01-01 is a Thursday and the 31st a Saturday: five weeks from
	// Sunday 2025-12-28.
	if g.Year != 2026 || g.Month != time.January || len(g.Weeks) != 5 {
		t.Fatalf("grid %d-%d has %d weeks", g.Year, g.Month, len(g.Weeks))
	}
	if first := g.Weeks[0][0]; first.Date != d(2025, 12, 28) || first.InMonth || first.Open {
		t.Errorf("first cell = %+v", first)
	}
	if c := g.Weeks[0][4]; c.Date != d(2026, 1, 1) || !c.InMonth || c.Open {
		t.Errorf("New Year's Day cell = %+v", c)
	}
	if c := g.Weeks[1][1]; c.Date != d(2026, 1, 5) || !c.InMonth || !c.Open {
		t.Errorf("first open day cell = %+v", c)
	}
	if last := g.Weeks[4][6]; last.Date != d(2026, 1, 31) || !last.InMonth || !last.Open {
		t.Errorf("last cell = %+v", last)
	}
	open := 0
	for _, w := range g.Weeks {
		for i, day := range w {
			if day.Date.Weekday() != time.Weekday(i) {
				t.Errorf("%s in column %d", day.Date, i)
			}
			if day.InMonth && day.Open {
				open++
			}
		}
	}
	// 31 days − 1..3 closed − 4 Sundays (4, 11, 18, 25) = 24.
	if open != 24 {
		t.Errorf("%d open days in January 2026, want 24", open)
	}

	for _, tc := range []struct {
		y     int
		m     time.Month
		weeks int
	}{
		{2026, time.February, 4}, // starts Sunday, 28 days
		{2026, time.May, 6},      // starts Friday, 31 days
		{2025, time.December, 5},
		{2025, time.Month(13), 5}, // normalised to January 2026
	} {
		if g := c.Month(tc.y, tc.m); len(g.Weeks) != tc.weeks {
			t.Errorf("Month(%d, %d) has %d weeks, want %d", tc.y, tc.m, len(g.Weeks), tc.weeks)
		}
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	all := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	if _, err := New(all, nil); !errors.Is(err, ErrNeverOpen) {
		t.Errorf("all weekdays closed: err = %v", err)
	}
	if _, err := New([]time.Weekday{7}, nil); err == nil {
		t.Error("weekday 7 accepted")
	}
	c, err := New([]time.Weekday{time.Saturday, time.Sunday, time.Sunday}, nil)
	if err != nil || c.IsOpen(d(2026, 1, 10)) || !c.IsOpen(d(2026, 1, 9)) {
		t.Errorf("weekend calendar: %v", err)
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	if got := d(2024, 2, 28).AddDays(1); got != d(2024, 2, 29) {
		t.Errorf("leap day: %s", got)
	}
	if got := d(2025, 12, 31).AddDays(1); got != d(2026, 1, 1) {
		t.Errorf("new year: %s", got)
	}
	if got := NewDate(2026, 1, 32); got != d(2026, 2, 1) {
		t.Errorf("NewDate overflow: %s", got)
	}
	if d(2026, 1, 1).Weekday() != time.Thursday {
		t.Error("2026-01-01 is a Thursday")
	}
	if p, err := ParseDate("2026-01-05"); err != nil || p != d(2026, 1, 5) || p.String() != "2026-01-05" {
		t.Errorf("ParseDate = %v, %v", p, err)
	}
	for _, bad := range []string{"2025-02-30", "2026/01/05", "", "2026-1-5"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if !d(2025, 12, 31).Before(d(2026, 1, 1)) || d(2026, 1, 1).Before(d(2026, 1, 1)) || d(2026, 2, 1).Compare(d(2026, 1, 31)) != 1 {
		t.Error("Compare is wrong")
	}
	if got := d(2026, 1, 5).Time(); got.Location() != Tokyo() || got.Format("MST") != "JST" || got.Hour() != 0 || got.UTC().Day() != 4 {
		t.Errorf("Time() = %s", got)
	}
	if off := func() int { _, o := time.Date(2026, 7, 1, 0, 0, 0, 0, Tokyo()).Zone(); return o }(); off != 9*3600 {
		t.Errorf("Tokyo offset %d", off)
	}
}
