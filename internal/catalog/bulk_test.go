package catalog_test

import (
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

// A bulk action does what applies and reports the rest: products deleted
// meanwhile, products with nothing to sell (publish).
func TestBulk(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		s := catalog.NewStore(d)
		a, err := save(t, d, newTwoAxisProduct("bulk-a"))
		if err != nil {
			t.Fatal(err)
		}
		p := newTwoAxisProduct("bulk-b")
		p.Status = catalog.StatusPrivate
		for i := range p.Variants {
			p.Variants[i].Active = false
		}
		b, err := save(t, d, p)
		if err != nil {
			t.Fatal(err)
		}
		run := func(action string, ids []int64, cat int64) (catalog.BulkResult, error) {
			var res catalog.BulkResult
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				res, err = catalog.Bulk(ctx, tx, action, ids, cat)
				return err
			})
			return res, err
		}
		res, err := run(catalog.BulkPublish, []int64{a, b, 999999}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Done) != 1 || res.Done[0] != a || len(res.Skipped) != 2 ||
			res.Skipped[0].Reason != catalog.SkipNoVariant || res.Skipped[1].Reason != catalog.SkipGone || res.Skipped[1].Name != "" {
			t.Fatalf("publish: %+v", res)
		}
		res, err = run(catalog.BulkUnpublish, []int64{a}, 0)
		if e, _ := s.Edit(ctx, a); err != nil || e.Status != catalog.StatusPrivate {
			t.Errorf("unpublish: %+v %v", res, err)
		}
		if _, err := run(catalog.BulkCategorySet, []int64{a}, 424242); shop.KindOf(err) != shop.Invalid {
			t.Errorf("unknown category: %v", err)
		}
		if _, err := run("explode", []int64{a}, 0); shop.KindOf(err) != shop.Invalid {
			t.Errorf("unknown action: %v", err)
		}
		res, err = run(catalog.BulkDuplicate, []int64{a}, 0)
		if err != nil || len(res.Done) != 1 || res.Done[0] == a {
			t.Fatalf("duplicate: %+v %v", res, err)
		}
		res, err = run(catalog.BulkDelete, []int64{res.Done[0], b}, 0)
		if err != nil || len(res.Done) != 2 {
			t.Fatalf("delete: %+v %v", res, err)
		}
		if _, err := s.Edit(ctx, b); shop.KindOf(err) != shop.NotFound {
			t.Errorf("deleted product still there: %v", err)
		}
	})
}
