package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// A backup taken while buyers place orders holds each order wholly or not
// at all, and restores into a shop that serves and sells.
func TestBackupDuringSalesRestoresAShopThatSells(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			backupDuringSales(t, engine)
		})
	}
}

func backupDuringSales(t *testing.T, engine dbtest.Engine) {
	cfg := Config{DataDir: t.TempDir(), RateLimits: "checkout.place.ip=100000/30m,checkout.confirm.ip=100000/30m"}
	var dbArgs, restoreArgs []string
	var newDB string
	if engine == dbtest.Postgres {
		if _, err := exec.LookPath("pg_dump"); err != nil {
			t.Skip("pg_dump is not installed")
		}
		cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
		newDB = dbtest.NewPostgresDatabase(t)
		dbArgs = []string{"--database-url", cfg.DatabaseURL}
		restoreArgs = []string{"--database-url", newDB}
	}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	const stock = 1000
	vid := seedProduct(t, d, "busy", "standard", []string{"BUSY-1"}, []int{stock})[0]
	seedTaxRules(t, d)
	passFile := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(passFile, []byte("a long enough passphrase\n"), 0o600)

	ctx := context.Background()
	var placed atomic.Int32
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := tryBuyOne(t, base, vid); err != nil {
					t.Error(err)
					return
				}
				placed.Add(1)
			}
		})
	}
	// Let some orders in before the backup, keep buying during it.
	for placed.Load() < 5 {
		time.Sleep(10 * time.Millisecond)
	}
	to := t.TempDir()
	var out, errOut bytes.Buffer
	code := run(ctx, append([]string{"backup", "--data", cfg.DataDir, "--to", to, "--passphrase-file", passFile}, dbArgs...), nil, &out, &errOut)
	during := placed.Load()
	close(stop)
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errOut.String())
	}
	if placed.Load() == during {
		t.Log("no order was placed after the backup ended; still a valid check")
	}
	files, _ := filepath.Glob(filepath.Join(to, "akinai-*.tar.gz"))
	if len(files) != 1 {
		t.Fatalf("backups in %s: %v", to, files)
	}

	into := filepath.Join(t.TempDir(), "restored")
	out.Reset()
	errOut.Reset()
	if code := run(ctx, append([]string{"restore", "--from", files[0], "--data", into, "--passphrase-file", passFile}, restoreArgs...), nil, &out, &errOut); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "integrity ok") {
		t.Fatalf("restore said %q", out.String())
	}
	// The same shop configuration: its rate-limit counters come back with
	// the data, and the buyers above spent the default checkout allowance.
	rcfg := Config{DataDir: into, DatabaseURL: newDB, RateLimits: cfg.RateLimits}
	rd := openShopDB(t, rcfg)
	orders := countRows(t, rd, "SELECT COUNT(*) FROM orders")
	if orders < 5 || orders > int(placed.Load()) {
		t.Fatalf("%d orders in the backup; %d placed before it started, %d in all", orders, 5, placed.Load())
	}
	// Every order is whole: its lines are there, and the stock taken is
	// exactly what the orders in the backup sold.
	if n := countRows(t, rd, "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)"); n != 0 {
		t.Fatalf("%d orders without their lines", n)
	}
	sold := countRows(t, rd, "SELECT COALESCE(SUM(qty), 0) FROM order_lines WHERE variant_id = ?", vid)
	left := countRows(t, rd, "SELECT stock FROM variants WHERE id = ?", vid)
	if sold != orders || left != stock-sold {
		t.Fatalf("backup holds %d orders, %d units sold, stock %d: not one consistent moment", orders, sold, left)
	}
	t.Logf("%d orders placed in all, %d in the backup", placed.Load(), orders)

	// The restored shop serves and sells, with the restored secret key.
	if b, err := os.ReadFile(filepath.Join(into, "secret.key")); err != nil || len(strings.TrimSpace(string(b))) != 64 {
		t.Fatalf("restored secret key: %v", err)
	}
	rbase := startShop(t, rcfg)
	if resp, _ := get(t, rbase+"/"); resp.StatusCode != 200 {
		t.Fatalf("restored shop's home page: %d", resp.StatusCode)
	}
	buyOne(t, rbase, vid)
	if n := countRows(t, rd, "SELECT COUNT(*) FROM orders"); n != orders+1 {
		t.Fatalf("restored shop: %d orders after one more sale, want %d", n, orders+1)
	}
}

// A restore over the live data directory is refused and changes nothing.
func TestRestoreRefusesTheLiveDirectory(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	d := openShopDB(t, cfg)
	if err := d.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	to := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"backup", "--data", cfg.DataDir, "--to", to}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "--without-secret") {
		t.Fatalf("backup without a choice for the secret: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"backup", "--data", cfg.DataDir, "--to", to, "--without-secret"}, nil, &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "NOT in this backup") {
		t.Fatalf("backup --without-secret: exit %d, %q", code, errOut.String())
	}
	files, _ := filepath.Glob(filepath.Join(to, "akinai-*.tar.gz"))
	before, _ := os.ReadFile(cfg.SQLitePath())
	errOut.Reset()
	if code := run(context.Background(), []string{"restore", "--from", files[0], "--data", cfg.DataDir, "--without-secret"}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "not empty") {
		t.Fatalf("restore over the live directory: exit %d, %q", code, errOut.String())
	}
	if after, _ := os.ReadFile(cfg.SQLitePath()); !bytes.Equal(before, after) {
		t.Fatal("the live database changed")
	}
}
