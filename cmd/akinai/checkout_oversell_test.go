package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestCheckoutNoOversell: 200 buyers, each with their own cart, race for a
// variant with stock 10. Exactly 10 orders, 190 clear sold-out answers,
// stock 0 — on SQLite, and on PostgreSQL with two server instances
// sharing one database.
func TestCheckoutNoOversell(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		cfg := Config{DataDir: t.TempDir(), RateLimits: flashLimits}
		base := startShop(t, cfg)
		oversell(t, cfg, []string{base})
	})
	t.Run("postgres-two-instances", func(t *testing.T) {
		t.Parallel()
		u := dbtest.NewPostgresDatabase(t)
		// One data directory: both instances read the same secret.key, as
		// production instances share AKINAI_SECRET_KEY_FILE.
		cfg := Config{DatabaseURL: u, DataDir: t.TempDir(), RateLimits: flashLimits}
		a := startShop(t, cfg)
		b := startShop(t, cfg)
		oversell(t, cfg, []string{a, b})
	})
}

// flashLimits lifts the checkout's per-address limits: every buyer of
// the test comes from 127.0.0.1.
const flashLimits = "checkout.place.ip=100000/30m,checkout.confirm.ip=100000/30m"

func oversell(t *testing.T, cfg Config, bases []string) {
	const buyers, stock = 200, 10
	d := openShopDB(t, cfg)
	vid := seedProduct(t, d, "flash-"+randHex(4), "standard", []string{"FLASH-" + randHex(4)}, []int{stock})[0]

	// Every buyer fills a cart first (the cart's stock check is advice;
	// the checkout's conditional UPDATE is the guarantee).
	bs := make([]*buyer, buyers)
	for i := range bs {
		base := bases[i%len(bases)]
		bs[i] = newBuyer(t, base)
		resp, body, err := bs[i].post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"1"}})
		if err != nil || resp.StatusCode != 303 {
			t.Fatalf("add to cart: %v %v %.300s", err, resp, body)
		}
		if len(bases) > 1 {
			bs[i].copyCookies(base, bases[(i+1)%len(bases)])
		}
	}
	var mu sync.Mutex
	ok, soldOut := 0, 0
	var other []string
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, b := range bs {
		wg.Go(func() {
			<-start
			// Half the buyers of a two-instance shop place the order on
			// the other instance than the one that built their cart.
			base := bases[(i/2)%len(bases)]
			resp, body, err := b.post(base+"/checkout/place", orderForm(randHex(16), "cod"))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				other = append(other, err.Error())
			case resp.StatusCode == 303 && strings.HasPrefix(resp.Header.Get("Location"), "/checkout/done/"):
				ok++
			case resp.StatusCode == 409 && strings.Contains(body, "在庫切れのためご注文を承れませんでした"):
				soldOut++
			default:
				other = append(other, fmt.Sprintf("%d %.200s", resp.StatusCode, body))
			}
		})
	}
	close(start)
	wg.Wait()
	if ok != stock || soldOut != buyers-stock || len(other) > 0 {
		t.Fatalf("orders %d (want %d), sold out %d (want %d), other %d: %v", ok, stock, soldOut, buyers-stock, len(other), other[:min(len(other), 3)])
	}
	var orders, lines, left int
	ctx := context.Background()
	d.QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&orders)
	d.QueryRow(ctx, `SELECT COALESCE(SUM(qty), 0) FROM order_lines WHERE variant_id = ?`, vid).Scan(&lines)
	d.QueryRow(ctx, `SELECT stock FROM variants WHERE id = ?`, vid).Scan(&left)
	if orders != stock || lines != stock || left != 0 {
		t.Fatalf("database: %d orders, %d units sold, stock %d", orders, lines, left)
	}
	t.Logf("%d buyers, stock %d: %d orders, %d sold out, stock left %d", buyers, stock, ok, soldOut, left)
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
