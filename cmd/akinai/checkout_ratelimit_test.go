package main

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestCheckoutRateLimits drives the confirmation and the order button past
// their per-address limits through two server processes sharing one
// PostgreSQL database: the count is shared, the answer is 429 with a
// clear message and Retry-After, and nothing is ordered or charged.
func TestCheckoutRateLimits(t *testing.T) {
	t.Parallel()
	cfg := Config{
		DatabaseURL: dbtest.NewPostgresDatabase(t), DataDir: t.TempDir(),
		Secret:     bytes.Repeat([]byte("k"), 32),
		RateLimits: "checkout.confirm.ip=3/30m,checkout.place.ip=2/30m",
	}
	a := startShop(t, cfg)
	cfg.DataDir = t.TempDir() // the second instance has its own disk
	b := startShop(t, cfg)
	d := openShopDB(t, Config{DatabaseURL: cfg.DatabaseURL})
	vid := seedProduct(t, d, "limited-"+randHex(3), "standard", []string{"LIM-" + randHex(3)}, []int{50})[0]

	buy := newBuyer(t, a)
	if resp, _ := buy.mustPost(t, a+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	buy.copyCookies(a, b)
	confirm := orderForm("", "cod")
	confirm.Del("key")
	for i, base := range []string{a, b, a} {
		if resp, body := buy.mustPost(t, base+"/checkout", confirm); resp.StatusCode != 200 || !strings.Contains(body, "place-order") {
			t.Fatalf("confirm %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := buy.mustPost(t, b+"/checkout", confirm)
	tooMany(t, "4th confirmation (instance b)", resp.StatusCode, resp.Header.Get("Retry-After"), body)

	// Orders: the limit counts attempts, failed or not. Two attempts with
	// a card that is not offered fail validation; the third is refused
	// before anything is priced.
	bad := orderForm(randHex(16), "card")
	bad.Set("card_token", "pm_card_visa")
	for i, base := range []string{a, b} {
		if resp, _ := buy.mustPost(t, base+"/checkout/place", bad); resp.StatusCode != 422 {
			t.Fatalf("place %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body = buy.mustPost(t, a+"/checkout/place", orderForm(randHex(16), "cod"))
	tooMany(t, "3rd order attempt (instance a)", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders past the limit", n)
	}
	// In English too.
	resp, body = buy.mustPost(t, b+"/checkout/place?lang=en", orderForm(randHex(16), "cod"))
	if resp.StatusCode != 429 || !regexp.MustCompile(`Too many attempts\. Please try again in \d+ seconds\.`).MatchString(body) {
		t.Fatalf("English 429: %d %.300s", resp.StatusCode, body)
	}
}

func tooMany(t *testing.T, what string, status int, retry, body string) {
	t.Helper()
	secs, err := strconv.Atoi(retry)
	if status != 429 || err != nil || secs < 1 || secs > 1800 {
		t.Fatalf("%s: status %d, Retry-After %q", what, status, retry)
	}
	if !strings.Contains(body, fmt.Sprintf("操作の回数が多すぎます。%d 秒後にもう一度お試しください。", secs)) {
		t.Fatalf("%s: no clear message: %.500s", what, body)
	}
}
