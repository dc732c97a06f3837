package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture holds a shop's categories, products and a customer, and places
// orders with one line each.
type fixture struct {
	t                *testing.T
	d                *db.DB
	tea, pot         int64 // product IDs
	catTea, catWares int64
	member           int64
	n                int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	ctx := context.Background()
	f := &fixture{t: t, d: d}
	now := time.Now().UTC()
	err := d.Tx(ctx, func(tx *db.Tx) error {
		return errors.Join(
			tx.QueryRow(ctx, `INSERT INTO delivery_methods (code, name_ja, carrier) VALUES ('std', '宅配便', 'yamato') RETURNING id`).Scan(new(int64)),
			tx.QueryRow(ctx, `INSERT INTO categories (slug, name_ja, name_en, created_at, updated_at) VALUES ('tea', 'お茶', 'Tea', ?, ?) RETURNING id`, now, now).Scan(&f.catTea),
			tx.QueryRow(ctx, `INSERT INTO categories (slug, name_ja, name_en, created_at, updated_at) VALUES ('wares', '茶器', 'Teaware', ?, ?) RETURNING id`, now, now).Scan(&f.catWares),
			tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, name_en, created_at, updated_at) VALUES ('sencha', 'public', '煎茶', 'Sencha', ?, ?) RETURNING id`, now, now).Scan(&f.tea),
			tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, name_en, created_at, updated_at) VALUES ('kyusu', 'public', '急須', 'Teapot', ?, ?) RETURNING id`, now, now).Scan(&f.pot),
			tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, birthday, gender, terms_at, created_at, updated_at)
				VALUES ('hanako@example.jp', 'hanako@example.jp', 'active', '1990-06-15', 'female', ?, ?, ?) RETURNING id`, now, now, now).Scan(&f.member),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?), (?, ?)`, f.tea, f.catTea, f.pot, f.catWares); err != nil {
		t.Fatal(err)
	}
	return f
}

// order places an order at the JST time at, for customer (0: a guest),
// with one line of product (named as in the catalogue).
func (f *fixture) order(at string, customer, product int64, qty int, unit int64, status, pay string, pref int) int64 {
	f.t.Helper()
	ctx := context.Background()
	t, err := time.ParseInLocation("2006-01-02 15:04", at, jst)
	if err != nil {
		f.t.Fatal(err)
	}
	f.n++
	var cust any
	if customer != 0 {
		cust = customer
	}
	total := unit*int64(qty) + 800
	var id int64
	err = f.d.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO orders (number, idempotency_key, customer_id, status, email, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1,
			ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1,
			delivery_method_id, payment_method, subtotal, delivery_fee, cod_fee, total, rates, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'a@example.jp', '山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', ?, '千代田区', '1-1',
			'山田', '太郎', 'ヤマダ', 'タロウ', '0312345678', '1000001', ?, '千代田区', '1-1',
			(SELECT id FROM delivery_methods WHERE code = 'std'), ?, ?, 800, 0, ?, '[]', ?, ?) RETURNING id`,
			fmt.Sprintf("T-%04d", f.n), fmt.Sprintf("k-%d", f.n), cust, status, pref, pref, pay, unit*int64(qty), total, t.UTC(), tx.Now()).Scan(&id)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO order_lines (order_id, product_id, name_ja, name_en, sku, unit_price, tax_rate_bp, qty, line_total)
			SELECT ?, id, name_ja, name_en, slug, ?, 800, ?, ? FROM products WHERE id = ?`, id, unit, qty, unit*int64(qty), product)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func day(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02", s, jst)
	return t
}

