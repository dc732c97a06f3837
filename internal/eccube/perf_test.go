package eccube_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/eccube"
	"github.com/akinai/akinai/internal/eccube/eccubetest"
	"github.com/akinai/akinai/internal/media"
)

// TestPerfImport measures an import of a large generated shop from
// MariaDB into SQLite and PostgreSQL: time, and peak heap sampled every
// 50 ms. It runs only when ECCUBE_PERF=products,customers,orders is set
// (scripts/eccube_perf.sh); docs/PERFORMANCE.md has the figures.
func TestPerfImport(t *testing.T) {
	spec := os.Getenv("ECCUBE_PERF")
	if spec == "" {
		t.Skip("set ECCUBE_PERF=products,customers,orders (scripts/eccube_perf.sh)")
	}
	var n [3]int
	for i, f := range strings.Split(spec, ",") {
		n[i], _ = strconv.Atoi(f)
	}
	size := eccubetest.Size{Products: n[0], Customers: n[1], Orders: n[2]}
	conn, url := eccubetest.NewMariaDB(t)
	shop := eccubetest.Generate(size)
	images := filepath.Join(t.TempDir(), "img")
	start := time.Now()
	if err := eccubetest.Fill(context.Background(), conn, false, shop, images); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated and filled %+v in %v", size, time.Since(start).Round(time.Second))
	shop = nil
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		d := dbtest.MustOpen(t, e)
		s, err := eccube.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		imgs, _ := eccube.OpenImages(images)
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		go func() {
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}()
		start := time.Now()
		rep, err := eccube.Run(context.Background(), eccube.Options{Source: s, DB: d, Images: imgs, Media: media.DBStore{DB: d}, AuthMagic: eccubetest.AuthMagic, Secret: secret, Progress: progressOut})
		took := time.Since(start)
		close(stop)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		c := rep.Counts
		t.Logf("%s: %v; %d products, %d customers, %d orders, %d lines; peak heap %d MiB",
			e, took.Round(time.Second), c["product"].Imported, c["customer"].Imported, c["order"].Imported, c["order_line"].Imported, peak.Load()>>20)
	}
}
