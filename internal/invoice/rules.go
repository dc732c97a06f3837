package invoice

import (
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

// Rule says that from From on, products of Class are taxed at Rate. Rates
// are dated data: a change of rate is a new rule with a future From, and
// orders keep the rate in force when they were placed.
type Rule struct {
	Class shop.TaxClass
	Rate  shop.TaxRate
	From  time.Time
}

// ErrNoRule is returned by RateAt when no rule of the class is in force at
// the time asked: a gap in the shop's tax settings, not a 0% rate.
var ErrNoRule = &shop.Error{Kind: shop.Internal, Key: "error.no_tax_rule"}

// RateAt returns the rate of class at t: the rate of the rule of that class
// with the latest From not after t. Of two rules with the same class and
// From, the later in rules wins, so appending a correction overrides. The
// rules need not be sorted. It returns an error wrapping ErrNoRule when no
// rule applies.
func RateAt(rules []Rule, class shop.TaxClass, t time.Time) (shop.TaxRate, error) {
	best := -1
	for i, r := range rules {
		if r.Class != class || r.From.After(t) {
			continue
		}
		if best < 0 || !r.From.Before(rules[best].From) {
			best = i
		}
	}
	if best < 0 {
		return 0, fmt.Errorf("%w: class %q at %s", ErrNoRule, class, t.Format(time.RFC3339))
	}
	return rules[best].Rate, nil
}

// JapanRules returns Japan's consumption-tax history as rules, a seed for a
// shop's settings: 3% from 1989-04-01, 5% from 1997-04-01, 8% from
// 2014-04-01, and from 2019-10-01 10% standard and 8% reduced. Each date is
// midnight in Japan (UTC+9). The slice is new on each call.
func JapanRules() []Rule {
	jst := time.FixedZone("JST", 9*60*60)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jst) }
	var rules []Rule
	for _, step := range []struct {
		from time.Time
		rate shop.TaxRate
	}{
		{day(1989, time.April, 1), 300},
		{day(1997, time.April, 1), 500},
		{day(2014, time.April, 1), 800},
	} {
		rules = append(rules,
			Rule{Class: shop.TaxStandard, Rate: step.rate, From: step.from},
			Rule{Class: shop.TaxReduced, Rate: step.rate, From: step.from})
	}
	return append(rules,
		Rule{Class: shop.TaxStandard, Rate: shop.StandardRate, From: day(2019, time.October, 1)},
		Rule{Class: shop.TaxReduced, Rate: shop.ReducedRate, From: day(2019, time.October, 1)})
}
