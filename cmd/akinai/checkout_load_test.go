package main

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// The checkout's bounded load runs, over HTTP on 127.0.0.1 against the
// real server (docs/PERFORMANCE.md, "Checkout"):
//
//	go test ./cmd/akinai -run XXX -bench CheckoutHTTP -benchtime 2000x
//
// b.N is the number of requests (add to cart) or orders, spread over
// loadBuyers concurrent buyers, each buying a different item.

const loadBuyers = 64

func BenchmarkCheckoutHTTP(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		cfgFor := func(b *testing.B) Config {
			cfg := Config{DataDir: b.TempDir(), RateLimits: flashLimits}
			if engine == "postgres" {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(b)
			}
			return cfg
		}
		b.Run("add-to-cart/"+engine, func(b *testing.B) {
			cfg := cfgFor(b)
			base := startShop(b, cfg)
			vids := loadItems(b, cfg)
			buyers := make([]*buyer, loadBuyers)
			for i := range buyers {
				buyers[i] = newBuyer(b, base)
			}
			b.ResetTimer()
			runShares(b, func(i, n int) error {
				v := url.Values{"variant_id": {fmt.Sprint(vids[(i+n)%len(vids)])}, "qty": {"1"}}
				resp, body, err := buyers[i].post(base+"/cart/add", v)
				if err == nil && resp.StatusCode != 303 {
					err = fmt.Errorf("add: %d %.200s", resp.StatusCode, body)
				}
				return err
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
		b.Run("orders/"+engine, func(b *testing.B) {
			cfg := cfgFor(b)
			base := startShop(b, cfg)
			vids := loadItems(b, cfg)
			// One filled cart per order, made before the timer.
			carts := make([][]*buyer, loadBuyers)
			for n := 0; n < b.N; n++ {
				i := n % loadBuyers
				c := newBuyer(b, base)
				if resp, _, err := c.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[i])}, "qty": {"1"}}); err != nil || resp.StatusCode != 303 {
					b.Fatalf("fill cart: %v %v", err, resp)
				}
				carts[i] = append(carts[i], c)
			}
			b.ResetTimer()
			runShares(b, func(i, n int) error {
				resp, body, err := carts[i][n].post(base+"/checkout/place", orderForm(randHex(16), "cod"))
				if err == nil && (resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/checkout/done/")) {
					err = fmt.Errorf("place: %d %.200s", resp.StatusCode, body)
				}
				return err
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
			if got := countRowsTB(b, cfg, `SELECT COUNT(*) FROM orders`); got != b.N {
				b.Fatalf("%d orders for %d buyers' carts", got, b.N)
			}
		})
	}
}

// loadItems seeds loadBuyers products with ample stock.
func loadItems(b *testing.B, cfg Config) []int64 {
	d := openShopDB(b, cfg)
	var vids []int64
	for i := range loadBuyers {
		vids = append(vids, seedProduct(b, d, fmt.Sprintf("load-%d", i), "standard", []string{fmt.Sprintf("LOAD-%d", i)}, []int{1_000_000})...)
	}
	return vids
}

// runShares runs b.N calls of f spread over loadBuyers goroutines; f gets
// the buyer index and the call's number within that buyer's share.
func runShares(b *testing.B, f func(i, n int) error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for i := range loadBuyers {
		share := b.N / loadBuyers
		if i < b.N%loadBuyers {
			share++
		}
		wg.Go(func() {
			for n := range share {
				if err := f(i, n); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		b.Fatal(first)
	}
}

func countRowsTB(b *testing.B, cfg Config, q string) int {
	var n int
	if err := openShopDB(b, cfg).QueryRow(b.Context(), q).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}
