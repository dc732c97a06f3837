package catalog_test

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func intp(n int) *int { return &n }

// newTwoAxisProduct is a public product with colour × size (2 × 2).
func newTwoAxisProduct(slug string) *catalog.Edit {
	p := &catalog.Edit{Slug: slug, Status: catalog.StatusPublic, NameJA: "藍染めシャツ", TaxClass: shop.TaxStandard,
		Axes: []catalog.EditAxis{
			{NameJA: "色", NameEN: "Colour", Values: []catalog.AxisValue{{NameJA: "藍", NameEN: "Indigo"}, {NameJA: "白"}}},
			{NameJA: "サイズ", Values: []catalog.AxisValue{{NameJA: "M"}, {NameJA: "L"}}},
		}}
	p.Variants = catalog.Matrix(p.Axes, nil)
	for i := range p.Variants {
		p.Variants[i].SKU = slug + "-" + string(rune('a'+i))
		p.Variants[i].Price = shop.Yen(3000 + 100*i)
		p.Variants[i].Stock = intp(10)
	}
	return p
}

func save(t *testing.T, d *db.DB, p *catalog.Edit) (int64, error) {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = catalog.SaveProduct(context.Background(), tx, p)
		return err
	})
	return id, err
}

func TestSaveProduct(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		s := catalog.NewStore(d)
		id, err := save(t, d, newTwoAxisProduct("shirt"))
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Edit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Axes) != 2 || len(e.Variants) != 4 || e.Variants[3].Combo() != "白\tL" || e.Version != 1 {
			t.Fatalf("stored %+v", e)
		}
		var lo, hi int64
		var text string
		d.QueryRow(ctx, `SELECT price_min, price_max, search_text FROM products WHERE id = ?`, id).Scan(&lo, &hi, &text)
		if lo != 3000 || hi != 3300 || text == "" {
			t.Errorf("price range %d–%d, search text %q", lo, hi, text)
		}

		t.Run("second save from the same version is refused", func(t *testing.T) {
			a, _ := s.Edit(ctx, id)
			b, _ := s.Edit(ctx, id)
			a.NameJA = "A"
			if _, err := save(t, d, a); err != nil {
				t.Fatal(err)
			}
			b.NameJA = "B"
			if _, err := save(t, d, b); shop.KindOf(err) != shop.Conflict {
				t.Fatalf("second save: %v", err)
			}
			got, _ := s.Edit(ctx, id)
			if got.NameJA != "A" {
				t.Errorf("name %q", got.NameJA)
			}
		})
		t.Run("removing an axis keeps variant rows and drops the axis", func(t *testing.T) {
			e, _ := s.Edit(ctx, id)
			oldIDs := map[int64]bool{}
			for _, v := range e.Variants {
				oldIDs[v.ID] = true
			}
			e.Axes = e.Axes[:1]
			e.Variants = catalog.Matrix(e.Axes, nil)
			e.Variants[0].SKU, e.Variants[0].Price = "shirt-a", 5000 // same SKU as before: same row
			e.Variants[1].SKU, e.Variants[1].Price = "shirt-new", 5100
			if _, err := save(t, d, e); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Edit(ctx, id)
			if len(got.Axes) != 1 {
				t.Fatalf("axes %+v", got.Axes)
			}
			active := 0
			for _, v := range got.Variants {
				if v.Active {
					active++
				}
				if v.SKU == "shirt-a" && !oldIDs[v.ID] {
					t.Errorf("shirt-a got a new row")
				}
			}
			var stored int
			d.QueryRow(ctx, `SELECT COUNT(*) FROM variants WHERE product_id = ?`, id).Scan(&stored)
			if active != 2 || len(got.Variants) != 2 || stored != 5 {
				t.Errorf("%d active of %d, %d stored", active, len(got.Variants), stored)
			}
		})
		t.Run("a stock edit after a sale is refused", func(t *testing.T) {
			e, _ := s.Edit(ctx, id)
			d.Exec(ctx, `UPDATE variants SET stock = stock - 1 WHERE id = ?`, e.Variants[0].ID)
			e.Variants[0].Stock = intp(50)
			if _, err := save(t, d, e); shop.KindOf(err) != shop.Conflict {
				t.Fatalf("save: %v", err)
			}
			e, _ = s.Edit(ctx, id) // unchanged stock is left as the sale made it
			e.NameJA = "C"
			if _, err := save(t, d, e); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("duplicate and foreign SKUs", func(t *testing.T) {
			p := newTwoAxisProduct("other")
			p.Variants[1].SKU = p.Variants[0].SKU
			p.Variants[2].SKU = "shirt-a"
			_, err := save(t, d, p)
			f := fields(err)
			if f["v1_sku"] != catalog.ErrKeySKUTwice {
				t.Errorf("fields %v (%v)", f, err)
			}
			p.Variants[1].SKU = "other-x"
			f = fields2(save(t, d, p))
			if f["v2_sku"] != catalog.ErrKeySKUTaken {
				t.Errorf("fields %v", f)
			}
		})
		t.Run("copy", func(t *testing.T) {
			var nid int64
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				nid, err = catalog.CopyProduct(ctx, tx, id)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			c, _ := s.Edit(ctx, nid)
			if c.Status != catalog.StatusPrivate || len(c.Variants) != 2 || c.Slug == "" {
				t.Errorf("copy %+v", c)
			}
		})
		t.Run("bulk stock and price", func(t *testing.T) {
			e, _ := s.Edit(ctx, id)
			v := e.Variants[0]
			change := []catalog.StockPrice{{VariantID: v.ID, Version: v.Version, Price: 100, PriceWas: v.Price, Stock: intp(3), StockWas: v.Stock}}
			err := d.Tx(ctx, func(tx *db.Tx) error { _, err := catalog.SaveStockPrices(ctx, tx, change); return err })
			if err != nil {
				t.Fatal(err)
			}
			err = d.Tx(ctx, func(tx *db.Tx) error { _, err := catalog.SaveStockPrices(ctx, tx, change); return err })
			if shop.KindOf(err) != shop.Conflict {
				t.Errorf("stale bulk edit: %v", err)
			}
			if _, err := save(t, d, e); shop.KindOf(err) != shop.Conflict {
				t.Errorf("product form from before the bulk edit: %v", err)
			}
		})
	})
}

