package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestCustomer_LimitsSharedAcrossInstances runs two shop processes on one
// PostgreSQL database: requests spread over both count against one limit,
// and the refusal is a 429 with Retry-After and nothing done.
func TestCustomer_LimitsSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	dir := t.TempDir() // one secret.key: the instances share the secret
	cfg := Config{DataDir: dir, DatabaseURL: pg}
	a := startShop(t, cfg)
	b := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()

	// Password reset: 5 per 30 minutes per address, 3 on A and 2 on B.
	ca, cb := newBuyer(t, a), newBuyer(t, b)
	for i := range 5 {
		c, base := ca, a
		if i >= 3 {
			c, base = cb, b
		}
		if resp, _, err := c.post(base+"/forgot", url.Values{"email": {"nobody@example.jp"}}); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("reset request %d: %v %v", i, resp.StatusCode, err)
		}
	}
	resp, body, _ := cb.post(b+"/forgot", url.Values{"email": {"nobody@example.jp"}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "秒後") {
		t.Fatalf("6th reset request: %d Retry-After=%q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	// Sign-in: failures on either instance build one back-off for the
	// account; the account's owner then gets the same 429 as the attacker,
	// and no sign-in is attempted while it lasts.
	registerActive(t, a, cfg, "kenji@example.jp")
	var n int
	for i := range 8 {
		c, base := ca, a
		if i%2 == 1 {
			c, base = cb, b
		}
		resp, _, _ := c.post(base+"/mypage/login", url.Values{"email": {"kenji@example.jp"}, "password": {"not-the-password"}})
		if resp.StatusCode == http.StatusTooManyRequests {
			n = i
			if resp.Header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
			break
		}
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, resp.StatusCode)
		}
	}
	if n == 0 {
		t.Fatal("eight failures over two instances were never refused")
	}
	resp, _, _ = cb.post(b+"/mypage/login", url.Values{"email": {"kenji@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password during the back-off: %d", resp.StatusCode)
	}
	var sessions int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM customer_sessions`).Scan(&sessions)
	if sessions != 0 {
		t.Fatalf("%d sessions created while throttled", sessions)
	}
	// The throttle table holds no addresses.
	var leaked int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM throttle WHERE key LIKE '%@%'`).Scan(&leaked)
	if leaked != 0 {
		t.Fatalf("%d throttle keys hold an email address", leaked)
	}
}

// registerActive registers an account through the real forms and confirms
// it with the link from the outbox.
func registerActive(t testing.TB, base string, cfg Config, email string) *buyer {
	t.Helper()
	d := openShopDB(t, cfg)
	c := newBuyer(t, base)
	if resp, _, err := c.post(base+"/entry", customerForm(email)); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("register: %v %v", resp.StatusCode, err)
	}
	tok := lastLink(t, d, "customer_confirm", email)
	if resp, _, _ := c.post(base+"/entry/confirm", url.Values{"token": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	return c
}
