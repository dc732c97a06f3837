package catalog_test

import (
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func TestClassMasters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		s := catalog.NewStore(d)
		var sizeID int64
		err := d.Tx(ctx, func(tx *db.Tx) error {
			var err error
			sizeID, err = catalog.SaveClass(ctx, tx, 0, "サイズ", "Size", catalog.ParseClassValues("S | Small\nM\nL\nM"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error { _, err := catalog.SaveClass(ctx, tx, 0, "サイズ", "", nil); return err })
		if f := fields(err); f["name_ja"] != catalog.ErrKeyClassTaken {
			t.Errorf("second サイズ: %v", err)
		}
		err = d.Tx(ctx, func(tx *db.Tx) error { _, err := catalog.SaveClass(ctx, tx, 0, " ", "", nil); return err })
		if f := fields(err); f["name_ja"] != catalog.ErrKeyRequired {
			t.Errorf("blank name: %v", err)
		}
		c, err := s.Class(ctx, sizeID)
		if err != nil || len(c.Values) != 3 || c.Values[0].NameEN != "Small" || c.Values[2].NameJA != "L" {
			t.Fatalf("class %+v, %v", c, err)
		}

		// A product made from the master links its axis values to it.
		p := &catalog.Edit{Slug: "tee", Status: catalog.StatusPrivate, NameJA: "Tシャツ", TaxClass: shop.TaxStandard,
			Axes: []catalog.EditAxis{c.Axis()}}
		p.Axes[0].Values = p.Axes[0].Values[:2] // S and M only
		p.Variants = catalog.Matrix(p.Axes, nil)
		for i := range p.Variants {
			p.Variants[i].SKU = "TEE-" + p.Variants[i].Value1
		}
		id, err := save(t, d, p)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := s.Edit(ctx, id)
		if e.Axes[0].ClassID != sizeID {
			t.Errorf("axis class %d, want %d", e.Axes[0].ClassID, sizeID)
		}
		c, _ = s.Class(ctx, sizeID)
		if c.Values[0].Uses != 1 || c.Values[2].Uses != 0 {
			t.Errorf("uses %+v", c.Values)
		}

		t.Run("a value in use is not deleted, and the refusal names the product", func(t *testing.T) {
			err := d.Tx(ctx, func(tx *db.Tx) error { return catalog.DeleteClassValue(ctx, tx, sizeID, c.Values[0].ID) })
			var se *shop.Error
			if shop.KindOf(err) != shop.Conflict || !strings.Contains(err.(*shop.Error).Args[0].(string), "Tシャツ") {
				t.Fatalf("delete S: %v (%+v)", err, se)
			}
			err = d.Tx(ctx, func(tx *db.Tx) error { return catalog.DeleteClass(ctx, tx, sizeID) })
			if shop.KindOf(err) != shop.Conflict {
				t.Fatalf("delete class: %v", err)
			}
		})
		t.Run("an unused value is deleted", func(t *testing.T) {
			err := d.Tx(ctx, func(tx *db.Tx) error { return catalog.DeleteClassValue(ctx, tx, sizeID, c.Values[2].ID) })
			if err != nil {
				t.Fatal(err)
			}
			err = d.Tx(ctx, func(tx *db.Tx) error { return catalog.DeleteClassValue(ctx, tx, sizeID, c.Values[2].ID) })
			if shop.KindOf(err) != shop.NotFound {
				t.Errorf("again: %v", err)
			}
		})
		t.Run("once the product drops the axis the class can go", func(t *testing.T) {
			e, _ := s.Edit(ctx, id)
			e.Axes = nil
			e.Variants = catalog.Matrix(nil, nil)
			e.Variants[0].SKU = "TEE-S"
			if _, err := save(t, d, e); err != nil {
				t.Fatal(err)
			}
			if err := d.Tx(ctx, func(tx *db.Tx) error { return catalog.DeleteClass(ctx, tx, sizeID) }); err != nil {
				t.Fatal(err)
			}
		})
	})
}
