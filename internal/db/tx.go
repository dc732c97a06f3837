package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Tx is a transaction with the same query methods as DB, so helpers can
// take a Queryer and work inside or outside a transaction.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
}

// Queryer is what DB and Tx have in common.
type Queryer interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Now() time.Time
}

var (
	_ Queryer = (*DB)(nil)
	_ Queryer = (*Tx)(nil)
)

// Tx runs fn in a write transaction and commits when fn returns nil; it
// rolls back on an error or a panic. On SQLite the transaction starts
// IMMEDIATE, taking the write lock up front; on PostgreSQL it is READ
// COMMITTED, so code must use conditional updates, never read-then-write.
//
// When the database cannot write (a full disk, a lock held by another
// process, read-only), the error wraps a *WriteError in a *shop.Error of
// kind Unavailable; while that lasts, Tx refuses at once and a probe
// tries one write every 2 s (see WriteState).
func (d *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	if err := d.admit(); err != nil {
		return err
	}
	return d.observe(d.tx(ctx, fn))
}

func (d *DB) tx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	tx := &Tx{tx: stx, db: d, now: d.Now()}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// Dialect returns the engine the transaction runs on.
func (t *Tx) Dialect() Dialect { return t.db.Dialect }

// Now returns the transaction's fixed time: every row written in one
// transaction carries the same timestamp.
func (t *Tx) Now() time.Time { return t.now }

func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.Rebind(query), args...)
}

func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.Rebind(query), args...)
}

func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.Rebind(query), args...)
}

// SkipLocked returns " FOR UPDATE SKIP LOCKED" on PostgreSQL, where
// several workers compete for rows, and "" on SQLite, whose single writer
// already serialises them.
func (d *DB) SkipLocked() string {
	if d.Dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// SkipLocked is DB.SkipLocked for the transaction's engine.
func (t *Tx) SkipLocked() string { return t.db.SkipLocked() }

// RowsAffected returns the number of rows a statement changed.
func RowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine, so callers can turn it into a Conflict.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState() == "23505"
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLITE_CONSTRAINT_PRIMARYKEY")
}

// LikeEscape escapes %, _ and \ so a user's text is matched literally in
// `LIKE ? ESCAPE '\'`.
func LikeEscape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%', '_', '\\':
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}
