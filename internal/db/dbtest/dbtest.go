// Package dbtest gives tests a fresh, migrated database on each engine:
// a SQLite file in a temp dir, and a database in a throwaway PostgreSQL
// cluster started with the system's initdb and pg_ctl.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/akinai/akinai/internal/db"
)

// Engine names a database engine for table-driven tests.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// MustOpen returns a fresh, migrated database on the engine, closed when
// the test ends. On PostgreSQL without server binaries the test is skipped
// with one clear line.
func MustOpen(tb testing.TB, engine Engine) *db.DB {
	tb.Helper()
	d := MustOpenEmpty(tb, engine)
	if err := d.Migrate(context.Background(), nil); err != nil {
		tb.Fatalf("dbtest: migrate %s: %v", engine, err)
	}
	return d
}

// MustOpenEmpty returns a fresh database that is not migrated, for tests
// of the migrator and of restores.
func MustOpenEmpty(tb testing.TB, engine Engine) *db.DB {
	tb.Helper()
	ctx := context.Background()
	var cfg db.Config
	switch engine {
	case SQLite:
		cfg.Path = filepath.Join(tb.TempDir(), "akinai.db")
	case Postgres:
		cfg.URL = NewPostgresDatabase(tb)
	default:
		tb.Fatalf("dbtest: unknown engine %q", engine)
	}
	d, err := db.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", engine, err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// Each runs fn as a subtest on SQLite and on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range []Engine{SQLite, Postgres} {
		t.Run(string(e), func(t *testing.T) {
			fn(t, MustOpen(t, e))
		})
	}
}

func randomName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

var createTable = regexp.MustCompile(`(?i)CREATE TABLE (?:IF NOT EXISTS )?(\w+)`)

// Older returns the migrations a database made by an older build holds
// when the migration called label was added later with a lower number:
// all of ms but label and the later ones that use a table label creates.
// It fails the test when nothing numbered above label remains (no gap).
func Older(tb testing.TB, ms []db.Migration, label string) []db.Migration {
	tb.Helper()
	var gap *db.Migration
	for i := range ms {
		if ms[i].Label() == label {
			gap = &ms[i]
		}
	}
	if gap == nil {
		tb.Fatalf("dbtest: no migration %s", label)
	}
	var tables []string
	for _, m := range createTable.FindAllStringSubmatch(gap.SQL, -1) {
		tables = append(tables, m[1])
	}
	var out []db.Migration
	higher := false
	for _, m := range ms {
		uses := m.Version == gap.Version
		for _, t := range tables {
			uses = uses || (m.Version > gap.Version && regexp.MustCompile(`\b`+t+`\b`).MatchString(m.SQL))
		}
		if !uses {
			out = append(out, m)
			higher = higher || m.Version > gap.Version
		}
	}
	if !higher {
		tb.Fatalf("dbtest: no migration above %s is independent of it: pick another gap", label)
	}
	return out
}
