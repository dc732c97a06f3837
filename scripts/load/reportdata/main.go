// Command reportdata fills a new shop's database with a year of sales
// (internal/report/reporttest: order lines generated inside the database)
// and builds the report summary, for load tests of the report pages
// (scripts/load/reports.sh). Run it before `akinai serve` on the same
// database.
//
//	reportdata -data /tmp/shop -lines 1000000
//	reportdata -database-url postgres://… -lines 1000000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/report"
	"github.com/akinai/akinai/internal/report/reporttest"
)

func main() {
	data := flag.String("data", "", "the shop's data directory (SQLite)")
	url := flag.String("database-url", "", "a postgres:// URL instead of SQLite")
	lines := flag.Int("lines", 1_000_000, "order lines to add")
	from := flag.String("from", "2025-12-01", "the year's first day (JST)")
	flag.Parse()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := db.Open(ctx, db.Config{URL: *url, Path: filepath.Join(*data, "akinai.db")})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx, quiet); err != nil {
		log.Fatal(err)
	}
	jst := time.FixedZone("JST", 9*3600)
	start, err := time.ParseInLocation("2006-01-02", *from, jst)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	if err := reporttest.LoadYear(ctx, d, start, *lines); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("  %d order lines loaded in %.1f s\n", *lines, time.Since(t0).Seconds())
	t0 = time.Now()
	if err := (&report.Store{DB: d, Log: quiet}).Refresh(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("  report summary built in %.1f s\n", time.Since(t0).Seconds())
}
