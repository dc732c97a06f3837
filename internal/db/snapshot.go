package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// VacuumInto writes a consistent copy of the SQLite database to path (which
// must not exist) with VACUUM INTO, on a connection of its own: it reads
// one snapshot of the database, so a transaction committed meanwhile is
// either wholly in the copy or not at all, and the shop's writer is not
// held up (WAL readers do not block writers).
func (d *DB) VacuumInto(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return errors.New("db: VacuumInto is for SQLite; use pg_dump on PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("db: %s exists already", path)
	}
	c, err := sql.Open("sqlite", d.dsn)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("db: copy %s to %s: %w", d.Where, path, err)
	}
	return nil
}

// ExportSnapshot runs fn inside a read-only REPEATABLE READ transaction on
// PostgreSQL whose snapshot it exports: fn gets the snapshot's name (for
// pg_dump --snapshot) and the transaction, so what fn counts is what the
// dump holds.
func (d *DB) ExportSnapshot(ctx context.Context, fn func(tx *Tx, snapshot string) error) error {
	if d.Dialect != Postgres {
		return errors.New("db: ExportSnapshot is for PostgreSQL")
	}
	stx, err := d.write.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer stx.Rollback()
	var name string
	if err := stx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&name); err != nil {
		return fmt.Errorf("db: export snapshot: %w", err)
	}
	return fn(&Tx{tx: stx, db: d, now: d.Now()}, name)
}

// Tables lists the database's tables (Akinai's and the migration record).
func Tables(ctx context.Context, q Queryer, dialect Dialect) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if dialect == Postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := q.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Counts returns the number of rows of every table.
func Counts(ctx context.Context, q Queryer, dialect Dialect) (map[string]int64, error) {
	tables, err := Tables(ctx, q, dialect)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, t := range tables {
		var n int64
		// t comes from the catalogue, not from input; quoted all the same.
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM "`+t+`"`).Scan(&n); err != nil {
			return nil, fmt.Errorf("db: count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}
