package invoice

import (
	"errors"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

func TestRateAt(t *testing.T) {
	t.Parallel()
	jst := time.FixedZone("JST", 9*60*60)
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, jst) }
	rules := JapanRules()
	for _, tc := range []struct {
		class shop.TaxClass
		t     time.Time
		want  shop.TaxRate
	}{
		{shop.TaxStandard, at(1989, time.April, 1, 0), 300},
		{shop.TaxStandard, at(1997, time.March, 31, 23), 300},
		{shop.TaxStandard, at(1997, time.April, 1, 0), 500},
		{shop.TaxReduced, at(2019, time.September, 30, 23), 800},
		{shop.TaxStandard, at(2019, time.September, 30, 23), 800},
		// The change applies from midnight in Japan, even to a time
		// written in UTC: 2019-09-30 15:00 UTC is 10-01 00:00 JST.
		{shop.TaxStandard, time.Date(2019, time.September, 30, 15, 0, 0, 0, time.UTC), 1000},
		{shop.TaxStandard, time.Date(2019, time.September, 30, 14, 59, 59, 0, time.UTC), 800},
		{shop.TaxStandard, at(2019, time.October, 1, 0), 1000},
		{shop.TaxReduced, at(2019, time.October, 1, 0), 800},
		{shop.TaxStandard, at(2030, time.January, 1, 0), 1000},
	} {
		got, err := RateAt(rules, tc.class, tc.t)
		if err != nil || got != tc.want {
			t.Errorf("RateAt(%s, %s) = %d, %v; want %d", tc.class, tc.t, got, err, tc.want)
		}
	}

	// A scheduled change: a temporary 0% on food from 2027-04-01, then a
	// correction appended for the same date that sets 1%.
	scheduled := append(JapanRules(), Rule{Class: shop.TaxReduced, Rate: 0, From: at(2027, time.April, 1, 0)})
	if got, _ := RateAt(scheduled, shop.TaxReduced, at(2027, time.March, 31, 23)); got != 800 {
		t.Errorf("before the change: %d, want 800", got)
	}
	if got, _ := RateAt(scheduled, shop.TaxReduced, at(2027, time.April, 1, 0)); got != 0 {
		t.Errorf("on the change: %d, want 0", got)
	}
	if got, _ := RateAt(scheduled, shop.TaxStandard, at(2027, time.April, 1, 0)); got != 1000 {
		t.Errorf("standard after the food change: %d, want 1000", got)
	}
	corrected := append(scheduled, Rule{Class: shop.TaxReduced, Rate: 100, From: at(2027, time.April, 1, 0)})
	if got, _ := RateAt(corrected, shop.TaxReduced, at(2027, time.May, 1, 0)); got != 100 {
		t.Errorf("later rule of the same date should win: %d", got)
	}

	// Unsorted rules work the same.
	reversed := JapanRules()
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	if got, _ := RateAt(reversed, shop.TaxStandard, at(2015, time.June, 1, 0)); got != 800 {
		t.Errorf("unsorted rules: %d, want 800", got)
	}

	for _, tc := range []struct {
		rules []Rule
		class shop.TaxClass
		t     time.Time
	}{
		{rules, shop.TaxStandard, at(1989, time.March, 31, 23)},
		{rules, "alcohol", at(2020, time.January, 1, 0)},
		{nil, shop.TaxStandard, at(2020, time.January, 1, 0)},
	} {
		if _, err := RateAt(tc.rules, tc.class, tc.t); !errors.Is(err, ErrNoRule) {
			t.Errorf("RateAt(%s, %s) err = %v, want ErrNoRule", tc.class, tc.t, err)
		}
	}
}
