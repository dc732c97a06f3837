package db_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

// openLogged opens and migrates a database whose health messages go to
// the returned buffer.
func openLogged(t *testing.T, cfg db.Config) (*db.DB, *logBuffer) {
	t.Helper()
	d, err := db.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	d.Log = slog.New(slog.NewTextHandler(logs, nil))
	if _, err := d.Exec(context.Background(), `CREATE TABLE notes (body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return d, logs
}

func insertNote(d *db.DB, body string) error {
	return d.Tx(context.Background(), func(tx *db.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO notes (body) VALUES (?)`, body)
		return err
	})
}

// cannotWrite checks that the database refuses writes for reason, as a
// 503-kind error, with the condition logged once however many writes
// were refused, and nothing written.
func cannotWrite(t *testing.T, d *db.DB, logs *logBuffer, reason string) {
	t.Helper()
	for i := range 5 {
		err := insertNote(d, fmt.Sprint("refused ", i))
		var se *shop.Error
		if !errors.As(err, &se) || se.Kind != shop.Unavailable || se.RetryAfter != db.RetryAfter || !db.IsUnavailable(err) {
			t.Fatalf("write %d: %v, want Unavailable", i, err)
		}
	}
	if _, err := d.Exec(context.Background(), `INSERT INTO notes (body) VALUES ('refused exec')`); !db.IsUnavailable(err) {
		t.Fatalf("Exec: %v", err)
	}
	st := d.WriteState()
	if !st.Failing || st.Reason != reason || st.Refused < 5 {
		t.Fatalf("state %+v, want failing with %s", st, reason)
	}
	if n := logs.count("database cannot write"); n != 1 {
		t.Fatalf("logged %d times:\n%s", n, logs.b.String())
	}
}

// recovers waits for the probe to find the database writing again, and
// checks that it logs that once and that no refused write was stored.
func recovers(t *testing.T, d *db.DB, logs *logBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for d.WriteState().Failing {
		if time.Now().After(deadline) {
			t.Fatalf("still failing: %+v", d.WriteState())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := insertNote(d, "after"); err != nil {
		t.Fatal(err)
	}
	var refused int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM notes WHERE body LIKE 'refused%'`).Scan(&refused); err != nil || refused != 0 {
		t.Fatalf("refused writes stored: %d %v", refused, err)
	}
	if n := logs.count("database writes again"); n != 1 {
		t.Fatalf("recovery logged %d times", n)
	}
}

// TestWriteStateHeldLock holds SQLite's write lock from another
// connection (as a second process would).
func TestWriteStateHeldLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "akinai.db")
	d, logs := openLogged(t, db.Config{Path: path, BusyTimeout: 300 * time.Millisecond})
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(1000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	cannotWrite(t, d, logs, db.ReasonLocked)
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	recovers(t, d, logs)
}

// TestWriteStateDiskFull runs SQLite on a small tmpfs and fills it.
func TestWriteStateDiskFull(t *testing.T) {
	t.Parallel()
	dir := dbtest.SmallDisk(t, "8m")
	d, logs := openLogged(t, db.Config{Path: filepath.Join(dir, "akinai.db")})
	if err := insertNote(d, "before"); err != nil {
		t.Fatal(err)
	}
	// An empty WAL, so the next write must grow it.
	if _, err := d.Exec(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(dir, "filler")
	dbtest.FillDisk(t, filler)
	cannotWrite(t, d, logs, db.ReasonDiskFull)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	recovers(t, d, logs)
}

// TestWriteStateReadOnlyPostgres makes a PostgreSQL database read-only by
// default (as a standby after a failover, or an operator's emergency
// switch, would be) and back.
func TestWriteStateReadOnlyPostgres(t *testing.T) {
	t.Parallel()
	url := dbtest.NewPostgresDatabase(t)
	d, logs := openLogged(t, db.Config{URL: url})
	var name string
	if err := d.QueryRow(context.Background(), `SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	admin.SetMaxOpenConns(1)
	ctx := context.Background()
	for _, q := range []string{
		"SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
		"ALTER DATABASE " + name + " SET default_transaction_read_only = on",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
	} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The first write after the termination may meet a dead pooled
	// connection (57P01); then every connection is read-only.
	insertNote(d, "refused 0")
	insertNote(d, "refused 1")
	if st := d.WriteState(); !st.Failing || (st.Reason != db.ReasonReadOnly && st.Reason != db.ReasonUnreachable) {
		t.Fatalf("state %+v", st)
	}
	deadline := time.Now().Add(60 * time.Second)
	for d.WriteState().Reason != db.ReasonReadOnly {
		if time.Now().After(deadline) {
			t.Fatalf("state %+v", d.WriteState())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := insertNote(d, "refused 2"); !db.IsUnavailable(err) {
		t.Fatalf("write on a read-only database: %v", err)
	}
	for _, q := range []string{
		"ALTER DATABASE " + name + " RESET default_transaction_read_only",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
	} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	recovers(t, d, logs)
	if n := logs.count("database cannot write"); n != 1 {
		t.Fatalf("logged %d times", n)
	}
}
