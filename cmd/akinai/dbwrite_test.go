package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestDiskFullAnswers503 runs the shop on a small tmpfs and fills it
// while a buyer checks out.
func TestDiskFullAnswers503(t *testing.T) {
	t.Parallel()
	dir := dbtest.SmallDisk(t, "48m") // unmounted after the shop stops
	filler := filepath.Join(dir, "filler")
	cannotWrite(t, dir, "disk_full", "ディスクがいっぱいです", func(d *db.DB) {
		// An empty WAL, so that the next write must grow a file; then no room.
		deadline := time.Now().Add(60 * time.Second)
		for {
			var busy, logPages, done int
			if err := d.QueryRow(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done); err != nil {
				t.Fatal(err)
			}
			if busy == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the WAL cannot be truncated")
			}
			time.Sleep(100 * time.Millisecond)
		}
		dbtest.FillDisk(t, filler)
	}, func() {
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
	})
}

// TestHeldLockAnswers503 holds the SQLite file's write lock from another
// connection (as an sqlite3 shell or a second process would) while a
// buyer checks out.
func TestHeldLockAnswers503(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var conn *sql.Conn
	cannotWrite(t, dir, "locked", "別のプロセスがデータベースファイルの書き込みロックを持っています", func(*db.DB) {
		other, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "akinai.db")+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		if conn, err = other.Conn(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
	}, func() {
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		conn.Close()
	})
}

// cannotWrite checks out while the database in dir cannot write (between
// breakDB and fixDB): the order is refused with 503, Retry-After and a
// page in the buyer's language, the cart is kept, /readyz and the admin
// dashboard say why (reason, and dashText in Japanese), the condition is
// logged once, and once fixed the same submit places the order with
// nothing lost.
func cannotWrite(t *testing.T, dir, reason, dashText string, breakDB func(d *db.DB), fixDB func()) {
	cfg := Config{DataDir: dir}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	owner, _ := setupOwner(t, base, setup)
	d := openShopDB(t, cfg)
	vids := seedProduct(t, d, "tea", "standard", []string{"TEA-S"}, []int{5})
	b := newBuyer(t, base)
	if resp, body := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"2"}}); resp.StatusCode != 303 {
		t.Fatalf("add: %d %.300s", resp.StatusCode, body)
	}
	form := orderForm("", "cod")
	form.Del("key")
	resp, body := b.mustPost(t, base+"/checkout", form)
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || key == nil {
		t.Fatalf("confirm: %d %.300s", resp.StatusCode, body)
	}

	breakDB(d)
	place := orderForm(key[1], "cod")
	for i := range 3 {
		resp, body = b.mustPost(t, base+"/checkout/place", place)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "30" ||
			!strings.Contains(body, "しばらくしてからもう一度お試しください") || !strings.Contains(body, "カートの中身はそのまま残っています") {
			t.Fatalf("place %d: %d Retry-After %q %.500s", i, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	b.get(t, base+"/cart?lang=en")
	if _, body = b.mustPost(t, base+"/checkout/place", place); !strings.Contains(body, "Please try again in a moment. Your cart is kept") {
		t.Errorf("English page: %.500s", body)
	}
	if resp, body = b.get(t, base+"/cart"); resp.StatusCode != 200 || !strings.Contains(body, "Test product tea") {
		t.Errorf("cart while the database cannot write: %d %.500s", resp.StatusCode, body)
	}
	if resp, body = b.get(t, base+"/readyz"); resp.StatusCode != 503 || !strings.Contains(body, "database cannot write ("+reason+")") {
		t.Errorf("/readyz: %d %s", resp.StatusCode, body)
	}
	owner.get(admin+"/?lang=ja").want(t, "dashboard", 200, `id="db-write-alert"`, dashText)

	fixDB()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, _ = b.get(t, base+"/readyz"); resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz stays unready after the database was fixed")
		}
		time.Sleep(250 * time.Millisecond)
	}
	resp, _ = b.mustPost(t, base+"/checkout/place", place)
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/checkout/done/") {
		t.Fatalf("place after the fix: %d", resp.StatusCode)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders`); n != 1 {
		t.Fatalf("%d orders", n)
	}
	if q := countRows(t, d, `SELECT SUM(qty) FROM order_lines`); q != 2 {
		t.Fatalf("the kept cart became an order of %d items", q)
	}
	if n := strings.Count(logs.String(), "database cannot write"); n != 1 {
		t.Errorf("the condition was logged %d times", n)
	}
	if !strings.Contains(logs.String(), "database writes again") {
		t.Error("the recovery was not logged")
	}
	if strings.Contains(owner.get(admin+"/").body, "db-write-alert") {
		t.Error("the dashboard still shows the alert")
	}
}
