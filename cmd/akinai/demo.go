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
	var cfg Config
	fs := flag.NewFlagSet("demo load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.bindCommon(fs)
	fs.IntVar(&cfg.DemoSize, "products", 0, "number of demo products (default 72)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 2
	}
	log := cfg.newLogger(stderr)
	d, err := openDB(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	defer d.Close()
	if err := loadDemo(ctx, d, log, cfg.DemoSize); err != nil {
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
