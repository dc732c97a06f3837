package recommend_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/recommend"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func tx(t *testing.T, d *db.DB, fn func(tx *db.Tx) error) error {
	t.Helper()
	return d.Tx(t.Context(), fn)
}

// The operator's picks show in their order and only within their
// period; a private product and a second pick of one product are refused.
func TestStore_Picks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		s := &recommend.Store{DB: d}
		a, _ := ordertest.Product(t, d, "a")
		b, _ := ordertest.Product(t, d, "b")
		c, _ := ordertest.Product(t, d, "c")
		ordertest.Product(t, d, "hidden")
		if _, err := d.Exec(ctx, `UPDATE products SET status = 'private' WHERE slug = 'hidden'`); err != nil {
			t.Fatal(err)
		}
		past, future := now.Add(-time.Hour), now.Add(time.Hour)
		for _, p := range []struct {
			slug   string
			order  int
			starts *time.Time
			end    *time.Time
		}{{"b", 10, nil, nil}, {"a", 20, &past, &future}, {"c", 5, &future, nil}} {
			if err := tx(t, d, func(tx *db.Tx) error { _, err := s.Add(ctx, tx, p.slug, p.order, p.starts, p.end); return err }); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.Current(ctx); err != nil || !slices.Equal(got, []int64{b, a}) {
			t.Errorf("current %v %v, want [%d %d] (c not started)", got, err, b, a)
		}
		now = future.Add(time.Minute)
		if got, _ := s.Current(ctx); !slices.Equal(got, []int64{c, b}) {
			t.Errorf("later %v, want [%d %d] (a ended, c started)", got, c, b)
		}
		for slug, want := range map[string]shop.Kind{"hidden": shop.Invalid, "nope": shop.Invalid, "a": shop.Conflict} {
			err := tx(t, d, func(tx *db.Tx) error { _, err := s.Add(ctx, tx, slug, 1, nil, nil); return err })
			if shop.KindOf(err) != want {
				t.Errorf("add %s: %v, want kind %v", slug, err, want)
			}
		}
		picks, err := s.Picks(ctx)
		if err != nil || len(picks) != 3 || picks[0].ProductID != c || picks[0].State(now) != "now" || picks[2].State(now) != "over" {
			t.Fatalf("picks %+v %v", picks, err)
		}
		if err := tx(t, d, func(tx *db.Tx) error { return s.Remove(ctx, tx, picks[0].ID) }); err != nil {
			t.Fatal(err)
		}
		if err := tx(t, d, func(tx *db.Tx) error { return s.Remove(ctx, tx, picks[0].ID) }); !errors.Is(err, shop.ErrNotFound) {
			t.Errorf("second remove: %v", err)
		}
	})
}

// "Also bought" comes from the orders that are sales, needs two orders
// holding the pair, is computed again only for the products of orders
// changed since the last refresh, and follows a cancellation.
func TestStore_AlsoBought(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		s := &recommend.Store{DB: d}
		kyusu, kv := ordertest.Product(t, d, "kyusu")
		cha, cv := ordertest.Product(t, d, "cha")
		yunomi, yv := ordertest.Product(t, d, "yunomi")
		futa, fv := ordertest.Product(t, d, "futa")

		if changed, err := s.Refresh(ctx); err != nil || len(changed) != 0 {
			t.Fatalf("refresh without orders: %v %v", changed, err)
		}
		ordertest.Place(t, d, 0, order.Paid, map[int64]int64{kyusu: kv, cha: cv, yunomi: yv})
		ordertest.Place(t, d, 0, order.Shipped, map[int64]int64{kyusu: kv, cha: cv})
		ordertest.Place(t, d, 0, order.New, map[int64]int64{kyusu: kv, futa: fv})       // once only
		ordertest.Place(t, d, 0, order.Cancelled, map[int64]int64{kyusu: kv, futa: fv}) // not a sale
		now = now.Add(time.Minute)
		changed, err := s.Refresh(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(changed)
		if !slices.Equal(changed, []int64{kyusu, cha}) {
			t.Errorf("changed %v, want [%d %d]", changed, kyusu, cha)
		}
		if got, _ := s.AlsoBought(ctx, kyusu); !slices.Equal(got, []int64{cha}) {
			t.Errorf("kyusu also bought %v, want [%d]", got, cha)
		}
		if got, _ := s.AlsoBought(ctx, cha); !slices.Equal(got, []int64{kyusu}) {
			t.Errorf("cha also bought %v, want [%d]", got, kyusu)
		}
		if got, _ := s.AlsoBought(ctx, futa); len(got) != 0 {
			t.Errorf("futa also bought %v (one sale, one cancelled order)", got)
		}
		at, err := s.RefreshedAt(ctx)
		if err != nil || at == nil {
			t.Fatalf("refreshed at %v %v", at, err)
		}

		// Nothing changed: nothing is written again.
		now = now.Add(time.Hour)
		if changed, err := s.Refresh(ctx); err != nil || len(changed) != 0 {
			t.Errorf("second refresh changed %v %v", changed, err)
		}
		// A second kyusu+futa sale makes the pair; yunomi joins kyusu.
		ordertest.Place(t, d, 0, order.Paid, map[int64]int64{kyusu: kv, futa: fv, yunomi: yv})
		now = now.Add(time.Minute)
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		got, _ := s.AlsoBought(ctx, kyusu)
		if len(got) != 3 || got[0] != cha || !slices.Contains(got, futa) || !slices.Contains(got, yunomi) {
			t.Errorf("kyusu after more sales %v", got)
		}
		// Cancelling one of the kyusu+cha orders breaks that pair.
		var id int64
		if err := d.QueryRow(ctx, `SELECT id FROM orders WHERE status = 'shipped'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
		if _, err := d.Exec(ctx, `UPDATE orders SET status = 'returned', updated_at = ? WHERE id = ?`, now, id); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.AlsoBought(ctx, kyusu); slices.Contains(got, cha) {
			t.Errorf("kyusu still lists cha after a return: %v", got)
		}

		// Another instance's refresh under way: this one does nothing.
		if _, err := d.Exec(ctx, `UPDATE also_bought_state SET lock_until = ? WHERE id = 1`, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		ordertest.Place(t, d, 0, order.Paid, map[int64]int64{cha: cv, yunomi: yv})
		ordertest.Place(t, d, 0, order.Paid, map[int64]int64{cha: cv, yunomi: yv})
		now = now.Add(time.Second)
		if changed, err := s.Refresh(ctx); err != nil || len(changed) != 0 {
			t.Errorf("locked refresh: %v %v", changed, err)
		}
		now = now.Add(2 * time.Minute)
		if changed, err := s.Refresh(ctx); err != nil || !slices.Contains(changed, cha) {
			t.Errorf("after the lock ran out: %v %v", changed, err)
		}
	})
}
