package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestImport10000Products measures the CSV import of 10,000 products
// (20,000 variant rows) through the real path: upload kept in chunks,
// dry run, then the import in one transaction. It runs only with
// AKINAI_PERF=1 and reports times and memory (docs/PERFORMANCE.md);
// run it under /usr/bin/time -v for the peak RSS.
func TestImport10000Products(t *testing.T) {
	if os.Getenv("AKINAI_PERF") == "" {
		t.Skip("set AKINAI_PERF=1 to measure the 10,000-product import")
	}
	engine := dbtest.SQLite
	if os.Getenv("AKINAI_PERF_ENGINE") == "postgres" {
		engine = dbtest.Postgres
	}
	d := dbtest.MustOpen(t, engine)
	ctx := context.Background()
	if _, err := mk2(ctx, d, 0, "tea"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "products.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\uFEFF" + header)
	for i := range 10000 {
		for j, size := range []string{"100g", "200g"} {
			fmt.Fprintf(f, "tea-%05d,public,緑茶 %d 番,Green tea %d,静岡県産の深蒸し煎茶です。,Deep-steamed sencha from Shizuoka.,,reduced,0,tea,,量目,%s,,,TEA-%05d-%d,%d,,%d,,1,1\r\n",
				i, i, i, size, i, j, 1000+j*900+i%7, 50+i%30)
		}
	}
	f.Close()
	st, _ := os.Stat(path)

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	runtime.GC()

	start := time.Now()
	f, _ = os.Open(path)
	if err := catalog.SaveUpload(ctx, d, "perf", "products", 1, "products.csv", f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	upload := time.Since(start)

	start = time.Now()
	rep, err := catalog.ImportProducts(ctx, d, nil, catalog.UploadReader(ctx, d, "perf"), nil)
	if err != nil || rep.Count != 0 || rep.Products != 10000 {
		t.Fatalf("dry run: %v %+v", err, rep)
	}
	check := time.Since(start)

	start = time.Now()
	errBad := errors.New("errors")
	err = d.Tx(ctx, func(tx *db.Tx) error {
		rep, err := catalog.ImportProducts(ctx, tx, tx, catalog.UploadReader(ctx, tx, "perf"), nil)
		if err == nil && rep.Count > 0 {
			return errBad
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	imp := time.Since(start)
	close(stop)
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM variants`).Scan(&n)
	if n != 20000 {
		t.Fatalf("%d variants", n)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("engine=%s file=%.1f MiB rows=20000 upload=%s dry_run=%s import=%s peak_heap_inuse=%.1f MiB total_alloc=%.0f MiB",
		engine, float64(st.Size())/(1<<20), upload.Round(time.Millisecond), check.Round(time.Millisecond), imp.Round(time.Millisecond),
		float64(peak.Load())/(1<<20), float64(ms.TotalAlloc)/(1<<20))
}
