package magazine_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/magazine"
	"github.com/akinai/akinai/internal/shop"
)

// order inserts an order of customer with one line of product at time at.
func order(tb testing.TB, d *db.DB, customerID, productID int64, total int, status string, at time.Time) {
	tb.Helper()
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var oid int64
		n := fmt.Sprintf("%d-%d-%d", customerID, productID, at.UnixNano())
		if err := tx.QueryRow(ctx, `INSERT INTO orders (number, idempotency_key, customer_id, status, email, family_name, given_name, family_kana, given_kana,
				phone, postal_code, pref, city, address1, ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone,
				ship_postal_code, ship_pref, ship_city, ship_address1, delivery_method_id, payment_method, subtotal, delivery_fee, cod_fee, total,
				rates, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'x@example.jp', '山田', '花子', 'ヤマダ', 'ハナコ', '0312345678', '1000001', 13, '千代田区', '1-1',
				'山田', '花子', 'ヤマダ', 'ハナコ', '0312345678', '1000001', 13, '千代田区', '1-1',
				(SELECT id FROM delivery_methods ORDER BY id LIMIT 1), 'card', ?, 0, 0, ?, '[]', ?, ?) RETURNING id`,
			n, n, customerID, status, total, total, at, at).Scan(&oid); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO order_lines (order_id, product_id, name_ja, sku, unit_price, tax_rate_bp, qty, line_total)
			VALUES (?, ?, '品', 'SKU', ?, 1000, 1, ?)`, oid, productID, total, total)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestSegment_Filters checks every filter of a segment against customers
// built to sit on each side of it, on both engines.
func TestSegment_Filters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now()
		var rankID, catID, prodA, prodB int64
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if err := tx.QueryRow(ctx, `INSERT INTO customer_ranks (name_ja, created_at, updated_at) VALUES ('ゴールド', ?, ?) RETURNING id`, tx.Now(), tx.Now()).Scan(&rankID); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO categories (slug, name_ja, created_at, updated_at) VALUES ('tea', 'お茶', ?, ?) RETURNING id`, tx.Now(), tx.Now()).Scan(&catID); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, created_at, updated_at) VALUES ('sencha', 'public', '煎茶', ?, ?) RETURNING id`, tx.Now(), tx.Now()).Scan(&prodA); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, created_at, updated_at) VALUES ('cup', 'public', '湯呑', ?, ?) RETURNING id`, tx.Now(), tx.Now()).Scan(&prodB); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?)`, prodA, catID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		today := now.In(time.FixedZone("JST", 9*3600))
		born := func(years int) string { return today.AddDate(-years, 0, 0).Format(time.DateOnly) }
		ids := seed(t, d,
			customer{Email: "tea@example.jp", Newsletter: true, Pref: 13, Birthday: born(30), RankID: rankID}, // 0: bought tea, 6000
			customer{Email: "cup@example.jp", Newsletter: true, Pref: 27, Birthday: born(45)},                 // 1: bought a cup, 2000, long ago
			customer{Email: "none@example.jp", Newsletter: true, Pref: 13},                                    // 2: never bought, no birthday
			customer{Email: "out@example.jp", Newsletter: false, Pref: 13},                                    // 3: not opted in
			customer{Email: "gone@example.jp", Newsletter: true, Status: "withdrawn"},                         // 4: withdrawn
			customer{Email: "bounced@example.jp", Newsletter: true},                                           // 5: suppressed
			customer{Email: "cancel@example.jp", Newsletter: true, Birthday: born(29)},                        // 6: only a cancelled order
		)
		order(t, d, ids[0], prodA, 6000, "shipped", now.Add(-24*time.Hour))
		order(t, d, ids[1], prodB, 2000, "paid", now.AddDate(0, -6, 0))
		order(t, d, ids[6], prodA, 9000, "cancelled", now.Add(-time.Hour))
		if _, err := d.Exec(ctx, `INSERT INTO mail_suppressions (email_key, reason, created_at) VALUES ('bounced@example.jp', 'bounce', ?)`, d.Now()); err != nil {
			t.Fatal(err)
		}
		day := func(t time.Time) string { return t.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly) }
		st := &magazine.Store{DB: d}
		for _, tc := range []struct {
			name string
			seg  magazine.Segment
			want []int // indexes into ids
		}{
			{"everyone opted in", magazine.Segment{}, []int{0, 1, 2, 6}},
			{"bought", magazine.Segment{Purchased: "yes"}, []int{0, 1}},
			{"never bought (a cancelled order is no purchase)", magazine.Segment{Purchased: "no"}, []int{2, 6}},
			{"product", magazine.Segment{ProductID: prodA}, []int{0}},
			{"category", magazine.Segment{CategoryID: catID}, []int{0}},
			{"amount at least", magazine.Segment{MinTotal: 5000}, []int{0}},
			{"amount at most", magazine.Segment{MaxTotal: 3000}, []int{1, 2, 6}},
			{"last purchase since", magazine.Segment{LastFrom: day(now.AddDate(0, -1, 0))}, []int{0}},
			{"last purchase until", magazine.Segment{LastTo: day(now.AddDate(0, -1, 0))}, []int{1}},
			{"prefecture", magazine.Segment{Pref: 13}, []int{0, 2}},
			{"rank", magazine.Segment{RankID: rankID}, []int{0}},
			{"age 30 to 39", magazine.Segment{MinAge: 30, MaxAge: 39}, []int{0}},
			{"age up to 29", magazine.Segment{MaxAge: 29}, []int{6}},
			{"nobody", magazine.Segment{Pref: 47}, nil},
		} {
			m := draft(t, d, tc.seg)
			n, err := st.Count(ctx, tc.seg)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(tc.want) {
				t.Errorf("%s: count %d, want %d", tc.name, n, len(tc.want))
			}
			if len(tc.want) == 0 {
				err := st.Schedule(ctx, m.ID, now, audit.Entry{})
				if se, ok := err.(*shop.Error); !ok || se.Key != "magazine.err.nobody" {
					t.Errorf("%s: schedule: %v, want magazine.err.nobody", tc.name, err)
				}
				if got, _ := st.Magazine(ctx, m.ID); got.Status != magazine.Draft {
					t.Errorf("%s: status %s after a refused schedule", tc.name, got.Status)
				}
				continue
			}
			schedule(t, d, m)
			s := newSender(d, startMX(t), "seg")
			drain(t, s)
			rows, err := d.Query(ctx, `SELECT customer_id FROM magazine_recipients WHERE magazine_id = ? AND status = 'sent' ORDER BY customer_id`, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				got = append(got, id)
			}
			rows.Close()
			var want []int64
			for _, i := range tc.want {
				want = append(want, ids[i])
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: sent to %v, want %v", tc.name, got, want)
			}
		}
	})
}

// TestSegment_BadInput: every refusal names its field and nothing is saved.
func TestSegment_BadInput(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	st := &magazine.Store{DB: d}
	for _, tc := range []struct {
		name  string
		m     magazine.Magazine
		field string
	}{
		{"empty subject", magazine.Magazine{Subject: " ", Text: "x", Rate: 1}, "subject"},
		{"subject with a line break", magazine.Magazine{Subject: "a\r\nBcc: x@evil.example", Text: "x", Rate: 1}, "subject"},
		{"empty body", magazine.Magazine{Subject: "s", Text: "", Rate: 1}, "text"},
		{"huge body", magazine.Magazine{Subject: "s", Text: string(make([]byte, magazine.MaxBody+1)), Rate: 1}, "text"},
		{"zero rate", magazine.Magazine{Subject: "s", Text: "x"}, "rate"},
		{"amounts reversed", magazine.Magazine{Subject: "s", Text: "x", Rate: 1, Segment: magazine.Segment{MinTotal: 5000, MaxTotal: 100}}, "max_total"},
		{"bad date", magazine.Magazine{Subject: "s", Text: "x", Rate: 1, Segment: magazine.Segment{LastFrom: "2026-13-40"}}, "last_from"},
		{"ages reversed", magazine.Magazine{Subject: "s", Text: "x", Rate: 1, Segment: magazine.Segment{MinAge: 50, MaxAge: 20}}, "max_age"},
		{"never bought a product", magazine.Magazine{Subject: "s", Text: "x", Rate: 1, Segment: magazine.Segment{Purchased: "no", ProductID: 3}}, "purchased"},
		{"prefecture 48", magazine.Magazine{Subject: "s", Text: "x", Rate: 1, Segment: magazine.Segment{Pref: 48}}, "pref"},
	} {
		err := st.Save(context.Background(), &tc.m, audit.Entry{})
		se, ok := err.(*shop.Error)
		if !ok || se.Kind != shop.Invalid || se.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want Invalid on %s", tc.name, err, tc.field)
		}
	}
	var n int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM magazines`).Scan(&n)
	if n != 0 {
		t.Errorf("%d magazines saved from bad input", n)
	}
}
