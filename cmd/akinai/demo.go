package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/akinai/akinai/internal/db"
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
	return fmt.Errorf("the demo catalogue is not built into this binary yet")
}
