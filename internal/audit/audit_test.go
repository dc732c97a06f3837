package audit_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestAppend_ConcurrentChainDoesNotFork(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const workers, each = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					errs <- audit.Record(ctx, d, audit.Entry{Actor: fmt.Sprintf("w%d", w), Action: "test.append", Details: map[string]any{"i": i}})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, broken, err := audit.Verify(ctx, d)
		if err != nil || broken != nil || n != workers*each {
			t.Fatalf("Verify = %d, %v, %v; want %d entries, intact", n, broken, err, workers*each)
		}
		var forks int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT prev_hash FROM audit_log GROUP BY prev_hash HAVING COUNT(*) > 1) f`).Scan(&forks); err != nil {
			t.Fatal(err)
		}
		if forks != 0 {
			t.Fatalf("%d entries share a predecessor: the chain forked", forks)
		}
	})
}

func TestVerify_FindsFirstBrokenLink(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for i := range 5 {
			if err := audit.Record(ctx, d, audit.Entry{Actor: "a", Action: "x", Target: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		var ids []int64
		rows, _ := d.Query(ctx, `SELECT id FROM audit_log ORDER BY id`)
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		if _, err := d.Exec(ctx, `UPDATE audit_log SET target = 'forged' WHERE id = ?`, ids[2]); err != nil {
			t.Fatal(err)
		}
		_, broken, err := audit.Verify(ctx, d)
		if err != nil || broken == nil || broken.ID != ids[2] {
			t.Fatalf("after editing entry %d: Verify = %v, %v", ids[2], broken, err)
		}
		if _, err := d.Exec(ctx, `DELETE FROM audit_log WHERE id = ?`, ids[2]); err != nil {
			t.Fatal(err)
		}
		_, broken, _ = audit.Verify(ctx, d)
		if broken == nil || broken.ID != ids[3] {
			t.Fatalf("after deleting entry %d: Verify = %v, want entry %d", ids[2], broken, ids[3])
		}
	})
}

func TestVerify_DetectsTruncatedTail(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	for range 3 {
		audit.Record(ctx, d, audit.Entry{Action: "x"})
	}
	d.Exec(ctx, `DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)`)
	if _, broken, _ := audit.Verify(ctx, d); broken == nil {
		t.Fatal("deleting the last entry went unnoticed")
	}
}

func TestList_Filters(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	audit.Record(ctx, d, audit.Entry{Actor: "owner@example.jp", Action: "signin.success"})
	audit.Record(ctx, d, audit.Entry{Actor: "staff@example.jp", Action: "signin.failure"})
	audit.Record(ctx, d, audit.Entry{Actor: "staff@example.jp", Action: "admin.create"})
	got, total, err := audit.List(ctx, d, audit.Filter{Action: "signin."})
	if err != nil || total != 2 || len(got) != 2 {
		t.Fatalf("signin. = %d (%d), %v", len(got), total, err)
	}
	got, total, _ = audit.List(ctx, d, audit.Filter{Actor: "staff", Action: "admin.create"})
	if total != 1 || got[0].Action != "admin.create" {
		t.Fatalf("staff admin.create = %+v", got)
	}
}
