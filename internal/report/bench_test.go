package report

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
)

// benchLines is the number of order lines the report benchmarks load
// (AKINAI_REPORT_LINES, default 100,000; docs/PERFORMANCE.md quotes
// 1,000,000), five lines an order, spread over the year before
// 2026-12-01 across 200 products in 20 categories.
func benchLines() int {
	if n, err := strconv.Atoi(os.Getenv("AKINAI_REPORT_LINES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// loadYear fills d with a year of orders in multi-row inserts.
func loadYear(b *testing.B, d *db.DB, lines int) {
	ctx := context.Background()
	now := time.Now().UTC()
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO delivery_methods (code, name_ja, carrier) VALUES ('std', '宅配便', 'yamato')`); err != nil {
			return err
		}
		for c := 0; c < 20; c++ {
			if _, err := tx.Exec(ctx, `INSERT INTO categories (slug, name_ja, name_en, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
				fmt.Sprintf("bc%d", c), fmt.Sprintf("カテゴリ%d", c), fmt.Sprintf("Category %d", c), now, now); err != nil {
				return err
			}
		}
		for p := 0; p < 200; p++ {
			if _, err := tx.Exec(ctx, `INSERT INTO products (slug, status, name_ja, name_en, created_at, updated_at) VALUES (?, 'public', ?, ?, ?, ?)`,
				fmt.Sprintf("bp%d", p), fmt.Sprintf("商品%d", p), fmt.Sprintf("Product %d", p), now, now); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id)
			SELECT p.id, c.id FROM products p JOIN categories c ON c.slug = 'bc' || CAST(p.id % 20 AS TEXT) WHERE p.slug LIKE 'bp%'`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	var dm, firstProduct int64
	d.QueryRow(ctx, `SELECT id FROM delivery_methods WHERE code = 'std'`).Scan(&dm)
	d.QueryRow(ctx, `SELECT MIN(id) FROM products WHERE slug LIKE 'bp%'`).Scan(&firstProduct)
	orders := lines / 5
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, jst)
	const batch = 400
	for o0 := 0; o0 < orders; o0 += batch {
		err := d.Tx(ctx, func(tx *db.Tx) error {
			var q strings.Builder
			var args []any
			q.WriteString(`INSERT INTO orders (number, idempotency_key, status, email, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1,
				ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1,
				delivery_method_id, payment_method, subtotal, delivery_fee, cod_fee, total, rates, created_at, updated_at) VALUES `)
			n := min(batch, orders-o0)
			for i := 0; i < n; i++ {
				o := o0 + i
				at := start.Add(time.Duration(int64(o) * int64(365*24*time.Hour) / int64(orders))).UTC()
				if i > 0 {
					q.WriteString(",")
				}
				q.WriteString(`(?, ?, 'paid', 'a@example.jp', '山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', ?, '千代田区', '1-1', '山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', 13, '千代田区', '1-1', ?, ?, 5000, 800, 0, 5800, '[]', ?, ?)`)
				args = append(args, fmt.Sprintf("B-%07d", o), fmt.Sprintf("b-%d", o), 1+o%47, dm, []string{"card", "cod", "bank_transfer"}[o%3], at, at)
			}
			if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO order_lines (order_id, product_id, name_ja, name_en, sku, unit_price, tax_rate_bp, qty, line_total)
				SELECT o.id, ? + (o.id * 7 + k.n) % 200, '商品', 'Product', 'SKU', 1000, 800, 1, 1000
				FROM orders o CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k
				WHERE o.number >= ? AND o.number <= ?`, firstProduct, fmt.Sprintf("B-%07d", o0), fmt.Sprintf("B-%07d", o0+n-1))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkYearReport measures a year's reports read from the summary
// against the reference: the same year's category totals summed straight
// from the order lines, in the same run.
func BenchmarkYearReport(b *testing.B) {
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.MustOpen(b, e)
			ctx := context.Background()
			lines := benchLines()
			t0 := time.Now()
			loadYear(b, d, lines)
			load := time.Since(t0)
			s := &Store{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			t0 = time.Now()
			if err := s.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			build := time.Since(t0)
			year := Query{From: time.Date(2025, 12, 1, 0, 0, 0, 0, jst), To: time.Date(2026, 11, 30, 0, 0, 0, 0, jst), Unit: Month}
			reference := func() {
				rows, err := d.Query(ctx, `SELECT pc.category_id, SUM(l.line_total) FROM order_lines l JOIN orders o ON o.id = l.order_id
					JOIN product_categories pc ON pc.product_id = l.product_id
					WHERE o.created_at >= ? AND o.created_at < ? AND o.status NOT IN ('cancelled', 'returned') GROUP BY pc.category_id`,
					year.From.UTC(), year.To.AddDate(0, 0, 1).UTC())
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
			}
			report := func() {
				year.Kind = ByPeriod
				if _, _, _, err := s.Period(ctx, year); err != nil {
					b.Fatal(err)
				}
				for _, k := range []Kind{ByCategory, ByProduct, ByPref} {
					year.Kind = k
					if _, _, err := s.Breakdown(ctx, year, i18n.Japanese); err != nil {
						b.Fatal(err)
					}
				}
			}
			t0 = time.Now()
			reference()
			ref := time.Since(t0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				report()
			}
			b.StopTimer()
			per := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(lines), "lines")
			b.ReportMetric(load.Seconds(), "load-s")
			b.ReportMetric(build.Seconds(), "summary-build-s")
			b.ReportMetric(float64(per.Milliseconds()), "4-reports-ms")
			b.ReportMetric(float64(ref.Milliseconds()), "reference-scan-ms")
		})
	}
}
