// Package demo fills a shop with a realistic Japanese demo catalogue,
// 「茶と道具 あきない」: teas and sweets at the reduced rate, tea tools,
// kitchen goods and textiles, with one- and two-axis variants, generated
// product images, shop information and the legal pages. Loading is
// idempotent: rows are found by slug, SKU or key and never duplicated,
// and what an operator has changed since is left alone.
package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// DefaultProducts is the size of the demo catalogue.
const DefaultProducts = 72

// Options configure Load.
type Options struct {
	// Products is the number of products (default 72). Large numbers
	// (10,000) make a catalogue for load tests.
	Products int
	Log      *slog.Logger
}

// batchSize is the number of products written per transaction.
const batchSize = 500

// Load writes the demo shop into d. Running it again adds nothing.
func Load(ctx context.Context, d *db.DB, opts Options) error {
	if opts.Products <= 0 {
		opts.Products = DefaultProducts
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	start := time.Now()
	var cats map[string]int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := taxRules(ctx, tx); err != nil {
			return err
		}
		if err := shopSettings(ctx, tx); err != nil {
			return err
		}
		if err := shopPages(ctx, tx); err != nil {
			return err
		}
		var err error
		cats, err = categories(ctx, tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("demo: shop: %w", err)
	}
	if d.Dialect == db.SQLite && opts.Products > 1000 {
		// A bulk load rewrites the same index pages over and over: with
		// SQLite's default 2 MB page cache they are read back from the
		// file each time. The write connection gets 64 MB while loading.
		if _, err := d.Exec(ctx, `PRAGMA cache_size = -65536`); err != nil {
			return err
		}
		defer d.Exec(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
	}
	added := 0
	for from := 0; from < opts.Products; from += batchSize {
		to := min(from+batchSize, opts.Products)
		err := d.Tx(ctx, func(tx *db.Tx) error {
			n, err := products(ctx, tx, cats, from, to, opts.Products)
			added += n
			return err
		})
		if err != nil {
			return fmt.Errorf("demo: products %d–%d: %w", from, to, err)
		}
	}
	opts.Log.Info("demo shop loaded", "products", opts.Products, "added", added, "duration", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// taxRules adds the rates in force since 2019-10-01 (JST): 10% standard
// and 8% reduced (food and drink).
func taxRules(ctx context.Context, tx *db.Tx) error {
	jst := time.FixedZone("JST", 9*3600)
	from := time.Date(2019, 10, 1, 0, 0, 0, 0, jst)
	for class, rate := range map[shop.TaxClass]shop.TaxRate{shop.TaxStandard: shop.StandardRate, shop.TaxReduced: shop.ReducedRate} {
		if _, err := tx.Exec(ctx, `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)
			ON CONFLICT (tax_class, effective_from) DO NOTHING`, string(class), int(rate), from.UTC()); err != nil {
			return err
		}
	}
	return nil
}

// shopPages adds the legal and company pages unless they exist.
func shopPages(ctx context.Context, tx *db.Tx) error {
	for _, p := range pages() {
		if _, err := tx.Exec(ctx, `INSERT INTO pages (slug, title_ja, title_en, body_ja, body_en, published, sort_order, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING`,
			p.Slug, p.TitleJA, p.TitleEN, p.BodyJA, p.BodyEN, true, p.SortOrder, tx.Now(), tx.Now()); err != nil {
			return err
		}
		if p.Slug == "tokushoho" {
			// Earlier demos listed a convenience-store payment the shop
			// never offered; a page nobody edited since gets the new text.
			if _, err := tx.Exec(ctx, `UPDATE pages SET body_ja = ?, body_en = ?, updated_at = ?
				WHERE slug = ? AND updated_at = created_at AND body_ja LIKE ?`,
				p.BodyJA, p.BodyEN, tx.Now(), p.Slug, "%コンビニ払い%"); err != nil {
				return err
			}
		}
	}
	return nil
}

// categories adds the category tree and returns every slug's ID.
func categories(ctx context.Context, tx *db.Tx) (map[string]int64, error) {
	ids := map[string]int64{}
	for i, c := range categoryTree {
		var parent any
		if c.parent != "" {
			parent = ids[c.parent]
		}
		if _, err := tx.Exec(ctx, `INSERT INTO categories (parent_id, slug, name_ja, name_en, sort_order, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING`, parent, c.slug, c.ja, c.en, i, tx.Now(), tx.Now()); err != nil {
			return nil, err
		}
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM categories WHERE slug = ?`, c.slug).Scan(&id); err != nil {
			return nil, err
		}
		ids[c.slug] = id
	}
	return ids, nil
}
