package cart_test

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/shop"
)

var jst = time.FixedZone("JST", 9*3600)

// A product's rate comes from its own dated rule, else from a category's,
// else from the shop's rule for its class — the same answer for the cart
// (so checkout and 受注登録), order editing (catalog.TaxRate) and the
// catalogue's shown prices (Store.Display), on either side of a change
// at JST midnight.
func TestTaxRate_ProductCategoryShop(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		own := ordertest.Variant(t, d, "OWN", "standard", -1)   // in food, own rule 5% from 2027-01-01
		food := ordertest.Variant(t, d, "FOOD", "standard", -1) // in food and gift
		rice := ordertest.Variant(t, d, "RICE", "reduced", -1)  // in food
		plain := ordertest.Variant(t, d, "PLAIN", "standard", -1)
		pid := map[int64]int64{}
		for _, v := range []int64{own, food, rice, plain} {
			var p int64
			if err := d.QueryRow(ctx, `SELECT product_id FROM variants WHERE id = ?`, v).Scan(&p); err != nil {
				t.Fatal(err)
			}
			pid[v] = p
		}
		cat := func(slug string) int64 {
			var id int64
			if err := d.Tx(ctx, func(tx *db.Tx) error {
				return tx.QueryRow(ctx, `INSERT INTO categories (slug, name_ja, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
					slug, slug, tx.Now(), tx.Now()).Scan(&id)
			}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		foodCat, giftCat := cat("food"), cat("gift")
		jan, apr, jun := time.Date(2027, 1, 1, 0, 0, 0, 0, jst), time.Date(2027, 4, 1, 0, 0, 0, 0, jst), time.Date(2026, 6, 1, 0, 0, 0, 0, jst)
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for _, m := range [][2]int64{{pid[own], foodCat}, {pid[food], foodCat}, {pid[food], giftCat}, {pid[rice], foodCat}} {
				if _, err := tx.Exec(ctx, `INSERT INTO product_categories (product_id, category_id) VALUES (?, ?)`, m[0], m[1]); err != nil {
					return err
				}
			}
			for _, r := range []struct {
				scope string
				id    int64
				rate  shop.TaxRate
				from  time.Time
			}{
				{"category", foodCat, 800, jan},  // food at 8% from the new year
				{"category", giftCat, 900, jun},  // gift at 9% since June (older start: loses to food from January)
				{"product", pid[own], 500, jan},  // its own rule beats its category
				{"product", pid[own], 1500, apr}, // a later own rule
			} {
				if err := catalog.SetScopedRule(ctx, tx, r.scope, r.id, r.rate, r.from); err != nil {
					return err
				}
			}
			return catalog.SetTaxRule(ctx, tx, shop.TaxStandard, 1200, apr) // the shop's standard rate rises in April
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := catalog.SetScopedRule(ctx, d, "category", 999999, 800, jan); err != shop.ErrNotFound {
			t.Errorf("rule for a missing category: %v, want not found", err)
		}
		store := cart.NewStore(d)
		cartID, err := store.Create(ctx, cart.NewToken())
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []int64{own, food, rice, plain} {
			if err := store.Add(ctx, cartID, v, 1); err != nil {
				t.Fatal(err)
			}
		}
		second := time.Second
		for _, tc := range []struct {
			name string
			at   time.Time
			want map[int64]shop.TaxRate // variant → rate
		}{
			{"last second of 2026 JST", jan.Add(-second), map[int64]shop.TaxRate{own: 1000, food: 900, rice: 800, plain: 1000}},
			{"JST midnight 2027-01-01", jan, map[int64]shop.TaxRate{own: 500, food: 800, rice: 800, plain: 1000}},
			{"last second of March JST", apr.Add(-second), map[int64]shop.TaxRate{own: 500, food: 800, rice: 800, plain: 1000}},
			{"JST midnight 2027-04-01", apr, map[int64]shop.TaxRate{own: 1500, food: 800, rice: 800, plain: 1200}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := cart.Load(ctx, d, cartID, tc.at, shop.Floor)
				if err != nil {
					t.Fatal(err)
				}
				if len(c.Lines) != 4 {
					t.Fatalf("%d lines", len(c.Lines))
				}
				display, err := catalog.LoadTaxRules(ctx, d)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range c.Lines {
					want := tc.want[l.VariantID]
					if l.Rate != want || l.UnitPrice != shop.IncludeTax(1000, want, shop.Floor) {
						t.Errorf("cart line %s: rate %d price %d, want rate %d", l.SKU, l.Rate, l.UnitPrice, want)
					}
					if got, err := catalog.TaxRate(ctx, d, l.ProductID, l.Class, tc.at); err != nil || got != want {
						t.Errorf("order editing's rate of %s: %d, %v; want %d", l.SKU, got, err, want)
					}
					if got := (catalog.DisplayTax{Rules: display, At: tc.at}).Rate(l.ProductID, l.Class); got != want {
						t.Errorf("shown rate of %s: %d, want %d", l.SKU, got, want)
					}
				}
			})
		}
		// Deleting the product's rules hands it back to its category.
		for _, from := range []time.Time{jan, apr} {
			if ok, err := catalog.DeleteScopedRule(ctx, d, "product", pid[own], from); err != nil || !ok {
				t.Fatalf("delete: %v %v", ok, err)
			}
		}
		if got, err := catalog.TaxRate(ctx, d, pid[own], shop.TaxStandard, apr); err != nil || got != 800 {
			t.Errorf("after deleting its own rules: %d, %v; want the category's 800", got, err)
		}
		// The shop's fee rate is the class rule alone.
		if rates, err := cart.TaxRates(ctx, d, apr); err != nil || rates[shop.TaxStandard] != 1200 {
			t.Errorf("fee rates in April: %v, %v", rates, err)
		}
	})
}

func TestMain(m *testing.M) { dbtest.Main(m) }
