package catalog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// An import whose goroutine died with its instance is reported as
// interrupted once it is older than any run can be; a fresh one is not
// touched.
func TestAbandonStale(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		if err := catalog.SaveUpload(ctx, d, "tok-stale", "products", 1, "a.csv", strings.NewReader("sku\n")); err != nil {
			t.Fatal(err)
		}
		if stale, err := catalog.AbandonStale(ctx, d, "tok-stale", now.Add(-time.Hour)); err != nil || stale {
			t.Fatalf("fresh run abandoned: %v %v", stale, err)
		}
		now = now.Add(2 * time.Hour)
		if stale, err := catalog.AbandonStale(ctx, d, "tok-stale", now.Add(-time.Hour)); err != nil || !stale {
			t.Fatalf("stale run kept: %v %v", stale, err)
		}
		im, err := catalog.ImportByToken(ctx, d, "tok-stale")
		if err != nil {
			t.Fatal(err)
		}
		if im.Status != catalog.ImportFailed || len(im.Errors) != 1 || im.Errors[0].Key != "admin_products.csv.error.interrupted" {
			t.Fatalf("after abandoning: %+v", im)
		}
		if stale, _ := catalog.AbandonStale(ctx, d, "tok-stale", now); stale {
			t.Fatal("a failed import was abandoned again")
		}
	})
}
