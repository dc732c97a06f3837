package order

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// seedOrders creates n paid card orders of one parcel each in one
// transaction.
func seedOrders(b *testing.B, d *db.DB, n int) {
	b.Helper()
	ctx := context.Background()
	addr := Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "千代田1-1"}
	var v1, v2 int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		for i, sku := range []string{"POT", "TEA"} {
			var pid int64
			if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, tax_class, created_at, updated_at) VALUES (?, 'public', ?, 'standard', ?, ?) RETURNING id`,
				sku, "商品"+sku, tx.Now(), tx.Now()).Scan(&pid); err != nil {
				return err
			}
			v := &v1
			if i == 1 {
				v = &v2
			}
			if err := tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, price, stock, created_at, updated_at) VALUES (?, ?, 1000, NULL, ?, ?) RETURNING id`,
				pid, sku, tx.Now(), tx.Now()).Scan(v); err != nil {
				return err
			}
		}
		for i := range n {
			o := &Order{IdempotencyKey: fmt.Sprintf("bench-%d", i), Status: Paid, Lang: "ja", Email: "taro@example.jp",
				Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: Card, Subtotal: 5440, DeliveryFee: 930, Total: 6370,
				Rates: []RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
				Lines: []Line{{VariantID: v1, NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 2},
					{VariantID: v2, NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3}},
				Parcels: []Parcel{{Ship: addr, Method: 1, Slot: "am", Fee: 930, Items: []ParcelItem{{Line: 0, Qty: 2}, {Line: 1, Qty: 3}}}}}
			if err := Create(ctx, tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// peakHeap samples the heap in use every 5 ms until stop is called and
// returns the highest figure seen, in MiB, above the level at the start.
func peakHeap() (stop func() float64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-finished
		return float64(int64(peak.Load())-int64(base)) / (1 << 20)
	}
}

// BenchmarkBulk measures, for 1,000 and 10,000 orders on each engine, a
// bulk status change (paid → preparing, all matching, one transaction
// per order with its audit entry) and the Yamato B2 label export of the
// same orders, with the peak heap above the starting level. One
// iteration is the whole job: run with -benchtime=1x.
//
//	go test -run '^$' -bench Bulk -benchtime=1x ./internal/order/
func BenchmarkBulk(b *testing.B) {
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("%s/%d", e, n), func(b *testing.B) {
				ctx := context.Background()
				d := dbtest.MustOpen(b, e)
				seedOrders(b, d, n)
				if e == dbtest.Postgres && os.Getenv("BENCH_ANALYZE") != "" {
					// What autovacuum does soon after a load this size.
					if _, err := d.Exec(ctx, `ANALYZE`); err != nil {
						b.Fatal(err)
					}
				}
				s := Sender{Name: "あきない", Phone: "0612345678", PostalCode: "5300001", Address: "大阪府大阪市北区梅田1-1", YamatoBilling: "012345678901", YamatoFreight: "01"}
				b.ResetTimer()
				for range b.N {
					var id int64
					if err := d.Tx(ctx, func(tx *db.Tx) (err error) {
						id, err = StartBulk(ctx, tx, BulkJob{Action: BulkStatus, Param: string(Preparing), Actor: "bench"}, Selection{All: true, Filter: Filter{Status: Paid}})
						return err
					}); err != nil {
						b.Fatal(err)
					}
					w := &BulkWorker{DB: d, Log: quietLog(), Instance: "bench"}
					stop := peakHeap()
					start := time.Now()
					for {
						if _, err := w.RunOnce(ctx); err != nil {
							b.Fatal(err)
						}
						j, err := Bulk(ctx, d, id)
						if err != nil {
							b.Fatal(err)
						}
						if j.Status != "pending" {
							if j.Counts.Changed != n {
								b.Fatalf("changed %d of %d", j.Counts.Changed, n)
							}
							break
						}
					}
					bulk := time.Since(start)
					b.ReportMetric(stop(), "bulk-peak-MiB")
					b.ReportMetric(bulk.Seconds(), "bulk-s")
					b.ReportMetric(float64(bulk.Microseconds())/float64(n), "bulk-µs/order")

					// Reference in the same run: the plain order CSV's read of
					// the same orders (keyset pages of 1,000).
					start = time.Now()
					seen := 0
					if err := Each(ctx, d, Filter{Status: Preparing}, func(*Summary) error { seen++; return nil }); err != nil || seen != n {
						b.Fatalf("reference: %d, %v", seen, err)
					}
					ref := time.Since(start)
					b.ReportMetric(ref.Seconds(), "ref-read-s")

					stop = peakHeap()
					start = time.Now()
					cw, err := csvfile.NewWriter(io.Discard, csvfile.ShiftJIS)
					if err != nil {
						b.Fatal(err)
					}
					rows := 0
					var rec []string
					err = EachLabelParcel(ctx, d, Filter{Status: Preparing}, func(p *LabelParcel) error {
						rows++
						rec = B2Record(rec, p, s, start)
						return cw.Write(rec)
					})
					if err != nil || cw.Flush() != nil || rows != n {
						b.Fatalf("labels: %d rows, %v", rows, err)
					}
					labels := time.Since(start)
					b.ReportMetric(stop(), "labels-peak-MiB")
					b.ReportMetric(labels.Seconds(), "labels-s")
				}
			})
		}
	}
}
