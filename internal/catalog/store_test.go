package catalog_test

import (
	"errors"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func TestStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		mustDemo(t, d, 0)
		s := catalog.NewStore(d)

		t.Run("search folds the query like the text", func(t *testing.T) {
			for _, q := range []string{"ティー", "ﾃｨｰ", "てぃー", "ＴＥＡ", "tea"} {
				res, err := s.List(ctx, catalog.ListQuery{Keywords: catalog.Keywords(catalog.CleanQuery(q)), Limit: 60})
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, it := range res.Items {
					found = found || it.Slug == "chamomile-herb-tea"
				}
				if !found || res.Total == 0 {
					t.Errorf("%q: %d results, chamomile found %v", q, res.Total, found)
				}
			}
		})
		t.Run("LIKE metacharacters match literally", func(t *testing.T) {
			for _, q := range []string{"%", "_", `\`, "%%_"} {
				res, err := s.List(ctx, catalog.ListQuery{Keywords: catalog.Keywords(q)})
				if err != nil || res.Total != 0 {
					t.Errorf("%q: %d results, %v", q, res.Total, err)
				}
			}
		})
		t.Run("category includes descendants", func(t *testing.T) {
			tree, err := s.Tree(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tree.Depth() < 3 {
				t.Fatalf("depth %d", tree.Depth())
			}
			tea := tree.BySlug("tea")
			res, err := s.List(ctx, catalog.ListQuery{CategoryIDs: tree.Descendants(tea), Limit: 60})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 29 {
				t.Errorf("tea and below: %d products, want 29", res.Total)
			}
		})
		t.Run("price order uses tax-included prices", func(t *testing.T) {
			res, err := s.List(ctx, catalog.ListQuery{Sort: catalog.SortPriceAsc, Limit: 60})
			if err != nil {
				t.Fatal(err)
			}
			rates, _ := s.Rates(ctx)
			last := shop.Yen(0)
			for _, it := range res.Items {
				p := shop.IncludeTax(it.PriceMin, rates[it.TaxClass], shop.Floor)
				if p < last {
					t.Fatalf("%s at %d after %d", it.Slug, p, last)
				}
				last = p
			}
		})
		t.Run("page clamped", func(t *testing.T) {
			res, err := s.List(ctx, catalog.ListQuery{Page: 99, Limit: 20})
			if err != nil || res.Page != 4 || res.Pages != 4 || len(res.Items) != 12 {
				t.Fatalf("page %d of %d, %d items, %v", res.Page, res.Pages, len(res.Items), err)
			}
		})
		t.Run("variant for sale", func(t *testing.T) {
			p, err := s.Product(ctx, "shizuoka-fukamushi-sencha")
			if err != nil {
				t.Fatal(err)
			}
			v := p.Variants[1]
			var got catalog.VariantForSale
			err = d.Tx(ctx, func(tx *db.Tx) error {
				got, err = s.VariantForSale(ctx, tx, v.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.SKU != v.SKU || got.Price != v.Price || got.TaxRate != shop.ReducedRate || got.TaxClass != shop.TaxReduced ||
				got.VariantNameJA != "50g / 缶入り" || got.VariantNameEN != "50 g / Tin" || got.ProductNameJA != "静岡 深蒸し煎茶" {
				t.Fatalf("VariantForSale = %+v", got)
			}
			if _, err := d.Exec(ctx, `UPDATE products SET status = 'private' WHERE id = ?`, p.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.VariantForSale(ctx, d, v.ID); !errors.Is(err, shop.ErrNotFound) {
				t.Fatalf("private product: %v", err)
			}
			if _, err := s.VariantForSale(ctx, d, 1<<40); !errors.Is(err, shop.ErrNotFound) {
				t.Fatalf("unknown variant: %v", err)
			}
		})
		t.Run("tax rate is dated", func(t *testing.T) {
			future := time.Date(2031, 4, 1, 0, 0, 0, 0, time.UTC)
			if err := catalog.SetTaxRule(ctx, d, shop.TaxReduced, 0, future); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				at   time.Time
				want shop.TaxRate
			}{{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), shop.ReducedRate}, {future, 0}, {future.Add(time.Hour), 0}} {
				got, err := s.TaxRate(ctx, d, 0, shop.TaxReduced, tc.at)
				if err != nil || got != tc.want {
					t.Errorf("TaxRate(reduced, %s) = %d, %v; want %d", tc.at, got, err, tc.want)
				}
			}
			if _, err := s.TaxRate(ctx, d, 0, shop.TaxStandard, time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
				t.Error("a date before every rule has a rate")
			}
		})
		t.Run("refresh keeps prices and search text", func(t *testing.T) {
			if _, err := d.Exec(ctx, `UPDATE products SET price_min = 0, search_text = ''`); err != nil {
				t.Fatal(err)
			}
			if err := d.Tx(ctx, func(tx *db.Tx) error { return catalog.RefreshProducts(ctx, tx) }); err != nil {
				t.Fatal(err)
			}
			s.Invalidate()
			res, err := s.List(ctx, catalog.ListQuery{Keywords: catalog.Keywords("ﾃｨｰ"), Sort: catalog.SortPriceAsc})
			if err != nil || res.Total == 0 || res.Items[0].PriceMin == 0 {
				t.Fatalf("after refresh: %+v, %v", res, err)
			}
		})
	})
}
