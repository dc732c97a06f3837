package b2b

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// world is two companies with a buyer and an approver each, a
// standard-rate variant (¥1,100 incl.) and a reduced-rate one (¥1,080).
type world struct {
	d                 *db.DB
	s                 *Service
	a, b              int64 // companies
	buyerA, approverA int64
	buyerB, approverB int64
	std, red          int64 // variants
}

var seq atomic.Int64

// mustCompany inserts an active company (as internal/company would).
func mustCompany(tb testing.TB, d *db.DB, name, kana string) int64 {
	tb.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		return tx.QueryRow(context.Background(), `INSERT INTO companies (name, name_kana, registration_number, status, postal_code, pref, city, address1, created_at, updated_at)
			VALUES (?, ?, 'T9876543210987', 'active', '1000001', 13, '千代田区', '丸の内1-1', ?, ?) RETURNING id`, name, kana, tx.Now(), tx.Now()).Scan(&id)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// mustMember adds a customer (with a name) to a company in role.
func mustMember(tb testing.TB, d *db.DB, company int64, role string) int64 {
	tb.Helper()
	id := ordertest.Customer(tb, d)
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		if _, err := tx.Exec(context.Background(), `UPDATE customers SET family_name = ?, given_name = ? WHERE id = ?`, role, fmt.Sprint(id), id); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), `INSERT INTO company_members (customer_id, company_id, role, created_at) VALUES (?, ?, ?, ?)`, id, company, role, tx.Now())
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func mustTerms(tb testing.TB, d *db.DB, t Terms) {
	tb.Helper()
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return SaveTerms(context.Background(), tx, t) }); err != nil {
		tb.Fatal(err)
	}
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *db.Tx) error {
		return settings.New(d).Set(ctx, tx, map[string]string{settings.ShopEmail: "shop@example.jp", settings.InvoiceNumber: "T1234567890123",
			settings.ShopCompany: "株式会社商い茶舗"})
	})
	if err != nil {
		t.Fatal(err)
	}
	n := seq.Add(1)
	w := &world{d: d}
	w.std = ordertest.Variant(t, d, fmt.Sprintf("STD-%d", n), "standard", 100)
	w.red = ordertest.Variant(t, d, fmt.Sprintf("RED-%d", n), "reduced", -1)
	w.a = mustCompany(t, d, "株式会社山田商店", "ヤマダショウテン")
	w.b = mustCompany(t, d, "有限会社佐藤食品", "サトウショクヒン")
	w.buyerA, w.approverA = mustMember(t, d, w.a, RoleBuyer), mustMember(t, d, w.a, RoleApprover)
	w.buyerB, w.approverB = mustMember(t, d, w.b, RoleBuyer), mustMember(t, d, w.b, RoleApprover)
	cal, _ := calendar.New(nil, nil)
	w.s = &Service{DB: d, Settings: settings.New(d), Carts: cart.NewStore(d), BaseURL: "https://shop.example.jp"}
	w.s.Checkout = &checkout.Service{DB: d, Settings: settings.New(d), Calendar: cal, Rules: w.s}
	return w
}

// input fills a cart with lines (variant → qty) and returns the
// checkout input of customer paying with pay.
func (w *world) input(t *testing.T, customer int64, pay string, lines map[int64]int) *checkout.Input {
	t.Helper()
	ctx := context.Background()
	id, err := w.s.Carts.Create(ctx, "t-"+cart.NewToken())
	if err != nil {
		t.Fatal(err)
	}
	for v, q := range lines {
		if err := w.s.Carts.SetQty(ctx, id, v, q); err != nil {
			t.Fatal(err)
		}
	}
	addr := order.Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	c := customer
	return &checkout.Input{CartID: id, Key: "k-" + cart.NewToken(), Lang: "ja", Email: "buyer@example.jp", Buyer: addr, Ship: addr,
		MethodID: 1, PaymentMethod: pay, CustomerID: &c}
}

func kindKey(err error) (shop.Kind, string) {
	var se *shop.Error
	if errors.As(err, &se) {
		return se.Kind, se.Key
	}
	return -1, ""
}

func field(err error, name string) string {
	var se *shop.Error
	if errors.As(err, &se) {
		return se.Fields[name]
	}
	return ""
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ordertest0 is a customer of no company.
func ordertest0(t *testing.T, d *db.DB) int64 { return ordertest.Customer(t, d) }

func fieldsOf(err error) map[string]string {
	var se *shop.Error
	if errors.As(err, &se) {
		return se.Fields
	}
	return nil
}

func settingsOf(d *db.DB) *settings.Store { return settings.New(d) }
