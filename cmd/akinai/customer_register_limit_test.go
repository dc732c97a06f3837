package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestCustomer_RegistrationLimitSharedAcrossInstances drives the
// registration form past its per-address limit on completed registrations
// (5 per 30 minutes, EC-CUBE's entry_complete) through two shop processes
// on one PostgreSQL database: the posts count against one limit wherever
// they land, and the refusal is a 429 with Retry-After and a message.
func TestCustomer_RegistrationLimitSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	a, b := startShop(t, cfg), startShop(t, cfg)
	ca, cb := newBuyer(t, a), newBuyer(t, b)
	for i := range 5 {
		c, base := ca, a
		if i%2 == 1 {
			c, base = cb, b
		}
		resp, _, err := c.post(base+"/entry", customerForm(fmt.Sprintf("taro%d@example.jp", i)))
		if err != nil || resp.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("registration post %d refused early: %v %v", i+1, resp.StatusCode, err)
		}
	}
	resp, body, err := cb.post(b+"/entry", customerForm("taro6@example.jp"))
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "秒後") {
		t.Fatalf("6th registration post: %d Retry-After=%q err=%v", resp.StatusCode, resp.Header.Get("Retry-After"), err)
	}
}
