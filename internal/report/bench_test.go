package report

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/report/reporttest"
)

// benchLines is the number of order lines the report benchmarks load
// (AKINAI_REPORT_LINES, default 100,000; docs/PERFORMANCE.md quotes
// 1,000,000), five lines an order, over the year from 2025-12-01 (JST).
func benchLines() int {
	if n, err := strconv.Atoi(os.Getenv("AKINAI_REPORT_LINES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// BenchmarkYearReport measures a year's report of every kind read from
// the summary (one sub-benchmark per kind, Unit month for the period),
// beside the reference: the same year's category totals summed straight
// from the order lines, in the same run. It also reports how long the
// bulk load and the summary's first build took.
//
//	AKINAI_REPORT_LINES=1000000 go test -run XXX -bench YearReport -benchtime 20x ./internal/report/
func BenchmarkYearReport(b *testing.B) {
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.MustOpen(b, e)
			ctx := context.Background()
			lines := benchLines()
			start := time.Date(2025, 12, 1, 0, 0, 0, 0, jst)
			t0 := time.Now()
			if err := reporttest.LoadYear(ctx, d, start, lines); err != nil {
				b.Fatal(err)
			}
			load := time.Since(t0)
			s := &Store{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			t0 = time.Now()
			if err := s.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			build := time.Since(t0)
			year := Query{From: start, To: start.AddDate(1, 0, -1), Unit: Month}
			t0 = time.Now()
			rows, err := d.Query(ctx, `SELECT pc.category_id, SUM(l.line_total) FROM order_lines l JOIN orders o ON o.id = l.order_id
				JOIN product_categories pc ON pc.product_id = l.product_id
				WHERE o.created_at >= ? AND o.created_at < ? AND o.status NOT IN ('cancelled', 'returned') GROUP BY pc.category_id`,
				year.From.UTC(), year.To.AddDate(0, 0, 1).UTC())
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
			}
			rows.Close()
			ref := time.Since(t0)
			b.Logf("%s: %d lines loaded in %v, summary built in %v, category totals straight from the lines in %v", e, lines, load, build, ref)
			for _, k := range Kinds {
				b.Run(string(k), func(b *testing.B) {
					q := year
					q.Kind = k
					for i := 0; i < b.N; i++ {
						if k == ByPeriod {
							if _, _, _, err := s.Period(ctx, q); err != nil {
								b.Fatal(err)
							}
							continue
						}
						rows, total, err := s.Breakdown(ctx, q, i18n.Japanese)
						if err != nil {
							b.Fatal(err)
						}
						if len(rows) == 0 || total.Orders == 0 {
							b.Fatalf("%s: no rows", k)
						}
					}
					b.ReportMetric(float64(lines), "lines")
					b.ReportMetric(load.Seconds(), "load-s")
					b.ReportMetric(build.Seconds(), "summary-build-s")
					b.ReportMetric(float64(ref.Milliseconds()), "reference-scan-ms")
				})
			}
		})
	}
}