func fields(err error) map[string]string {
	if e, ok := err.(*shop.Error); ok {
		return e.Fields
	}
	return nil
}

func fields2(_ int64, err error) map[string]string { return fields(err) }

func TestCategoryTree(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		mk := func(parent int64, slug string) int64 {
			var id int64
			if err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				id, err = catalog.CreateCategory(ctx, tx, catalog.CategoryInput{ParentID: parent, Slug: slug, NameJA: slug})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		tea := mk(0, "tea")
		green := mk(tea, "green")
		cup := mk(0, "cup")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			return catalog.UpdateCategory(ctx, tx, tea, catalog.CategoryInput{ParentID: green, Slug: "tea", NameJA: "茶"})
		})
		if fields(err)["parent_id"] != catalog.ErrKeyCycle {
			t.Errorf("cycle: %v", err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return catalog.MoveCategory(ctx, tx, cup, -1) }); err != nil {
			t.Fatal(err)
		}
		s := catalog.NewStore(d)
		tree, _ := s.Tree(ctx)
		if len(tree.Roots) != 2 || tree.Roots[0].Slug != "cup" {
			t.Errorf("roots %v", tree.Roots)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return catalog.DeleteCategory(ctx, tx, tea) }); shop.KindOf(err) != shop.Conflict {
			t.Errorf("delete with children: %v", err)
		}
		if _, err := mk2(ctx, d, green, "x"); err != nil {
			t.Fatal(err)
		}
	})
}

func mk2(ctx context.Context, d *db.DB, parent int64, slug string) (int64, error) {
	var id int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = catalog.CreateCategory(ctx, tx, catalog.CategoryInput{ParentID: parent, Slug: slug, NameJA: slug})
		return err
	})
	return id, err
}
