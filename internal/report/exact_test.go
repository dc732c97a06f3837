package report_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/orderedit"
	"github.com/akinai/akinai/internal/refund"
	"github.com/akinai/akinai/internal/report"
	"github.com/akinai/akinai/internal/shop"
)

var jst = time.FixedZone("JST", 9*3600)

// recount sums the sales straight from the orders and their lines, by
// product, category and payment method, and in total: what the summary
// must equal. Sales are the orders neither cancelled nor returned.
func recount(t *testing.T, d *db.DB, from, to time.Time) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for dim, q := range map[report.Kind]string{
		report.ByProduct: `SELECT CAST(l.product_id AS TEXT), COUNT(DISTINCT l.order_id), SUM(l.qty), SUM(l.line_total)
			FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.created_at >= ? AND o.created_at < ? AND o.status NOT IN ('cancelled', 'returned') GROUP BY l.product_id`,
		report.ByCategory: `SELECT CAST(pc.category_id AS TEXT), COUNT(DISTINCT l.order_id), SUM(l.qty), SUM(l.line_total)
			FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN product_categories pc ON pc.product_id = l.product_id
			WHERE o.created_at >= ? AND o.created_at < ? AND o.status NOT IN ('cancelled', 'returned') GROUP BY pc.category_id`,
		report.ByPayment: `SELECT o.payment_method, COUNT(*), SUM((SELECT COALESCE(SUM(qty), 0) FROM order_lines WHERE order_id = o.id)), SUM(o.total)
			FROM orders o WHERE o.created_at >= ? AND o.created_at < ? AND o.status NOT IN ('cancelled', 'returned') GROUP BY o.payment_method`,
	} {
		rows, err := d.Query(ctx, q, from.UTC(), to.AddDate(0, 0, 1).UTC())
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var n, qty, amount int64
			if err := rows.Scan(&k, &n, &qty, &amount); err != nil {
				t.Fatal(err)
			}
			out[string(dim)+":"+k] = fmt.Sprint(n, " ", qty, " ", amount)
		}
		rows.Close()
	}
	return out
}

// summary reads the same figures through the reports.
func summary(t *testing.T, s *report.Store, from, to time.Time) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, k := range []report.Kind{report.ByProduct, report.ByCategory, report.ByPayment} {
		rows, _, err := s.Breakdown(context.Background(), report.Query{Kind: k, From: from, To: to}, i18n.Japanese)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out[string(k)+":"+r.Key] = fmt.Sprint(r.Figures.Orders, " ", r.Figures.Qty, " ", int64(r.Figures.Amount))
		}
	}
	return out
}

