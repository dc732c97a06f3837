package catalog

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// LoadTaxRules reads, through q (the caller's transaction, so a checkout
// prices with the rules it commits with), the shop's rules, every product
// and category rule, and the category memberships of productIDs that
// matter to those rules. With no productIDs it reads the memberships of
// every product in a category that has rules (for the catalogue's cache).
func LoadTaxRules(ctx context.Context, q db.Queryer, productIDs ...int64) (*TaxRules, error) {
	r := newTaxRules()
	if err := scanRules(ctx, q, `SELECT tax_class, rate_bp, effective_from FROM tax_rules`, nil, func(k string, d DatedRate) {
		addDated(r.Class, shop.TaxClass(k), d)
	}); err != nil {
		return nil, err
	}
	if err := scanRules(ctx, q, `SELECT category_id, rate_bp, effective_from FROM category_tax_rules`, nil, func(k string, d DatedRate) {
		addDated(r.Category, atoi(k), d)
	}); err != nil {
		return nil, err
	}
	if err := scanRules(ctx, q, `SELECT product_id, rate_bp, effective_from FROM product_tax_rules`, nil, func(k string, d DatedRate) {
		addDated(r.Product, atoi(k), d)
	}); err != nil {
		return nil, err
	}
	if len(r.Category) == 0 {
		return r, nil
	}
	query := `SELECT pc.product_id, pc.category_id FROM product_categories pc
		WHERE pc.category_id IN (SELECT category_id FROM category_tax_rules)`
	var args []any
	if len(productIDs) > 0 {
		query += ` AND pc.product_id IN (` + placeholders(len(productIDs)) + `)`
		for _, id := range productIDs {
			args = append(args, id)
		}
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("catalog: tax rule members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p, c int64
		if err := rows.Scan(&p, &c); err != nil {
			return nil, err
		}
		r.Members[p] = append(r.Members[p], c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	r.sortMembers()
	return r, nil
}

func atoi(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }

func scanRules(ctx context.Context, q db.Queryer, query string, args []any, add func(string, DatedRate)) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("catalog: tax rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var d DatedRate
		if err := rows.Scan(&k, &d.Rate, &d.From); err != nil {
			return err
		}
		add(k, d)
	}
	return rows.Err()
}

// DisplayTaxRules returns every rule with the memberships of every product
// concerned, cached for CacheTTL: the catalogue's prices for display.
func (s *Store) DisplayTaxRules(ctx context.Context) (*TaxRules, error) {
	s.mu.Lock()
	if s.taxRules != nil && time.Since(s.taxRulesAt) < CacheTTL {
		r := s.taxRules
		s.mu.Unlock()
		return r, nil
	}
	s.mu.Unlock()
	r, err := LoadTaxRules(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.taxRules, s.taxRulesAt = r, time.Now()
	s.mu.Unlock()
	return r, nil
}

// ScopedRule is one product or category rule, for the admin's list.
type ScopedRule struct {
	Scope  string // "product" or "category"
	ID     int64  // the product's or category's ID
	NameJA string
	NameEN string
	Rate   shop.TaxRate
	From   time.Time
}

// ScopedRules lists the product and category rules, latest first.
func ScopedRules(ctx context.Context, q db.Queryer) ([]ScopedRule, error) {
	rows, err := q.Query(ctx, `SELECT 'category', c.id, c.name_ja, c.name_en, r.rate_bp, r.effective_from
			FROM category_tax_rules r JOIN categories c ON c.id = r.category_id
		UNION ALL
		SELECT 'product', p.id, p.name_ja, p.name_en, r.rate_bp, r.effective_from
			FROM product_tax_rules r JOIN products p ON p.id = r.product_id
		ORDER BY 1, 2, 6 DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ScopedRule
	for rows.Next() {
		var s ScopedRule
		if err := rows.Scan(&s.Scope, &s.ID, &s.NameJA, &s.NameEN, &s.Rate, &s.From); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetScopedRule adds (or changes the rate of) a product's or a category's
// rule from a date. It returns shop.ErrNotFound when the product or
// category does not exist.
func SetScopedRule(ctx context.Context, q db.Queryer, scope string, id int64, rate shop.TaxRate, from time.Time) error {
	table, owner, key := scopeTables(scope)
	if table == "" {
		return fmt.Errorf("catalog: tax rule scope %q", scope)
	}
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM `+owner+` WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return shop.ErrNotFound
	}
	_, err := q.Exec(ctx, `INSERT INTO `+table+` (`+key+`, rate_bp, effective_from) VALUES (?, ?, ?)
		ON CONFLICT (`+key+`, effective_from) DO UPDATE SET rate_bp = excluded.rate_bp`, id, int(rate), from.UTC())
	return err
}

// DeleteScopedRule removes a product's or a category's rule; it reports
// whether there was one. Orders already placed keep the rate they stored.
func DeleteScopedRule(ctx context.Context, q db.Queryer, scope string, id int64, from time.Time) (bool, error) {
	table, _, key := scopeTables(scope)
	if table == "" {
		return false, fmt.Errorf("catalog: tax rule scope %q", scope)
	}
	n, err := db.RowsAffected(q.Exec(ctx, `DELETE FROM `+table+` WHERE `+key+` = ? AND effective_from = ?`, id, from.UTC()))
	return n > 0, err
}

// scopeTables names a scope's rule table, the table of what it applies to
// and the key column; "" for an unknown scope. The names are constants,
// never the caller's text.
func scopeTables(scope string) (table, owner, key string) {
	switch scope {
	case string(SourceProduct):
		return "product_tax_rules", "products", "product_id"
	case string(SourceCategory):
		return "category_tax_rules", "categories", "category_id"
	}
	return "", "", ""
}
