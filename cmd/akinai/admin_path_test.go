package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestAdmin_ChangePathInPanel: the owner stores a new secret path (sudo);
// an instance started afterwards serves the panel only there, the running
// one keeps its path until it restarts, and the audit log records the
// change without the path itself.
func TestAdmin_ChangePathInPanel(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	owner, _ := setupOwner(t, base, setupPath(t, logs))
	old := owner.admin

	owner.post(old+"/security/path", url.Values{"path": {"administrator"}}).want(t, "guessable path", 422, "推測されにくい")
	owner.post(old+"/security/path", url.Values{"path": {"short"}}).want(t, "short path", 422)
	owner.post(old+"/security/path", url.Values{"path": {"back-office-7q2m"}}).want(t, "new path", 303, old+"/security")
	owner.get(old+"/security").want(t, "pending note", 200, "path-pending", "/back-office-7q2m/")

	d := openAdminDB(t, cfg.DatabaseURL)
	if n := auditCount(t, d, "security.admin_path", "owner@example.jp"); n != 1 {
		t.Fatalf("%d audit entries for the path change", n)
	}
	var leaked int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE details LIKE ? OR target LIKE ?`, "%back-office%", "%back-office%").Scan(&leaked)
	if leaked != 0 {
		t.Fatal("the secret path is in the audit log")
	}

	// A second instance starting now uses the new path; the old one is the
	// storefront's 404 there.
	second, _ := startLoggedShop(t, cfg, nil)
	c := newClient(t, second)
	c.get("/back-office-7q2m/login").want(t, "login at the new path", 200, "管理画面ログイン")
	r := c.get(old + "/login")
	r.want(t, "old path on the new instance", 404)
	if strings.Contains(r.body, "管理画面") {
		t.Fatal("the old path reveals the admin")
	}
	// The running instance keeps serving its path until it restarts.
	owner.get(old+"/").want(t, "old instance", 200)
}
