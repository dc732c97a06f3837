// Package db opens Akinai's database — embedded SQLite by default,
// PostgreSQL when a shop runs several instances — and hides the few
// differences between the two behind one small API. Every query in Akinai
// is written once, with `?` placeholders, in the subset of SQL both
// engines share; Rebind turns the placeholders into `$n` for PostgreSQL.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a handle on the shop's database. Reads go to a pool of readers;
// writes and transactions go to the writer pool, which for SQLite is a
// single connection so that concurrent writers queue in Go instead of
// failing with SQLITE_BUSY.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *sql.DB
	// Where names the database for messages: a file path or a URL without
	// its password.
	Where string
	// Clock returns the current time; tests replace it. Use Now.
	Clock func() time.Time
	// dsn opens another connection to the SQLite file (snapshots).
	dsn string
	// Log receives the one message when the database stops writing and
	// the one when it writes again (nil: slog.Default()).
	Log *slog.Logger

	health health
}

// Config says which database to open.
type Config struct {
	// URL is a postgres:// URL. When empty, SQLite is used.
	URL string
	// Path is the SQLite database file; its directory is created.
	Path string
	// ReadConns bounds the reader pool (default 4, which measured best).
	ReadConns int
	// WriteConns bounds PostgreSQL's writer pool (default 8).
	WriteConns int
	// BusyTimeout is how long an SQLite write waits for a lock another
	// process holds (default 10 s).
	BusyTimeout time.Duration
}

// Open opens and pings the database. It does not migrate; call Migrate.
// Errors name the file or server so an operator knows what to fix.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.ReadConns <= 0 {
		cfg.ReadConns = 4
	}
	if cfg.WriteConns <= 0 {
		cfg.WriteConns = 8
	}
	if cfg.BusyTimeout <= 0 {
		cfg.BusyTimeout = 10 * time.Second
	}
	var d *DB
	var err error
	if cfg.URL != "" {
		d, err = openPostgres(cfg)
	} else {
		d, err = openSQLite(cfg)
	}
	if err != nil {
		return nil, err
	}
	if err := d.check(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func openSQLite(cfg Config) (*DB, error) {
	if cfg.Path == "" {
		return nil, errors.New("db: no SQLite path and no database URL")
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o750); err != nil {
		return nil, fmt.Errorf("db: create data directory: %w", err)
	}
	// busy_timeout comes first so that it applies to the other pragmas.
	pragmas := "_pragma=busy_timeout(" + strconv.FormatInt(cfg.BusyTimeout.Milliseconds(), 10) + ")&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	dsn := "file:" + (&url.URL{Path: cfg.Path}).EscapedPath() + "?" + pragmas
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(cfg.ReadConns)
	r.SetMaxIdleConns(cfg.ReadConns)
	return &DB{Dialect: SQLite, write: w, read: r, Where: cfg.Path, dsn: dsn}, nil
}

func openPostgres(cfg Config) (*DB, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("db: the database URL must look like postgres://user@host/dbname")
	}
	p, err := sql.Open("pgx", cfg.URL)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(cfg.WriteConns)
	p.SetMaxIdleConns(cfg.WriteConns)
	p.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{Dialect: Postgres, write: p, read: p, Where: u.Redacted()}, nil
}

// check proves the database is readable and writable, turning SQLite's
// terse errors into ones that name the file.
func (d *DB) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if d.Dialect == SQLite {
		var res string
		if err := d.write.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
			return fmt.Errorf("database %s cannot be opened (corrupt, locked or not a database?): %w", d.Where, err)
		}
		if res != "ok" {
			return fmt.Errorf("database %s is corrupt: %s", d.Where, res)
		}
		// A write proves the file is not locked by another writer.
		if _, err := d.write.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS akinai_lockcheck (x INTEGER); DROP TABLE akinai_lockcheck"); err != nil {
			return fmt.Errorf("database %s is not writable (locked by another process?): %w", d.Where, err)
		}
		return nil
	}
	if err := d.write.PingContext(ctx); err != nil {
		return fmt.Errorf("database %s cannot be reached: %w", d.Where, err)
	}
	return nil
}

// Close closes both pools.
func (d *DB) Close() error {
	d.closeHealth()
	err := d.write.Close()
	if d.read != d.write {
		err = errors.Join(err, d.read.Close())
	}
	return err
}

// Now returns the current time in UTC, at the microsecond precision both
// engines store, from Clock when a test has set it.
func (d *DB) Now() time.Time {
	t := time.Now()
	if d.Clock != nil {
		t = d.Clock()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Rebind rewrites `?` placeholders as `$1, $2, …` for PostgreSQL, leaving
// question marks inside quoted strings and identifiers alone.
func (d *DB) Rebind(query string) string {
	if d.Dialect != Postgres || strings.IndexByte(query, '?') < 0 {
		return query
	}
	return rebind(query)
}

func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Query runs a read on the reader pool.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.read.QueryContext(ctx, d.Rebind(query), args...)
}

// QueryRow runs a single-row read on the reader pool.
func (d *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return d.read.QueryRowContext(ctx, d.Rebind(query), args...)
}

// Exec runs one write statement outside an explicit transaction. While
// the database cannot write, it fails as Tx does.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := d.admit(); err != nil {
		return nil, err
	}
	res, err := d.write.ExecContext(ctx, d.Rebind(query), args...)
	return res, d.observe(err)
}

// Ping reports whether the database answers, for /readyz.
func (d *DB) Ping(ctx context.Context) error {
	return d.read.PingContext(ctx)
}

// Stats returns the writer pool's statistics.
func (d *DB) Stats() sql.DBStats { return d.write.Stats() }

// ReadStats returns the reader pool's statistics (the same pool as Stats
// on PostgreSQL).
func (d *DB) ReadStats() sql.DBStats { return d.read.Stats() }
