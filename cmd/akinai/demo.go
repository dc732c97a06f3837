package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/demo"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "load" {
		fmt.Fprintln(stderr, "usage: akinai demo load [--products N] [--data DIR | --database-url URL]")
		return 2
	}
	var products *int
	cfg, _, d, code := commandDB(ctx, "demo load", args[1:], stderr, func(fs *flag.FlagSet) {
		products = fs.Int("products", 0, "number of demo products (default 72)")
	})
	if code != 0 {
		return code
	}
	defer d.Close()
	if err := loadDemo(ctx, d, cfg.newLogger(stderr), *products); err != nil {
		fmt.Fprintln(stderr, "akinai: demo:", err)
		return 1
	}
	return 0
}

// loadDemo fills the shop with demo data; the catalogue's demo loader is
// idempotent, so running it twice adds nothing.
func loadDemo(ctx context.Context, d *db.DB, log *slog.Logger, products int) error {
	return demo.Load(ctx, d, demo.Options{Products: products, Log: log})
}

// loadDemoIfEmpty is serve --demo: it fills only a shop without products,
// so a shop that was once a demo and then edited is never touched.
func loadDemoIfEmpty(ctx context.Context, d *db.DB, log *slog.Logger, products int) error {
	var n int
	if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM products").Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		log.Info("the shop has products; demo data not loaded", "products", n)
		return nil
	}
	return loadDemo(ctx, d, log, products)
}
