package catalog_test

import (
	"fmt"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/recommend"
	"github.com/akinai/akinai/internal/review"
	"github.com/akinai/akinai/internal/throttle"
)

// benchShopWithExtras is benchShop with the product page's reviews
// section (20 published reviews of canvas-apron) and its shelves (8
// picks, 8 also-bought products) wired as cmd/akinai wires them: what a
// product page costs when its cached copy has to be rendered again.
// docs/PERFORMANCE.md compares it with BenchmarkProductPageUncached.
func benchShopWithExtras(b *testing.B) *testShop {
	b.Helper()
	s := benchShop(b)
	ctx := b.Context()
	rh, err := review.NewHandlers(&review.Store{DB: s.DB}, s.Store, s.Render, throttle.DefaultLimits(), nil)
	if err != nil {
		b.Fatal(err)
	}
	recs := &recommend.Store{DB: s.DB}
	s.Pages.Reviews, s.Pages.ProductShelves, s.Pages.HomeShelves = rh.Section, recs.ProductShelves, recs.HomeShelves
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var pid int64
		if err := tx.QueryRow(ctx, `SELECT id FROM products WHERE slug = 'canvas-apron'`).Scan(&pid); err != nil {
			return err
		}
		for i := range 20 {
			var cid int64
			email := fmt.Sprintf("b%d@example.jp", i)
			if err := tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?) RETURNING id`,
				email, email, now, now, now).Scan(&cid); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO reviews (product_id, customer_id, nickname, stars, title, body, status, created_at, updated_at)
				VALUES (?, ?, 'ニックネーム', ?, '使いやすいエプロンです', ?, 'published', ?, ?)`, pid, cid, 1+i%5, fmt.Sprintf("レビュー本文 %d。丈夫で洗っても縮みません。", i), now, now); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO recommended_products (product_id, sort_order, created_at, updated_at)
			SELECT id, id, ?, ? FROM products WHERE status = 'public' AND id <> ? ORDER BY id LIMIT 8`, now, now, pid); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO also_bought (product_id, other_id, orders, rank)
			SELECT ?, id, 10, id FROM products WHERE status = 'public' AND id <> ? ORDER BY id DESC LIMIT 8`, pid, pid)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkProductPageUncachedWithReviews(b *testing.B) {
	benchGet(b, benchShopWithExtras(b), "/products/canvas-apron", true)
}
func BenchmarkProductPageWithReviews(b *testing.B) {
	benchGet(b, benchShopWithExtras(b), "/products/canvas-apron", false)
}
