package catalog_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

// A product scheduled for [10:00, 12:00) UTC is absent from the page,
// listings, sitemap and cart before and after, and a cached product page
// does not outlive its end. Its sale [10:00, 11:00) is charged only then.
func TestSchedule(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		base := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
		var clock atomic.Int64
		clock.Store(base.UnixMicro())
		d.Clock = func() time.Time { return time.UnixMicro(clock.Load()) }
		at := func(h, m int) {
			clock.Store(base.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UnixMicro())
		}
		tp := func(h int) *time.Time { x := base.Add(time.Duration(h) * time.Hour); return &x }

		p := newTwoAxisProduct("sched")
		p.PublishFrom, p.PublishUntil = tp(1), tp(3)
		p.SaleFrom, p.SaleUntil = tp(1), tp(2)
		sale := shop.Yen(2000)
		p.Variants[0].SalePrice = &sale
		id, err := save(t, d, p)
		if err != nil {
			t.Fatal(err)
		}
		s := catalog.NewStore(d)
		vid := func() int64 { e, _ := s.Edit(ctx, id); return e.Variants[0].ID }()
		visible := func() bool {
			t.Helper()
			_, err := s.Product(ctx, "sched")
			if err != nil && shop.KindOf(err) != shop.NotFound {
				t.Fatal(err)
			}
			return err == nil
		}
		listed := func() bool {
			res, err := s.List(ctx, catalog.ListQuery{Limit: 60})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range res.Items {
				if it.Slug == "sched" {
					return true
				}
			}
			return false
		}
		inSitemap := func() bool {
			es, _ := s.SitemapProducts(ctx)
			for _, e := range es {
				if e.Slug == "sched" {
					return true
				}
			}
			return false
		}
		price := func() (shop.Yen, error) {
			var v catalog.VariantForSale
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				v, err = s.VariantForSale(context.Background(), tx, vid)
				return err
			})
			return v.Price, err
		}

		if visible() || listed() || inSitemap() {
			t.Error("shown before its start")
		}
		if _, err := price(); shop.KindOf(err) != shop.NotFound {
			t.Errorf("sold before its start: %v", err)
		}
		v0 := s.Version()
		at(1, 30)
		if !visible() || !listed() || !inSitemap() {
			t.Error("not shown in its window")
		}
		if s.Version() == v0 {
			t.Error("the start did not change the cache version")
		}
		if pr, err := price(); err != nil || pr != 2000 {
			t.Errorf("price during the sale %v, %v", pr, err)
		}
		at(2, 30)
		if pr, err := price(); err != nil || pr != 3000 {
			t.Errorf("price after the sale %v, %v", pr, err)
		}
		if !visible() { // cached now
			t.Fatal("not shown in its window")
		}
		at(3, 0) // the end is exclusive; the cached product must go
		if visible() || listed() || inSitemap() {
			t.Error("shown after its end")
		}
		if _, err := price(); shop.KindOf(err) != shop.NotFound {
			t.Errorf("sold after its end: %v", err)
		}

		t.Run("an end before the start is refused", func(t *testing.T) {
			e, _ := s.Edit(ctx, id)
			e.PublishFrom, e.PublishUntil = tp(5), tp(4)
			e.SaleFrom, e.SaleUntil = tp(5), tp(5)
			f := fields2(save(t, d, e))
			if f["publish_until"] != catalog.ErrKeyPeriod || f["sale_until"] != catalog.ErrKeyPeriod {
				t.Errorf("fields %v", f)
			}
		})
		t.Run("a sale price at or above the price is refused", func(t *testing.T) {
			e, _ := s.Edit(ctx, id)
			e.Variants[1].SalePrice = &e.Variants[1].Price
			if f := fields2(save(t, d, e)); f["v1_sale_price"] != catalog.ErrKeySalePrice {
				t.Errorf("fields %v", f)
			}
		})
	})
}
