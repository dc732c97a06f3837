package db

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
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
// Every applied migration is recorded in schema_migrations with the
// SHA-256 of its file, so the migrator applies exactly the missing ones
// (whatever their number, in order) and refuses a database whose recorded
// files differ from the binary's or that holds migrations the binary does
// not know.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one embedded schema change.
type Migration struct {
	Version  int
	Name     string
	SQL      string
	Checksum string // hex SHA-256 of the file as embedded
}

// Label names the migration as its file does: 0022_orders.
func (m Migration) Label() string { return fmt.Sprintf("%04d_%s", m.Version, m.Name) }

// Checksum returns the hex SHA-256 of a migration file's bytes.
func Checksum(sql string) string {
	sum := sha256.Sum256([]byte(sql))
	return hex.EncodeToString(sum[:])
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
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(rest, ".sql"), SQL: string(b), Checksum: Checksum(string(b))})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

var sqliteTypes = strings.NewReplacer(
	"BIGSERIAL PRIMARY KEY", "INTEGER PRIMARY KEY",
	"TIMESTAMPTZ", "TIMESTAMP",
	"BYTEA", "BLOB",
)

func (d *DB) translate(q string) string {
	if d.Dialect == SQLite {
		return sqliteTypes.Replace(q)
	}
	return q
}

// Markers for the rare migration line only one engine can run (relaxing a
// CHECK constraint: PostgreSQL drops it by name, SQLite rewrites the
// table's definition). A line ending in one is dropped on the other engine.
const (
	onlyPostgres = "-- postgres only"
	onlySQLite   = "-- sqlite only"
)

// forDialect drops the lines of a migration meant for the other engine.
func (d *DB) forDialect(sql string) string {
	other := onlyPostgres
	if d.Dialect == Postgres {
		other = onlySQLite
	}
	if !strings.Contains(sql, other) {
		return sql
	}
	lines := strings.Split(sql, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !strings.HasSuffix(strings.TrimRight(l, " \t\r"), other) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Migrate applies every embedded migration the database lacks, each in its
// own transaction, in version order. On PostgreSQL it holds an advisory
// lock so that several instances starting together migrate once. It
// returns *ErrTooNew when the database holds a migration the binary does
// not know and *ErrChanged when a recorded migration's file has changed;
// in both cases nothing is applied.
func (d *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	return d.Apply(ctx, log, ms)
}

// Apply is Migrate with the binary's migrations given: ms is the complete
// set this build knows, in any order. Tests use it to build a database as
// an older build left it.
func (d *DB) Apply(ctx context.Context, log *slog.Logger, ms []Migration) error {
	ms = append([]Migration(nil), ms...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := range ms {
		if ms[i].Checksum == "" {
			ms[i].Checksum = Checksum(ms[i].SQL)
		}
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
	if err := d.ensureVersionTable(ctx, ms); err != nil {
		return fmt.Errorf("db: migration record of %s: %w", d.Where, err)
	}
	applied, err := d.AppliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("db: read migration record of %s: %w", d.Where, err)
	}
	if err := compare(applied, ms); err != nil {
		return err
	}
	done := map[int]bool{}
	for _, a := range applied {
		done[a.Version] = true
	}
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		err := d.Tx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, d.translate(d.forDialect(m.SQL))); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)", m.Version, m.Name, m.Checksum, tx.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("db: migration %s: %w", m.Label(), err)
		}
		if log != nil {
			log.Info("migrated", "version", m.Version, "name", m.Name)
		}
	}
	return nil
}

// compare refuses a database that holds migrations ms lacks or whose
// recorded checksums differ from ms.
func compare(applied []AppliedMigration, ms []Migration) error {
	known := map[int]Migration{}
	latest := 0
	for _, m := range ms {
		known[m.Version] = m
		latest = max(latest, m.Version)
	}
	var unknown []string
	highest := 0
	for _, a := range applied {
		m, ok := known[a.Version]
		if !ok {
			unknown = append(unknown, a.Label())
			highest = max(highest, a.Version)
			continue
		}
		if a.Checksum != m.Checksum {
			return &ErrChanged{Version: a.Version, Name: m.Name, Recorded: a.Checksum, Embedded: m.Checksum}
		}
	}
	if len(unknown) > 0 {
		return &ErrTooNew{DB: highest, Binary: latest, Unknown: unknown}
	}
	return nil
}
