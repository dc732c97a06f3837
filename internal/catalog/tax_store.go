package catalog

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// TaxRate returns the rate in force at `at` for product id of class, read
// through q so that checkout sees the rules of its own transaction. Product
// 0 asks for the shop's rule of the class alone (delivery and payment
// fees). It returns an internal error when no rule covers the date: the
// shop must not sell without a tax rate.
func (s *Store) TaxRate(ctx context.Context, q db.Queryer, id int64, class shop.TaxClass, at time.Time) (shop.TaxRate, error) {
	return TaxRate(ctx, q, id, class, at)
}

// DisplayTax prices the catalogue for display: every rule (cached) and the
// time the prices are for.
type DisplayTax struct {
	Rules *TaxRules
	At    time.Time
}

// Rate returns the rate shown for product id of class.
func (d DisplayTax) Rate(id int64, class shop.TaxClass) shop.TaxRate {
	r, _ := d.Rules.Rate(id, class, d.At)
	return r
}

// Display returns the rules for the prices the catalogue shows now. It
// returns an error when a tax class has no rule in force, so no page shows
// a price without tax.
func (s *Store) Display(ctx context.Context) (DisplayTax, error) {
	rules, err := s.DisplayTaxRules(ctx)
	if err != nil {
		return DisplayTax{}, err
	}
	now := s.DB.Now()
	for _, c := range []shop.TaxClass{shop.TaxStandard, shop.TaxReduced} {
		if _, err := rules.Rate(0, c, now); err != nil {
			return DisplayTax{}, fmt.Errorf("catalog: no tax rule in force for %s", c)
		}
	}
	return DisplayTax{Rules: rules, At: now}, nil
}

// Rates returns the shop's rates in force now for both classes.
func (s *Store) Rates(ctx context.Context) (map[shop.TaxClass]shop.TaxRate, error) {
	d, err := s.Display(ctx)
	if err != nil {
		return nil, err
	}
	return map[shop.TaxClass]shop.TaxRate{shop.TaxStandard: d.Rate(0, shop.TaxStandard), shop.TaxReduced: d.Rate(0, shop.TaxReduced)}, nil
}

// SetTaxRule adds (or changes) the shop's rate of class from a date.
func SetTaxRule(ctx context.Context, q db.Queryer, class shop.TaxClass, rate shop.TaxRate, from time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)
		ON CONFLICT (tax_class, effective_from) DO UPDATE SET rate_bp = excluded.rate_bp`, string(class), int(rate), from.UTC())
	return err
}

// rateSQL returns an SQL expression for the rate of product p shown now,
// the same precedence as TaxRules.RateFor (product, then category by
// latest start and lowest ID, then class), so price order follows the
// shown prices; without product or category rules it is the class alone.
func rateSQL(d DisplayTax) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("CASE")
	byRate := map[shop.TaxRate][]int64{}
	for id, rules := range d.Rules.Product {
		if r, ok := inForce(rules, d.At); ok {
			byRate[r.Rate] = append(byRate[r.Rate], id)
		}
	}
	for _, rate := range slices.Sorted(maps.Keys(byRate)) {
		ids := byRate[rate]
		slices.Sort(ids)
		b.WriteString(" WHEN p.id IN (" + placeholders(len(ids)) + ") THEN CAST(? AS INTEGER)")
		for _, id := range ids {
			args = append(args, id)
		}
		args = append(args, int(rate))
	}
	type catRate struct {
		id int64
		DatedRate
	}
	var cats []catRate
	for id, rules := range d.Rules.Category {
		if r, ok := inForce(rules, d.At); ok {
			cats = append(cats, catRate{id, r})
		}
	}
	slices.SortFunc(cats, func(a, b catRate) int {
		if c := b.From.Compare(a.From); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	for _, c := range cats {
		b.WriteString(" WHEN EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id = ?) THEN CAST(? AS INTEGER)")
		args = append(args, c.id, int(c.Rate))
	}
	b.WriteString(" WHEN p.tax_class = 'reduced' THEN CAST(? AS INTEGER) ELSE CAST(? AS INTEGER) END")
	args = append(args, int(d.Rate(0, shop.TaxReduced)), int(d.Rate(0, shop.TaxStandard)))
	return b.String(), args
}

// TaxRate is the rate of product id of class at `at` through q, without a
// Store (for packages that price a line in their own transaction).
func TaxRate(ctx context.Context, q db.Queryer, id int64, class shop.TaxClass, at time.Time) (shop.TaxRate, error) {
	rules, err := LoadTaxRules(ctx, q, id)
	if err != nil {
		return 0, err
	}
	return rules.Rate(id, class, at)
}
