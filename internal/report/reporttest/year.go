// Package reporttest fills a database with a year of sales for the
// report benchmarks and load tests (docs/PERFORMANCE.md): a handful of
// statements that generate the rows inside the database (INSERT …
// SELECT over a recursive series), so a million order lines load in
// seconds rather than one order at a time.
package reporttest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Products and Categories are how many of each the year sells.
const (
	Products   = 200
	Categories = 20
	Customers  = 1000
)

// LoadYear adds lines order lines, five an order, spread evenly over the
// 8,760 hours from start (a JST midnight): 200 products in 20
// categories, 1,000 customers with birthdays and genders taking every
// third order (the rest are guests), 47 prefectures, three payment
// methods, and one order in 50 cancelled. It runs in one transaction.
func LoadYear(ctx context.Context, d *db.DB, start time.Time, lines int) error {
	orders := lines / 5
	now := start.UTC()
	ts := "TIMESTAMP"
	if d.Dialect == db.Postgres {
		ts = "TIMESTAMPTZ"
	}
	series := func(n int) string {
		return fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d) `, n-1)
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		exec := func(q string, args ...any) error {
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("reporttest: %.60s…: %w", strings.TrimSpace(q), err)
			}
			return nil
		}
		if err := exec(`INSERT INTO delivery_methods (code, name_ja, carrier) VALUES ('yearload', '宅配便', 'yamato')`); err != nil {
			return err
		}
		if err := exec(series(Categories)+`INSERT INTO categories (slug, name_ja, name_en, created_at, updated_at)
			SELECT 'yc' || CAST(i AS TEXT), 'カテゴリ' || CAST(i AS TEXT), 'Category ' || CAST(i AS TEXT), ?, ? FROM s`, now, now); err != nil {
			return err
		}
		if err := exec(series(Products)+`INSERT INTO products (slug, status, name_ja, name_en, created_at, updated_at)
			SELECT 'yp' || CAST(i AS TEXT), 'public', '商品' || CAST(i AS TEXT), 'Product ' || CAST(i AS TEXT), ?, ? FROM s`, now, now); err != nil {
			return err
		}
		if err := exec(`INSERT INTO product_categories (product_id, category_id)
			SELECT p.id, c.id FROM products p JOIN categories c ON c.slug = 'yc' || CAST(CAST(SUBSTR(p.slug, 3) AS INTEGER) % ? AS TEXT)
			WHERE p.slug LIKE 'yp%'`, Categories); err != nil {
			return err
		}
		if err := exec(series(Customers)+`INSERT INTO customers (email, email_key, status, birthday, gender, terms_at, created_at, updated_at)
			SELECT 'year' || CAST(i AS TEXT) || '@example.jp', 'year' || CAST(i AS TEXT) || '@example.jp', 'active',
				CAST(1950 + i % 55 AS TEXT) || '-04-15', CASE i % 3 WHEN 0 THEN 'female' WHEN 1 THEN 'male' ELSE '' END, ?, ?, ? FROM s`, now, now, now); err != nil {
			return err
		}
		// One row an hour of the year, times written by the driver.
		if err := exec(`CREATE TEMP TABLE year_hours (h INTEGER PRIMARY KEY, at ` + ts + ` NOT NULL)`); err != nil {
			return err
		}
		const hours = 365 * 24
		for h0 := 0; h0 < hours; h0 += 500 {
			n := min(500, hours-h0)
			args := make([]any, 0, 2*n)
			for h := h0; h < h0+n; h++ {
				args = append(args, h, start.Add(time.Duration(h)*time.Hour).UTC())
			}
			if err := exec(`INSERT INTO year_hours (h, at) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?),", n), ","), args...); err != nil {
				return err
			}
		}
		var dm, customer0 int64
		if err := tx.QueryRow(ctx, `SELECT id FROM delivery_methods WHERE code = 'yearload'`).Scan(&dm); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM customers WHERE email_key = 'year0@example.jp'`).Scan(&customer0); err != nil {
			return err
		}
		if err := exec(series(orders)+`INSERT INTO orders (number, idempotency_key, status, customer_id, email, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1,
				ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1,
				delivery_method_id, payment_method, subtotal, delivery_fee, cod_fee, total, rates, created_at, updated_at)
			SELECT 'Y-' || CAST(s.i AS TEXT), 'year-' || CAST(s.i AS TEXT), CASE WHEN s.i % 50 = 49 THEN 'cancelled' ELSE 'paid' END,
				CASE WHEN s.i % 3 = 0 THEN ? + s.i % ? END, 'a@example.jp', '山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', 1 + s.i % 47, '千代田区', '1-1',
				'山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', 13, '千代田区', '1-1',
				?, CASE s.i % 3 WHEN 0 THEN 'card' WHEN 1 THEN 'cod' ELSE 'bank_transfer' END, 5000, 800, 0, 5800, '[]', h.at, h.at
			FROM s JOIN year_hours h ON h.h = s.i % ?`, customer0, Customers, dm, hours); err != nil {
			return err
		}
		var product0 int64
		if err := tx.QueryRow(ctx, `SELECT id FROM products WHERE slug = 'yp0'`).Scan(&product0); err != nil {
			return err
		}
		if err := exec(`INSERT INTO order_lines (order_id, product_id, name_ja, name_en, sku, unit_price, tax_rate_bp, qty, line_total)
			SELECT o.id, ? + (o.id * 7 + k.n) % ?, '商品', 'Product', 'SKU', 1000, 800, 1, 1000
			FROM orders o CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k
			WHERE o.number LIKE 'Y-%'`, product0, Products); err != nil {
			return err
		}
		return exec(`DROP TABLE year_hours`)
	})
}
