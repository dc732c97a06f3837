package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/points"
	"github.com/akinai/akinai/internal/settings"
)

// BenchmarkCheckoutHTTPLoyalty times the customer's whole
// POST /checkout/place through a running shop (session, CSRF, rate limit,
// form, the order transaction, the redirect) for three kinds of order
// taking turns in one run: a guest without coupon or points ("plain"), a
// signed-in member without them ("member") and the same member typing a
// coupon and spending 50 points ("loyalty"). Filling the cart before each
// order is not timed. The medians and the ratios loyalty/plain and
// loyalty/member are reported; docs/PERFORMANCE.md has the figures. Run
// with -benchtime=Nx (N orders of each kind).
func BenchmarkCheckoutHTTPLoyalty(b *testing.B) {
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			cfg := Config{DataDir: b.TempDir(), RateLimits: flashLimits + ",checkout.place.customer=100000/30m"}
			if e == dbtest.Postgres {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(b)
			}
			base := startShop(b, cfg)
			d := openShopDB(b, cfg)
			vid := seedProduct(b, d, "bench", "standard", []string{"BENCH-1"}, []int{1_000_000})[0]
			guest, member := newBuyer(b, base), loyaltyMember(b, base, cfg, d)
			kinds := []struct {
				name string
				who  *buyer
				form func(url.Values)
			}{
				{"plain", guest, func(url.Values) {}},
				{"member", member, func(url.Values) {}},
				{"loyalty", member, func(v url.Values) { v.Set("coupon", "BENCH100"); v.Set("points", "50") }},
			}
			took := make([][]time.Duration, len(kinds))
			b.ResetTimer()
			for i := 0; i < b.N*len(kinds); i++ {
				k := kinds[i%len(kinds)]
				b.StopTimer()
				if resp, body, err := k.who.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"1"}}); err != nil || resp.StatusCode != http.StatusSeeOther {
					b.Fatalf("add to cart: %v %v %.300s", err, resp, body)
				}
				form := orderForm(randHex(16), "cod")
				k.form(form)
				b.StartTimer()
				t0 := time.Now()
				resp, body, err := k.who.post(base+"/checkout/place", form)
				took[i%len(kinds)] = append(took[i%len(kinds)], time.Since(t0))
				if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/checkout/done/") {
					b.Fatalf("%s order: %v %v %.500s", k.name, err, resp, body)
				}
			}
			b.StopTimer()
			med := make([]float64, len(kinds))
			for i, ds := range took {
				slices.Sort(ds)
				med[i] = float64(ds[len(ds)/2].Microseconds())
				b.ReportMetric(med[i], kinds[i].name+"-µs")
			}
			b.ReportMetric(med[2]/med[0], "ratio")
			b.ReportMetric(med[2]/med[1], "ratio-member")
			var used int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM coupon_uses`).Scan(&used); err != nil || used != b.N {
				b.Fatalf("coupon uses %d, want %d (%v)", used, b.N, err)
			}
		})
	}
}

// loyaltyMember turns points on, makes the coupon BENCH100 (¥100 off,
// unlimited uses) and a signed-in member with a large balance, and waits
// until the shop's settings cache shows the points.
func loyaltyMember(b *testing.B, base string, cfg Config, d *db.DB) *buyer {
	ctx := context.Background()
	kv := points.Settings{Enabled: true, Rate: 1, GrantAt: points.GrantShipped, Min: 1}.Map()
	if err := settings.New(d).Set(ctx, d, kv); err != nil {
		b.Fatal(err)
	}
	email := "bench-" + randHex(4) + "@example.jp"
	m := registerActive(b, base, cfg, email)
	var cid int64
	if err := d.QueryRow(ctx, `SELECT id FROM customers WHERE email_key = ?`, email).Scan(&cid); err != nil {
		b.Fatal(err)
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := points.Adjust(ctx, tx, cid, 1_000_000_000, "bench", "bench"); err != nil {
			return err
		}
		return coupon.Create(ctx, tx, &coupon.Coupon{Code: "BENCH100", Kind: coupon.Fixed, Amount: 100, Scope: coupon.ScopeOrder, Active: true})
	})
	if err != nil {
		b.Fatal(err)
	}
	if resp, _, err := m.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in: %v %v", resp, err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := m.c.Get(base + "/mypage")
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "保有ポイント") {
			return m
		}
		if time.Now().After(deadline) {
			b.Fatalf("My Page never showed the points: %d", resp.StatusCode)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
