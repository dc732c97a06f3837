package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

type taxRule struct {
	class shop.TaxClass
	rate  shop.TaxRate
	from  time.Time
}

// TaxRate returns the rate in force at `at` for class, read through q so
// that checkout sees the rules of its own transaction. It returns an
// internal error when no rule covers the date: the shop must not sell
// without a tax rate.
func (s *Store) TaxRate(ctx context.Context, q db.Queryer, class shop.TaxClass, at time.Time) (shop.TaxRate, error) {
	var bp int
	err := q.QueryRow(ctx, `SELECT rate_bp FROM tax_rules
		WHERE tax_class = ? AND effective_from <= ?
		ORDER BY effective_from DESC LIMIT 1`, string(class), at.UTC()).Scan(&bp)
	if err != nil {
		return 0, fmt.Errorf("catalog: no tax rule for %s at %s: %w", class, at.Format(time.RFC3339), err)
	}
	return shop.TaxRate(bp), nil
}

// rateNow returns the rate in force now for class from the cached rules,
// for display. The rules are few, so they are all kept in memory.
func (s *Store) rateNow(ctx context.Context, class shop.TaxClass) (shop.TaxRate, error) {
	rules, err := s.taxRules(ctx)
	if err != nil {
		return 0, err
	}
	now := s.DB.Now()
	var best *taxRule
	for i := range rules {
		r := &rules[i]
		if r.class == class && !r.from.After(now) && (best == nil || r.from.After(best.from)) {
			best = r
		}
	}
	if best == nil {
		return 0, fmt.Errorf("catalog: no tax rule in force for %s", class)
	}
	return best.rate, nil
}

// Rates returns the rates in force now for both classes.
func (s *Store) Rates(ctx context.Context) (map[shop.TaxClass]shop.TaxRate, error) {
	m := map[shop.TaxClass]shop.TaxRate{}
	for _, c := range []shop.TaxClass{shop.TaxStandard, shop.TaxReduced} {
		r, err := s.rateNow(ctx, c)
		if err != nil {
			return nil, err
		}
		m[c] = r
	}
	return m, nil
}

func (s *Store) taxRules(ctx context.Context) ([]taxRule, error) {
	s.mu.Lock()
	if s.rules != nil && time.Since(s.rulesAt) < CacheTTL {
		r := s.rules
		s.mu.Unlock()
		return r, nil
	}
	s.mu.Unlock()
	rows, err := s.DB.Query(ctx, `SELECT tax_class, rate_bp, effective_from FROM tax_rules`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rules := []taxRule{}
	for rows.Next() {
		var r taxRule
		var class string
		if err := rows.Scan(&class, &r.rate, &r.from); err != nil {
			return nil, err
		}
		r.class = shop.TaxClass(class)
		rules = append(rules, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.rules, s.rulesAt = rules, time.Now()
	s.mu.Unlock()
	return rules, nil
}

// SetTaxRule adds (or changes) the rate of class from a date.
func SetTaxRule(ctx context.Context, q db.Queryer, class shop.TaxClass, rate shop.TaxRate, from time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)
		ON CONFLICT (tax_class, effective_from) DO UPDATE SET rate_bp = excluded.rate_bp`, string(class), int(rate), from.UTC())
	return err
}
