package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migrations are numbered SQL files, NNNN_name.sql, written once in the
// SQL both engines share. The few type names that differ are written the
// PostgreSQL way and translated for SQLite by sqliteTypes.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one embedded schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("db: migration %q is not named NNNN_name.sql", name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("db: migrations %s and %s share version %d", prev, name, v)
		}
		seen[v] = name
		b, err := fs.ReadFile(migrationFS, path.Join("migrations", name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(rest, ".sql"), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

var sqliteTypes = strings.NewReplacer(
	"BIGSERIAL PRIMARY KEY", "INTEGER PRIMARY KEY",
	"TIMESTAMPTZ", "TIMESTAMP",
	"BYTEA", "BLOB",
)

// ErrTooNew is returned when the database was migrated by a newer Akinai.
type ErrTooNew struct{ DB, Binary int }

func (e *ErrTooNew) Error() string {
	return fmt.Sprintf("the database is at schema version %d but this akinai binary knows only up to %d: upgrade akinai (or restore a backup) before starting it", e.DB, e.Binary)
}

// Version returns the highest applied migration, or 0 on an empty database.
func (d *DB) Version(ctx context.Context) (int, error) {
	if err := d.ensureVersionTable(ctx); err != nil {
		return 0, err
	}
	var v int
	err := d.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

func (d *DB) ensureVersionTable(ctx context.Context) error {
	_, err := d.write.ExecContext(ctx, d.translate(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL)`))
	return err
}

func (d *DB) translate(q string) string {
	if d.Dialect == SQLite {
		return sqliteTypes.Replace(q)
	}
	return q
}

// Migrate applies every pending migration, each in its own transaction.
// On PostgreSQL it holds an advisory lock so that several instances
// starting together migrate once. A database newer than the binary is
// refused with *ErrTooNew.
func (d *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	if d.Dialect == Postgres {
		conn, err := d.write.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		const lockID = 0x616b696e6169 // "akinai"
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
			return fmt.Errorf("db: advisory lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockID)
	}
	cur, err := d.Version(ctx)
	if err != nil {
		return fmt.Errorf("db: read schema version of %s: %w", d.Where, err)
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].Version
	}
	if cur > latest {
		return &ErrTooNew{DB: cur, Binary: latest}
	}
	for _, m := range ms {
		if m.Version <= cur {
			continue
		}
		err := d.Tx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, d.translate(m.SQL)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.Version, m.Name, tx.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("db: migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if log != nil {
			log.Info("migrated", "version", m.Version, "name", m.Name)
		}
	}
	return nil
}
