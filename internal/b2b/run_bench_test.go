package b2b

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
)

// BenchmarkMonthEnd5000 invoices 5,000 companies with one order on
// account each (SQLite, one run; -benchtime=1x). Reported: companies/s.
func BenchmarkMonthEnd5000(b *testing.B) {
	const n = 5000
	d := dbtest.MustOpen(b, dbtest.SQLite)
	ctx := context.Background()
	addr := order.Address{FamilyName: "山田", GivenName: "太郎", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		for i := 0; i < n; i++ {
			var co, cu int64
			if err := tx.QueryRow(ctx, `INSERT INTO companies (name, name_kana, status, created_at, updated_at) VALUES (?, 'カナ', 'active', ?, ?) RETURNING id`, fmt.Sprint("会社", i), now, now).Scan(&co); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?) RETURNING id`,
				fmt.Sprint("c", i, "@example.jp"), fmt.Sprint("c", i, "@example.jp"), now, now, now).Scan(&cu); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO company_members (customer_id, company_id, role, created_at) VALUES (?, ?, 'admin', ?)`, cu, co, now); err != nil {
				return err
			}
			if err := SaveTerms(ctx, tx, Terms{CompanyID: co, Approval: ApproveNone, OnAccount: true, PayMonths: 1, CreditLimit: 1e6, GraceDays: 7}); err != nil {
				return err
			}
			o := &order.Order{IdempotencyKey: fmt.Sprint("b", i), Status: order.New, Lang: "ja", Email: "c@example.jp", Buyer: addr, Ship: addr, DeliveryMethod: 1,
				PaymentMethod: onAccount, Subtotal: 2180, Total: 2180, CustomerID: &cu,
				Rates: []order.RateTotal{{Rate: 1000, Total: 1100, Tax: 100}, {Rate: 800, Reduced: true, Total: 1080, Tax: 80}}}
			if err := order.Create(ctx, tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s := &Service{DB: d, Settings: settingsOf(d), BaseURL: "https://shop.example.jp"}
	closing := monthEnd(time.Now())
	d.Clock = func() time.Time { return closing.AddDays(1).Time().Add(time.Hour) }
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := d.Tx(ctx, func(tx *db.Tx) error { _, err := StartRun(ctx, tx, closing, "bench"); return err }); err != nil {
			b.Fatal(err)
		}
		wk := &RunWorker{Service: s, Instance: "bench"}
		for {
			k, err := wk.Once(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if k == 0 {
				break
			}
		}
	}
	el := time.Since(start)
	if got := countB(b, d, `SELECT COUNT(*) FROM company_invoices`); got != n {
		b.Fatalf("%d invoices", got)
	}
	b.ReportMetric(float64(n)/el.Seconds()*float64(b.N), "companies/s")
}

func countB(b *testing.B, d *db.DB, q string) int {
	var n int
	if err := d.QueryRow(context.Background(), q).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}
