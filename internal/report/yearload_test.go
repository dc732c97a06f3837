package report

import (
	"io"
	"log/slog"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/report/reporttest"
	"github.com/akinai/akinai/internal/shop"
)

// TestLoadYear checks the benchmarks' bulk loader on a small year: the
// reports read from the summary add up to what was generated (one order
// in 50 cancelled and left out), on both engines.
func TestLoadYear(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		year := Query{From: day("2025-12-01"), To: day("2026-11-30"), Unit: Month, Kind: ByPeriod}
		if err := reporttest.LoadYear(ctx, d, year.From, 1000); err != nil { // 200 orders, 4 cancelled
			t.Fatal(err)
		}
		s := &Store{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		buckets, total, _, err := s.Period(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Figures{Orders: 196, Qty: 980, Amount: 196 * 5800}); total != want || len(buckets) != 12 {
			t.Errorf("year %+v in %d buckets, want %+v in 12", total, len(buckets), want)
		}
		for _, k := range []struct {
			kind Kind
			rows int
			amt  shop.Yen
		}{{ByProduct, reporttest.Products, 980 * 1000}, {ByCategory, reporttest.Categories, 980 * 1000},
			{ByPayment, 3, 196 * 5800}, {ByMember, 2, 196 * 5800}, {ByPref, 47, 196 * 5800}} {
			q := year
			q.Kind = k.kind
			rows, total, err := s.Breakdown(ctx, q, i18n.Japanese)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != k.rows || total.Amount != k.amt {
				t.Errorf("%s: %d rows, %d yen; want %d rows, %d yen", k.kind, len(rows), total.Amount, k.rows, k.amt)
			}
		}
	})
}
