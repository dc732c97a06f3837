// Command purchase measures whole purchases against running Akinai
// instances (scripts/load/purchase.sh): every order is a new visitor who
// opens a product page, adds a variant to the cart, opens the checkout
// form, confirms and places the order (cash on delivery), then loads the
// completion page. It prints orders/s and the latency of each step.
//
// With -ref it instead runs the reference the issue compares with: a
// trivial write transaction (one stock UPDATE and two INSERTs) in a loop
// on the same engine, with the same number of workers, through the same
// database layer as the shop (internal/db), so the ratio says how much of
// the engine's write capacity a purchase uses.
//
// With -unlimited it makes one variant of a product unlimited in stock
// (so that a long run does not sell out) and prints its id.
//
// It only talks to 127.0.0.1.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/db"
)

func main() {
	bases := flag.String("url", "", "comma-separated base URLs of the shop instances (http://127.0.0.1:PORT)")
	slug := flag.String("slug", "", "product slug to buy")
	variant := flag.Int64("variant", 0, "variant id to buy")
	conns := flag.Int("c", 32, "concurrent buyers (or reference workers)")
	dur := flag.Duration("d", 10*time.Second, "duration (at most 2m)")
	ref := flag.String("ref", "", "run the reference transaction loop on this database: a SQLite file path or a postgres:// URL")
	unlimited := flag.String("unlimited", "", "make the first variant of -slug unlimited in this database (SQLite path or postgres:// URL) and print its id")
	flag.Parse()
	*dur = min(*dur, 2*time.Minute)
	var err error
	switch {
	case *unlimited != "":
		err = makeUnlimited(*unlimited, *slug)
	case *ref != "":
		err = reference(*ref, *conns, *dur)
	default:
		err = buyers(strings.Split(*bases, ","), *slug, *variant, *conns, *dur)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "purchase:", err)
		os.Exit(1)
	}
}

func open(where string) (*db.DB, error) {
	cfg := db.Config{Path: where}
	if strings.HasPrefix(where, "postgres://") {
		cfg = db.Config{URL: where}
	}
	return db.Open(context.Background(), cfg)
}

