package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestAdminCustomers: search, detail, suspension (which ends the
// customer's sessions), export only after re-authentication, each write
// and the export in the audit log.
func TestAdminCustomers(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	cfg := Config{DatabaseURL: pg}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	d := openAdminDB(t, pg)
	shopper := registerActive(t, base, Config{DatabaseURL: pg}, "kaori@example.jp")
	shopper.post(base+"/mypage/login", url.Values{"email": {"kaori@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})
	var id string
	d.QueryRow(context.Background(), `SELECT CAST(id AS TEXT) FROM customers`).Scan(&id)

	c, _ := setupOwner(t, base, setup)
	c.get(admin+"/customers?q=サトウ").want(t, "search by kana", 200, "kaori@example.jp")
	c.get(admin+"/customers?q=nobody").want(t, "search miss", 200)
	c.get(admin+"/customers/"+id).want(t, "detail", 200, "佐藤", "customer-status")
	c.post(admin+"/customers/"+id+"/status", url.Values{"status": {"bogus"}}).want(t, "bad status", 422)
	c.post(admin+"/customers/"+id+"/status", url.Values{"status": {"suspended"}}).want(t, "suspend", 303)
	if auditCount(t, d, "customer.status", "") != 1 {
		t.Fatal("suspension not audited")
	}
	if r, _ := shopper.c.Get(base + "/mypage"); r.StatusCode != 303 {
		t.Fatalf("suspended customer still signed in: %d", r.StatusCode)
	}

	// Export: sudo only.
	if _, err := d.Exec(context.Background(), `UPDATE admin_sessions SET sudo_until = ?`, time.Now().Add(-time.Minute).UTC()); err != nil {
		t.Fatal(err)
	}
	c.get(admin+"/customers.csv").want(t, "export without sudo", 303, "/sudo?next=")
	c.post(admin+"/sudo", url.Values{"password": {ownerPassword}, "next": {admin + "/customers"}}).want(t, "sudo", 303)
	r := c.get(admin + "/customers.csv?enc=sjis")
	r.want(t, "export", 200)
	rd, err := csvfile.NewReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := rd.ReadAll()
	if err != nil || len(rows) != 2 || rows[1][3] != "佐藤" {
		t.Fatalf("export read back: %v %v", rows, err)
	}
	if auditCount(t, d, "customer.export", "") != 1 {
		t.Fatal("export not audited")
	}
}
