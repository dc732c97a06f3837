package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// buyOne puts one of the variant in a new buyer's cart and places the
// order; it returns the order number.
func buyOne(t testing.TB, base string, vid int64) string {
	t.Helper()
	number, err := tryBuyOne(t, base, vid)
	if err != nil {
		t.Fatal(err)
	}
	return number
}

// tryBuyOne is buyOne for goroutines: it returns the error.
func tryBuyOne(t testing.TB, base string, vid int64) (string, error) {
	b := newBuyer(t, base)
	resp, body, err := b.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"1"}})
	if err != nil || resp.StatusCode != 303 {
		return "", fmt.Errorf("add to cart: %v %d %.300s", err, status(resp), body)
	}
	resp, body, err = b.post(base+"/checkout/place", orderForm(randHex(16), "cod"))
	if err != nil || resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/checkout/done/") {
		return "", fmt.Errorf("place: %v %d %.300s", err, status(resp), body)
	}
	return strings.TrimPrefix(resp.Header.Get("Location"), "/checkout/done/"), nil
}

func status(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// An older build's database lacks a lower-numbered migration added later
// (here 0056_payment_methods, which checkout needs); `akinai migrate`
// adds it and the shop sells. A changed migration or a newer database is
// refused with a message naming it.
func TestMigrateUpgradesAnOlderDatabase(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			cfg := Config{DataDir: t.TempDir()}
			args := []string{"--data", cfg.DataDir}
			if engine == dbtest.Postgres {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
				args = append(args, "--database-url", cfg.DatabaseURL)
			}
			ctx := context.Background()
			old := openShopDB(t, cfg)
			ms, err := db.Migrations()
			if err != nil {
				t.Fatal(err)
			}
			if err := old.Apply(ctx, nil, dbtest.Older(t, ms, "0056_payment_methods")); err != nil {
				t.Fatal(err)
			}

			var out, errOut bytes.Buffer
			if code := run(ctx, append([]string{"migrate"}, args...), nil, &out, &errOut); code != 0 {
				t.Fatalf("migrate: exit %d: %s", code, errOut.String())
			}
			if want := fmt.Sprintf("all %d migrations applied", len(ms)); !strings.Contains(out.String(), want) {
				t.Fatalf("migrate said %q, want %q", out.String(), want)
			}
			base := startShop(t, cfg)
			vid := seedProduct(t, old, "upgraded", "standard", []string{"UPG-1"}, []int{3})[0]
			buyOne(t, base, vid)
			if n := countRows(t, old, "SELECT COUNT(*) FROM orders"); n != 1 {
				t.Fatalf("%d orders after a sale on the upgraded shop", n)
			}

			refused := func(what, want string) {
				t.Helper()
				out.Reset()
				errOut.Reset()
				if code := run(ctx, append([]string{"migrate"}, args...), nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), want) {
					t.Fatalf("migrate with %s: exit %d, %q; want exit 1 naming %q", what, code, errOut.String(), want)
				}
			}
			if _, err := old.Exec(ctx, "UPDATE schema_migrations SET checksum = ? WHERE version = 22", strings.Repeat("0", 64)); err != nil {
				t.Fatal(err)
			}
			refused("a changed migration", "0022_orders")
			if _, err := old.Exec(ctx, "UPDATE schema_migrations SET checksum = ? WHERE version = 22", ms[indexOf(ms, 22)].Checksum); err != nil {
				t.Fatal(err)
			}
			if _, err := old.Exec(ctx, "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)", 9999, "from_the_future", "ab", old.Now()); err != nil {
				t.Fatal(err)
			}
			refused("a newer database", "9999_from_the_future")
		})
	}
}

func indexOf(ms []db.Migration, version int) int {
	for i, m := range ms {
		if m.Version == version {
			return i
		}
	}
	return -1
}