func same(a, b map[string]string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// The summary (days and months) equals a full recount from the orders
// after orders are placed over several months, edited (a quantity and a
// line added), cancelled, and returned with a refund — over ranges that
// are whole months, parts of months and both, on both engines.
func TestSummary_EqualsRecount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := &report.Store{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		tea, teaV := ordertest.Product(t, d, "tea")
		pot, potV := ordertest.Product(t, d, "pot")
		cup, _ := ordertest.Product(t, d, "cup")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			now := tx.Now()
			for i, slug := range []string{"leaf", "ware"} {
				var c int64
				if err := tx.QueryRow(ctx, `INSERT INTO categories (slug, name_ja, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`, slug, slug, now, now).Scan(&c); err != nil {
					return err
				}
				for _, p := range [][]int64{{tea}, {pot, cup, tea}}[i] {
					if _, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?)`, p, c); err != nil {
						return err
					}
				}
			}
			_, err := tx.Exec(ctx, `UPDATE variants SET stock = 100`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		member := ordertest.Customer(t, d)
		// Orders on the last and first days of months (JST), placed with
		// the database's clock set to each time.
		at := func(s string) time.Time {
			v, err := time.ParseInLocation("2006-01-02 15:04", s, jst)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		var ids []int64
		for i, when := range []string{"2026-08-31 23:50", "2026-09-01 00:10", "2026-09-15 12:00", "2026-09-30 23:59", "2026-10-01 00:00", "2026-10-20 09:00", "2026-11-02 10:00"} {
			tm := at(when)
			d.Clock = func() time.Time { return tm }
			cust := int64(0)
			if i%2 == 0 {
				cust = member
			}
			ids = append(ids, ordertest.Place(t, d, cust, order.Paid, map[int64]int64{tea: teaV, pot: potV}))
		}
		d.Clock = nil
		ranges := [][2]string{{"2026-08-01", "2026-11-30"}, {"2026-09-01", "2026-09-30"}, {"2026-08-31", "2026-10-01"},
			{"2026-09-02", "2026-10-19"}, {"2026-09-15", "2026-09-15"}, {"2026-10-01", "2026-12-31"}}
		check := func(step string) {
			t.Helper()
			if err := s.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			for _, r := range ranges {
				from, to := at(r[0]+" 00:00"), at(r[1]+" 00:00")
				want, got := recount(t, d, from, to), summary(t, s, from, to)
				if !same(want, got) {
					t.Errorf("%s, %s–%s:\nsummary %v\nrecount %v", step, r[0], r[1], got, want)
				}
			}
			// The months equal the sum of their days.
			var diff int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM report_monthly m WHERE m.amount <> (SELECT COALESCE(SUM(amount), 0) FROM report_daily r
				WHERE r.dim = m.dim AND r.key = m.key AND SUBSTR(r.day, 1, 7) = m.month)`).Scan(&diff); err != nil || diff != 0 {
				t.Errorf("%s: %d months differ from their days (%v)", step, diff, err)
			}
		}
		check("placed")

		number := func(id int64) (string, int) {
			var n string
			var v int
			if err := d.QueryRow(ctx, `SELECT number, version FROM orders WHERE id = ?`, id).Scan(&n, &v); err != nil {
				t.Fatal(err)
			}
			return n, v
		}
		load := func(id int64) *order.Order {
			n, _ := number(id)
			o, err := order.ByNumber(ctx, d, n)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		// Edit an order of 30 September: three of its first line, and a cup added.
		o := load(ids[3])
		_, v := number(ids[3])
		lines, err := order.AdminLines(ctx, d, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := orderedit.Change{Edit: order.Edit{Number: o.Number, Version: v, Qty: map[int64]int{lines[0].ID: 3}, Ship: o.Ship,
			DeliveryFee: o.DeliveryFee, CODFee: o.CODFee, Rounding: shop.Floor}, Add: []orderedit.AddLine{{SKU: "CUP", Qty: 2}}, Actor: "owner@example.jp"}
		if err := d.Tx(ctx, func(tx *db.Tx) error { _, err := orderedit.Apply(ctx, tx, c); return err }); err != nil {
			t.Fatal(err)
		}
		check("edited")
		// Cancel an order of 1 September.
		n, _ := number(ids[1])
		if err := d.Tx(ctx, func(tx *db.Tx) error { return order.Cancel(ctx, tx, n, "test") }); err != nil {
			t.Fatal(err)
		}
		check("cancelled")
		// Cancel with a refund (paid, not shipped) an order of 1 October.
		n, v = number(ids[4])
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			_, err := refund.ReturnGoods(ctx, tx, refund.Goods{Number: n, Version: v, Reason: "test", Actor: "owner@example.jp", Rounding: shop.Floor})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("refunded")
		var statuses []string
		for _, id := range ids {
			statuses = append(statuses, string(load(id).Status))
		}
		sort.Strings(statuses)
		if fmt.Sprint(statuses) != "[cancelled cancelled paid paid paid paid paid]" {
			t.Fatalf("statuses: %v", statuses)
		}
		// And the figures are not empty: 5 orders left in sales.
		got := summary(t, s, at("2026-08-01 00:00"), at("2026-11-30 00:00"))
		if got["payment:cod"] == "" || got["product:"+strconv.FormatInt(cup, 10)] == "" {
			t.Fatalf("summary: %v", got)
		}
	})
}
