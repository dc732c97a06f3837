package db_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestRebind(t *testing.T) {
	t.Parallel()
	d := &db.DB{Dialect: db.Postgres}
	got := d.Rebind(`SELECT '?' FROM t WHERE a = ? AND b LIKE ? ESCAPE '\' AND "c?" = ?`)
	want := `SELECT '?' FROM t WHERE a = $1 AND b LIKE $2 ESCAPE '\' AND "c?" = $3`
	if got != want {
		t.Fatalf("Rebind = %s\nwant   %s", got, want)
	}
}

// columns lists every table's columns with their nullability, so the two
// engines can be compared after migrating.
func columns(t *testing.T, d *db.DB) []string {
	t.Helper()
	ctx := context.Background()
	var q string
	if d.Dialect == db.SQLite {
		q = `SELECT m.name || '.' || p.name || CASE WHEN p."notnull" = 1 OR p.pk = 1 THEN ' not null' ELSE '' END
		     FROM sqlite_master m, pragma_table_info(m.name) p
		     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	} else {
		q = `SELECT table_name || '.' || column_name || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
		     FROM information_schema.columns WHERE table_schema = 'public'`
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestMigrationsSameSchemaOnBothEngines(t *testing.T) {
	t.Parallel()
	lite := columns(t, dbtest.MustOpen(t, dbtest.SQLite))
	pg := columns(t, dbtest.MustOpen(t, dbtest.Postgres))
	if strings.Join(lite, "\n") != strings.Join(pg, "\n") {
		t.Fatalf("schemas differ\nsqlite:\n%s\npostgres:\n%s", strings.Join(lite, "\n"), strings.Join(pg, "\n"))
	}
	if len(lite) < 20 {
		t.Fatalf("only %d columns: migrations did not run?", len(lite))
	}
}

func TestMigrateTwiceAndTooNew(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, nil); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if _, err := d.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", 9999, "future", d.Now()); err != nil {
			t.Fatal(err)
		}
		err := d.Migrate(ctx, nil)
		var tooNew *db.ErrTooNew
		if !errors.As(err, &tooNew) || tooNew.DB != 9999 {
			t.Fatalf("migrate on a newer database: %v, want ErrTooNew", err)
		}
	})
}

func TestTxRollsBackOnError(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "k", "v", tx.Now()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx = %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE key = ?", "k").Scan(&n); err != nil || n != 0 {
			t.Fatalf("after rollback: n=%d err=%v", n, err)
		}
		_, err = d.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "k", "v", d.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "k", "v", d.Now())
		if !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate insert: %v, want a unique violation", err)
		}
	})
}

// The pool must stay usable after queries are cancelled under load (the
// failure that made others leave one SQLite driver).
func TestCancelledQueriesLeavePoolUsable(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// Each query would run for seconds; the deadline interrupts it while
		// it runs, on a busy pool.
		var wg sync.WaitGroup
		var interrupted atomic.Int32
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
				defer cancel()
				var sum int64
				err := d.QueryRow(ctx, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 50000000) SELECT SUM(x) FROM n").Scan(&sum)
				if err != nil {
					interrupted.Add(1)
				}
			}()
		}
		wg.Wait()
		if interrupted.Load() == 0 {
			t.Fatal("no query was interrupted: the test did not exercise cancellation")
		}
		ctx := context.Background()
		for i := 0; i < 10; i++ {
			var one int
			if err := d.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Fatalf("pool unusable after cancellations: %v", err)
			}
		}
	})
}

func TestOpenCorruptFileNamesIt(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "broken.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database at all ", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := db.Open(context.Background(), db.Config{Path: path})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open(corrupt) = %v, want an error naming %s", err, path)
	}
}

func TestLikeEscape(t *testing.T) {
	t.Parallel()
	if got := db.LikeEscape(`50%_off\`); got != `50\%\_off\\` {
		t.Fatalf("LikeEscape = %q", got)
	}
}

// A database another process holds locked is refused at start with an
// error naming the file, after the busy timeout.
func TestOpenLockedFileNamesIt(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "locked.db")
	d, err := db.Open(context.Background(), db.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	holder, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE; CREATE TABLE held (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	_, err = db.Open(context.Background(), db.Config{Path: path})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("Open(locked) = %v, want an error naming %s and the lock", err, path)
	}
}
