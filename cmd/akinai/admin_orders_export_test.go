package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// seedOrders writes n orders with multi-row INSERTs, 500 a statement and
// 20 statements a transaction: a benchmark fixture, not a checkout.
func seedOrders(t testing.TB, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	const cols = 32
	const perStmt = 500
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for s := 0; s < 20 && done < n; s++ {
				k := min(perStmt, n-done)
				args := make([]any, 0, k*cols)
				for i := 0; i < k; i++ {
					j := done + i
					at := base.Add(time.Duration(j) * time.Minute)
					args = append(args, fmt.Sprintf("B%09d", j), fmt.Sprintf("bench-%d", j), "shipped", "ja", fmt.Sprintf("u%d@example.jp", j),
						"髙橋", "花子", "タカハシ", "ハナコ", "0312345678", "1000001", 13, "千代田区千代田", "1-1",
						"髙橋", "花子", "タカハシ", "ハナコ", "0312345678", "1000001", 13, "千代田区千代田", "1-1",
						1, "bank_transfer", 3820, 930, 0, 4750,
						`[{"rate":1000,"total":3130,"tax":284,"reduced":false},{"rate":800,"total":1620,"tax":120,"reduced":true}]`, at, at)
				}
				_, err := tx.Exec(ctx, `INSERT INTO orders (number, idempotency_key, status, lang, email,
					family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1,
					ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1,
					delivery_method_id, payment_method, subtotal, delivery_fee, cod_fee, total, rates, created_at, updated_at) VALUES `+
					strings.TrimSuffix(strings.Repeat(row+", ", k), ", "), args...)
				if err != nil {
					return err
				}
				done += k
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// The order export streams: AKINAI_EXPORT_ORDERS=100000 go test -run
// TestAdminOrders_ExportStreams -v ./cmd/akinai measures the figures in
// docs/PERFORMANCE.md on PostgreSQL (time, bytes, peak heap of the whole process — the
// shop runs in it); without it the same path runs with 3,000 orders.
func TestAdminOrders_ExportStreams(t *testing.T) {
	n := 3000
	if s := os.Getenv("AKINAI_EXPORT_ORDERS"); s != "" {
		n, _ = strconv.Atoi(s)
	} else {
		t.Parallel()
	}
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	c, _ := setupOwner(t, base, setupPath(t, logs))
	d := openAdminDB(t, cfg.DatabaseURL)
	t0 := time.Now()
	seedOrders(t, d, n)
	seeded := time.Since(t0)

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	hc := *c.c
	hc.Timeout = 0
	start := time.Now()
	resp, err := hc.Get(base + c.admin + "/orders.csv?encoding=sjis")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	counter := &countingReader{r: resp.Body}
	rd, err := csvfile.NewReader(counter)
	if err != nil {
		t.Fatal(err)
	}
	rows, named := 0, 0
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		if rows > 1 && len(rec) > 4 && rec[4] == "髙橋" {
			named++
		}
	}
	elapsed := time.Since(start)
	close(stop)
	<-sampled
	if rows != n+1 || named != n {
		t.Fatalf("%d rows (%d with the buyer's name), want %d + header", rows, named, n)
	}
	t.Logf("orders=%d seed=%s export=%s bytes=%d heap_before=%.1fMiB peak_heap=%.1fMiB GOMAXPROCS=%d",
		n, seeded.Round(time.Millisecond), elapsed.Round(time.Millisecond), counter.n,
		float64(before)/(1<<20), float64(peak.Load())/(1<<20), runtime.GOMAXPROCS(0))
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
