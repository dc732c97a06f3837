package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// The owner reads last month's sales by category as a chart and a CSV;
// a bad period gets a message by the form, an empty one says so.
func TestReports_SalesByCategory(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg, Demo: true}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	c, _ := setupOwner(t, base, setup)
	d := openAdminDB(t, pg)
	ctx := context.Background()

	// Three orders in November 2026 (JST) of demo products, one cancelled.
	for i, o := range []struct {
		at     string
		status string
		qty    int
	}{{"2026-11-03T10:00:00+09:00", "paid", 2}, {"2026-11-28T21:00:00+09:00", "shipped", 1}, {"2026-11-20T12:00:00+09:00", "cancelled", 9}} {
		at, _ := time.Parse(time.RFC3339, o.at)
		err := d.Tx(ctx, func(tx *db.Tx) error {
			var id int64
			err := tx.QueryRow(ctx, `INSERT INTO orders (number, idempotency_key, status, email, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1,
				ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1,
				delivery_method_id, payment_method, subtotal, delivery_fee, cod_fee, total, rates, created_at, updated_at)
				VALUES (?, ?, ?, 'a@example.jp', '山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', 13, '千代田区', '1-1',
				'山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', 13, '千代田区', '1-1',
				(SELECT MIN(id) FROM delivery_methods), 'cod', 0, 0, 0, 0, '[]', ?, ?) RETURNING id`,
				"R-"+string(rune('A'+i)), "rk-"+string(rune('A'+i)), o.status, at.UTC(), tx.Now()).Scan(&id)
			if err != nil {
				return err
			}
			// The demo's first product in a category, at ¥1,000 a piece.
			_, err = tx.Exec(ctx, `INSERT INTO order_lines (order_id, product_id, name_ja, name_en, sku, unit_price, tax_rate_bp, qty, line_total)
				SELECT ?, p.id, p.name_ja, p.name_en, p.slug, 1000, 800, ?, ? FROM products p
				WHERE p.id = (SELECT MIN(product_id) FROM product_categories)`, id, o.qty, 1000*o.qty)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var category string
	d.QueryRow(ctx, `SELECT c.name_ja FROM categories c JOIN product_categories pc ON pc.category_id = c.id
		WHERE pc.product_id = (SELECT MIN(product_id) FROM product_categories) ORDER BY c.id LIMIT 1`).Scan(&category)

	r := c.get(admin + "/reports?kind=category&from=2026-11-01&to=2026-11-30")
	r.want(t, "by category", 200, `id="report-chart"`, category, "¥3,000", `id="report-csv"`, "売上レポート")
	if strings.Contains(r.body, "¥12,000") {
		t.Error("the cancelled order is counted")
	}
	r = c.get(admin + "/reports.csv?kind=category&from=2026-11-01&to=2026-11-30&unit=day")
	r.want(t, "CSV", 200, category, "3000")
	if !strings.HasPrefix(r.body, "\ufeff") || !strings.Contains(r.body, "構成比") {
		t.Errorf("CSV head: %q", r.body[:min(len(r.body), 80)])
	}
	c.get(admin+"/reports?kind=period&from=2026-11-01&to=2026-11-30&unit=week").want(t, "by week", 200, `id="report-chart"`, `id="report-prev"`, "2026-10-26")
	c.get(admin+"/reports?kind=period&from=2019-01-01&to=2026-11-30").want(t, "six years", 422, "集計期間は5年以内で指定してください", `id="report-error-to"`)
	c.get(admin+"/reports?kind=period&from=2026-11-30&to=2026-11-01").want(t, "reversed", 422, "終了日は開始日以降")
	r = c.get(admin + "/reports?kind=product&from=2025-01-01&to=2025-01-31")
	r.want(t, "no sales", 200, `id="report-empty"`, "売上はありません")
	if strings.Contains(r.body, `id="report-chart"`) {
		t.Error("an empty period draws a chart")
	}
	c.get(admin+"/").want(t, "dashboard links", 200, `id="month-report"`, `id="low-stock-link"`)
	if n := auditCount(t, d, "report.export", ""); n != 1 {
		t.Errorf("%d report exports audited, want 1", n)
	}
	newClient(t, base).get(admin+"/reports").want(t, "signed out", 303, "/login")
}