func TestStore_ReportsFollowTheOrders(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := &Store{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		f := newFixture(t, d)
		// November: two member orders (tea, card) and one guest order (pot,
		// bank transfer); 23:30 JST on the 30th belongs to November although
		// it is already 1 December... no: 14:30 UTC on the 30th.
		f.order("2026-11-03 10:00", f.member, f.tea, 2, 1000, "paid", "card", 13)
		f.order("2026-11-30 23:30", f.member, f.tea, 1, 1000, "shipped", "card", 13)
		f.order("2026-11-15 09:00", 0, f.pot, 1, 5000, "new", "bank_transfer", 27)
		cancelled := f.order("2026-11-20 12:00", 0, f.pot, 3, 5000, "cancelled", "cod", 1)
		// October, the previous period of November (31 vs 30 days: the
		// previous period is 1–31 October minus one day).
		f.order("2026-10-10 12:00", 0, f.tea, 1, 1000, "paid", "cod", 1)
		// 1 December 00:10 JST is still 30 November in UTC.
		f.order("2026-12-01 00:10", 0, f.tea, 5, 1000, "paid", "cod", 1)
		if err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		nov := Query{Kind: ByPeriod, From: day("2026-11-01"), To: day("2026-11-30"), Unit: Day}
		buckets, total, prev, err := s.Period(ctx, nov)
		if err != nil {
			t.Fatal(err)
		}
		// 2×1000+800, 1000+800, 5000+800; the cancelled order and December's are out.
		if total.Orders != 3 || total.Amount != 2800+1800+5800 || total.Qty != 4 {
			t.Fatalf("November total %+v", total)
		}
		if len(buckets) != 30 || buckets[2].Figures.Amount != 2800 || buckets[29].Figures.Amount != 1800 {
			t.Fatalf("buckets: %d, 3rd %+v, 30th %+v", len(buckets), buckets[2], buckets[29])
		}
		if prev.Orders != 1 || prev.Amount != 1800 {
			t.Fatalf("previous period %+v", prev)
		}
		month := nov
		month.Unit = Month
		if buckets, _, _, _ := s.Period(ctx, month); len(buckets) != 1 || buckets[0].Figures.Amount != total.Amount {
			t.Fatalf("monthly buckets %+v", buckets)
		}
		week := nov
		week.Unit = Week
		if buckets, _, _, _ := s.Period(ctx, week); len(buckets) != 6 || !buckets[0].Start.Equal(day("2026-10-26")) {
			t.Fatalf("weekly buckets: %d, first %v", len(buckets), buckets[0].Start)
		}

		check := func(k Kind, lang i18n.Lang, want map[string]shop.Yen) {
			t.Helper()
			q := nov
			q.Kind = k
			rows, _, err := s.Breakdown(ctx, q, lang)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]shop.Yen{}
			for _, r := range rows {
				got[r.Label] = r.Figures.Amount
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %v, want %v", k, got, want)
			}
		}
		check(ByProduct, i18n.Japanese, map[string]shop.Yen{"煎茶": 3000, "急須": 5000})
		check(ByProduct, i18n.English, map[string]shop.Yen{"Sencha": 3000, "Teapot": 5000})
		check(ByCategory, i18n.Japanese, map[string]shop.Yen{"お茶": 3000, "茶器": 5000})
		check(ByCategory, i18n.English, map[string]shop.Yen{"Tea": 3000, "Teaware": 5000})
		check(ByPayment, i18n.Japanese, map[string]shop.Yen{i18n.T(i18n.Japanese, "admin.orders.pay.card"): 4600, i18n.T(i18n.Japanese, "admin.orders.pay.bank_transfer"): 5800})
		check(ByMember, i18n.English, map[string]shop.Yen{"Members": 4600, "Guests": 5800})
		check(ByAge, i18n.Japanese, map[string]shop.Yen{"30代": 4600, "非会員": 5800})
		check(ByGender, i18n.English, map[string]shop.Yen{"Female": 4600, "Guests": 5800})
		check(ByPref, i18n.Japanese, map[string]shop.Yen{"東京都": 4600, "大阪府": 5800})

		// A later change to an old order corrects its day: the cancelled
		// order is restored, a paid one is returned.
		if _, err := d.Exec(ctx, `UPDATE orders SET status = 'paid', updated_at = ? WHERE id = ?`, d.Now().Add(time.Second), cancelled); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE orders SET status = 'returned', updated_at = ? WHERE number = 'T-0001'`, d.Now().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		_, total, _, _ = s.Period(ctx, nov)
		if total.Orders != 3 || total.Amount != 1800+5800+15800 {
			t.Fatalf("after the changes: %+v", total)
		}
	})
}

func TestStore_RefreshIsOneAtATime(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	s := &Store{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	f := newFixture(t, d)
	f.order("2026-11-03 10:00", 0, f.tea, 1, 1000, "paid", "card", 13)
	// Another instance holds the refresh: this one leaves the summary as it is.
	if _, err := d.Exec(ctx, `UPDATE report_state SET lock_until = ?`, d.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM report_daily`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d summary rows written under another instance's lock", n)
	}
	if _, err := d.Exec(ctx, `UPDATE report_state SET lock_until = ?`, d.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	d.QueryRow(ctx, `SELECT COUNT(*) FROM report_daily`).Scan(&n)
	if n == 0 {
		t.Fatal("no summary after the lock lapsed")
	}
}

func TestParseQuery(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, jst)
	q, err := ParseQuery("", "", "", "", now)
	if err != nil || !q.From.Equal(day("2026-12-01")) || !q.To.Equal(day("2026-12-02")) || q.Kind != ByPeriod || q.Unit != Day {
		t.Fatalf("default: %+v %v", q, err)
	}
	for _, tc := range []struct{ kind, from, to, field, key string }{
		{"period", "2026-13-01", "2026-12-01", "from", ErrKeyDate},
		{"period", "2026-12-02", "2026-12-01", "to", ErrKeyOrder},
		{"period", "2020-01-01", "2026-12-01", "to", ErrKeySpan},
		{"secrets", "2026-11-01", "2026-11-30", "kind", ErrKeyKind},
	} {
		_, err := ParseQuery(tc.kind, tc.from, tc.to, "day", now)
		var se *shop.Error
		if !errorsAs(err, &se) || se.Kind != shop.Invalid || se.Fields[tc.field] != tc.key {
			t.Errorf("%+v: %v", tc, err)
		}
	}
	if _, err := ParseQuery("period", "2021-12-03", "2026-12-02", "month", now); err != nil {
		t.Errorf("five years: %v", err)
	}
	if p := (Query{From: day("2026-11-01"), To: day("2026-11-30")}).Previous(); !p.From.Equal(day("2026-10-02")) || !p.To.Equal(day("2026-10-31")) {
		t.Errorf("previous of November: %v – %v", p.From, p.To)
	}
}

func TestAgeBand(t *testing.T) {
	at := day("2026-06-14")
	for birthday, want := range map[string]string{"1996-06-15": "20", "1996-06-14": "30", "2010-01-01": "10", "1950-01-01": "70", "": "unknown", "1990-13-01": "unknown"} {
		if got := ageBand(birthday, at); got != want {
			t.Errorf("%q: %s, want %s", birthday, got, want)
		}
	}
}

func errorsAs(err error, target **shop.Error) bool { return errors.As(err, target) }
