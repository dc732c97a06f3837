package order

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// mustVariant adds a product of class with one variant (stock -1:
// unlimited) and returns the variant ID.
func mustVariant(t *testing.T, d *db.DB, sku, class string, stock int) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var pid int64
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, tax_class, created_at, updated_at) VALUES (?, 'public', ?, ?, ?, ?) RETURNING id`,
			sku, "商品"+sku, class, tx.Now(), tx.Now()).Scan(&pid); err != nil {
			return err
		}
		var st any
		if stock >= 0 {
			st = stock
		}
		return tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, price, stock, created_at, updated_at) VALUES (?, ?, 1000, ?, ?, ?) RETURNING id`,
			pid, sku, st, tx.Now(), tx.Now()).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func stockOf(t *testing.T, d *db.DB, id int64) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT stock FROM variants WHERE id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// MustOrder creates an order of two lines: 2 × ¥1,100 at 10% (v1) and
// 3 × ¥1,080 at 8% reduced (v2), delivery ¥930.
func mustOrder(t *testing.T, d *db.DB, v1, v2 int64) *Order {
	t.Helper()
	addr := Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	o := &Order{IdempotencyKey: "k-" + time.Now().Format("150405.000000000"), Status: New, Lang: "ja", Email: "taro@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: COD,
		Subtotal: 5440, DeliveryFee: 930, Total: 6370,
		Rates: []RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []Line{
			{VariantID: v1, NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: v2, NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		}}
	err := d.Tx(context.Background(), func(tx *db.Tx) error { return Create(context.Background(), tx, o) })
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestApplyEdit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := mustVariant(t, d, "POT", "standard", 5)
		v2 := mustVariant(t, d, "TEA", "reduced", 10)
		o := mustOrder(t, d, v1, v2)
		if stockOf(t, d, v1) != 3 || stockOf(t, d, v2) != 7 {
			t.Fatalf("stock after order: %d, %d", stockOf(t, d, v1), stockOf(t, d, v2))
		}
		lines, err := AdminLines(ctx, d, o.ID)
		if err != nil || len(lines) != 2 {
			t.Fatalf("lines: %v %v", lines, err)
		}
		edit := func(version int, q1, q2 int) (*Order, error) {
			var got *Order
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				got, err = ApplyEdit(ctx, tx, Edit{Number: o.Number, Version: version, Qty: map[int64]int{lines[0].ID: q1, lines[1].ID: q2},
					Ship: o.Ship, DeliveryFee: 930, Rounding: shop.Floor})
				return err
			})
			return got, err
		}

		t.Run("recompute and stock", func(t *testing.T) {
			// 10%: 1,100×3 + 930 = 4,230 → tax floor(4230×10/110) = 384.
			// 8%: 1,080×1 = 1,080 → tax 80.
			got, err := edit(1, 3, 1)
			if err != nil {
				t.Fatal(err)
			}
			if got.Subtotal != 4380 || got.Total != 5310 {
				t.Fatalf("totals %d %d", got.Subtotal, got.Total)
			}
			want := []RateTotal{{Rate: 1000, Total: 4230, Tax: 384}, {Rate: 800, Reduced: true, Total: 1080, Tax: 80}}
			if len(got.Rates) != 2 || got.Rates[0] != want[0] || got.Rates[1] != want[1] {
				t.Fatalf("rates %+v, want %+v", got.Rates, want)
			}
			if stockOf(t, d, v1) != 2 || stockOf(t, d, v2) != 9 {
				t.Fatalf("stock after edit: %d, %d", stockOf(t, d, v1), stockOf(t, d, v2))
			}
		})
		t.Run("stale version refused", func(t *testing.T) {
			_, err := edit(1, 3, 2)
			if err != ErrVersion {
				t.Fatalf("err = %v, want ErrVersion", err)
			}
		})
		t.Run("increase beyond stock refused, nothing written", func(t *testing.T) {
			_, err := edit(2, 6, 1) // needs 3 more POT, 2 left
			if shop.KindOf(err) != shop.SoldOut {
				t.Fatalf("err = %v, want SoldOut", err)
			}
			if stockOf(t, d, v1) != 2 {
				t.Fatalf("stock changed: %d", stockOf(t, d, v1))
			}
			if _, v, _ := Version(ctx, d, o.Number); v != 2 {
				t.Fatalf("version %d after a refused edit", v)
			}
		})
		t.Run("transition refused", func(t *testing.T) {
			err := d.Tx(ctx, func(tx *db.Tx) error { return MoveChecked(ctx, tx, o.Number, 2, Returned, "") })
			if shop.KindOf(err) != shop.Conflict {
				t.Fatalf("new → returned: %v", err)
			}
		})
		t.Run("ship then not editable", func(t *testing.T) {
			err := d.Tx(ctx, func(tx *db.Tx) error { _, err := Ship(ctx, tx, o.Number, 2, "yamato", "1234-5678-9012"); return err })
			if err != nil {
				t.Fatal(err)
			}
			got, _ := ByNumber(ctx, d, o.Number)
			if got.Status != Shipped {
				t.Fatalf("status %s", got.Status)
			}
			ships, _ := Shipments(ctx, d, o.ID)
			if len(ships) != 1 || ships[0].Tracking != "1234-5678-9012" {
				t.Fatalf("shipments %+v", ships)
			}
			if _, err := edit(3, 1, 1); shop.KindOf(err) != shop.Conflict {
				t.Fatalf("edit after shipping: %v", err)
			}
			if err := d.Tx(ctx, func(tx *db.Tx) error { return MoveChecked(ctx, tx, o.Number, 3, Cancelled, "") }); shop.KindOf(err) != shop.Conflict {
				t.Fatalf("shipped → cancelled: %v", err)
			}
		})
	})
}

func TestSearch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := mustVariant(t, d, "POT", "standard", -1)
		v2 := mustVariant(t, d, "TEA", "reduced", -1)
		o := mustOrder(t, d, v1, v2)
		mustOrder(t, d, v1, v2)
		for _, f := range []Filter{{Number: o.Number}, {Name: "山田 太郎", Number: o.Number}, {Kana: "ヤマダ", Number: o.Number}, {Email: "TARO@", Number: o.Number}, {Phone: "0312", Status: New, Payment: COD, Number: o.Number}} {
			got, total, err := Search(ctx, d, f)
			if err != nil || total != 1 || len(got) != 1 || got[0].Number != o.Number {
				t.Fatalf("Search(%+v) = %v, %d, %v", f, got, total, err)
			}
		}
		if _, total, _ := Search(ctx, d, Filter{Name: "佐藤"}); total != 0 {
			t.Fatalf("no match: %d", total)
		}
		if got, total, _ := Search(ctx, d, Filter{Limit: 1}); total != 2 || len(got) != 1 {
			t.Fatalf("paged: %d rows of %d", len(got), total)
		}
		n := 0
		if err := Each(ctx, d, Filter{From: time.Now().Add(-time.Hour)}, func(*Summary) error { n++; return nil }); err != nil || n != 2 {
			t.Fatalf("Each: %d, %v", n, err)
		}
	})
}