func makeUnlimited(where, slug string) error {
	d, err := open(where)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx := context.Background()
	var id int64
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
			WHERE p.slug = ? AND v.active ORDER BY v.sort_order, v.id LIMIT 1`, slug).Scan(&id); err != nil {
			return fmt.Errorf("no active variant of %q: %w", slug, err)
		}
		_, err := tx.Exec(ctx, `UPDATE variants SET stock = NULL WHERE id = ?`, id)
		return err
	})
	if err == nil {
		fmt.Println(id)
	}
	return err
}

// reference runs the trivial transaction loop and prints transactions/s.
func reference(where string, workers int, dur time.Duration) error {
	d, err := open(where)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx := context.Background()
	for _, q := range []string{
		`DROP TABLE IF EXISTS loadref_lines`, `DROP TABLE IF EXISTS loadref_orders`, `DROP TABLE IF EXISTS loadref_stock`,
		`CREATE TABLE loadref_stock (id BIGINT PRIMARY KEY, stock BIGINT NOT NULL)`,
		`CREATE TABLE loadref_orders (id BIGINT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL)`,
		`CREATE TABLE loadref_lines (order_id BIGINT NOT NULL, variant_id BIGINT NOT NULL, qty INTEGER NOT NULL)`,
		`INSERT INTO loadref_stock (id, stock) VALUES (1, 1000000000)`,
	} {
		if _, err := d.Exec(ctx, q); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	var lat []time.Duration
	var next int64
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				mu.Lock()
				next++
				id := next
				mu.Unlock()
				t := time.Now()
				err := d.Tx(ctx, func(tx *db.Tx) error {
					if _, err := tx.Exec(ctx, `UPDATE loadref_stock SET stock = stock - 1 WHERE id = 1 AND stock > 0`); err != nil {
						return err
					}
					if _, err := tx.Exec(ctx, `INSERT INTO loadref_orders (id, created_at) VALUES (?, ?)`, id, tx.Now()); err != nil {
						return err
					}
					_, err := tx.Exec(ctx, `INSERT INTO loadref_lines (order_id, variant_id, qty) VALUES (?, 1, 1)`, id)
					return err
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, "reference:", err)
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Printf("reference %d tx in %s: %.1f tx/s  p50 %.1f ms  p99 %.1f ms\n",
		len(lat), dur, float64(len(lat))/dur.Seconds(), pct(lat, 50), pct(lat, 99))
	return nil
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

var steps = []string{"product page", "add to cart", "checkout form", "confirm", "place", "done page"}

// buyers runs conns buyers for dur, each placing orders one after another
// as new visitors, spread over the instances round robin.
func buyers(bases []string, slug string, variant int64, conns int, dur time.Duration) error {
	for _, b := range bases {
		u, err := url.Parse(b)
		if err != nil || u.Hostname() != "127.0.0.1" {
			return fmt.Errorf("-url must list http://127.0.0.1:PORT URLs, got %q", b)
		}
	}
	if slug == "" || variant == 0 {
		return fmt.Errorf("-slug and -variant are required")
	}
	tr := &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}
	var mu sync.Mutex
	lat := make([][]time.Duration, len(steps))
	failed := map[string]int{}
	orders := 0
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				base := bases[(i+n)%len(bases)]
				times, step, err := buyOnce(tr, base, slug, variant, fmt.Sprintf("b%d-%d", i, n))
				mu.Lock()
				for s, t := range times {
					lat[s] = append(lat[s], t)
				}
				if err != nil {
					failed[steps[step]+": "+err.Error()]++
				} else {
					orders++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	fmt.Printf("purchases %d in %.1f s: %.1f orders/s with %d buyers on %d instance(s)\n", orders, el.Seconds(), float64(orders)/el.Seconds(), conns, len(bases))
	for s, name := range steps {
		fmt.Printf("  %-14s p50 %7.1f ms  p99 %7.1f ms\n", name, pct(lat[s], 50), pct(lat[s], 99))
	}
	for k, n := range failed {
		fmt.Printf("  failed %d× %s\n", n, k)
	}
	if orders == 0 {
		return fmt.Errorf("no order was placed")
	}
	return nil
}

// buyOnce is one visitor's purchase; it returns the time of each step it
// finished and, on failure, the step that failed.
func buyOnce(tr http.RoundTripper, base, slug string, variant int64, who string) ([]time.Duration, int, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var times []time.Duration
	var csrf, location string
	email := who + "@example.jp"
	form := url.Values{
		"family_name": {"山田"}, "given_name": {"太郎"}, "family_kana": {"ヤマダ"}, "given_kana": {"タロウ"},
		"email": {email}, "email2": {email}, "phone": {"03-1234-5678"},
		"postal_code": {"100-0001"}, "pref": {"13"}, "city": {"千代田区千代田"}, "address1": {"1-1"},
		"method": {"1"}, "payment": {"cod"}, "key": {who + "-" + fmt.Sprint(time.Now().UnixNano())},
	}
	do := func(method, path string, v url.Values, want int) error {
		var req *http.Request
		if method == http.MethodGet {
			req, _ = http.NewRequest(method, base+path, nil)
		} else {
			v.Set("csrf", csrf)
			req, _ = http.NewRequest(method, base+path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", base)
		}
		t := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		times = append(times, time.Since(t))
		if resp.StatusCode != want {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		if m := csrfRe.FindSubmatch(body); m != nil {
			csrf = string(m[1])
		}
		location = resp.Header.Get("Location")
		return nil
	}
	seq := []func() error{
		func() error { return do("GET", "/products/"+slug, nil, 200) },
		func() error {
			return do("POST", "/cart/add", url.Values{"variant_id": {fmt.Sprint(variant)}, "qty": {"1"}}, 303)
		},
		func() error { return do("GET", "/checkout", nil, 200) },
		func() error { return do("POST", "/checkout", cloneValues(form), 200) },
		func() error { return do("POST", "/checkout/place", cloneValues(form), 303) },
		func() error {
			if !strings.HasPrefix(location, "/checkout/done/") {
				return fmt.Errorf("placed, but sent to %q", location)
			}
			return do("GET", location, nil, 200)
		},
	}
	for i, f := range seq {
		if err := f(); err != nil {
			return times, i, err
		}
	}
	return times, 0, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func pct(d []time.Duration, p int) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[min(len(s)-1, len(s)*p/100)].Microseconds()) / 1000
}
