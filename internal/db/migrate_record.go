package db

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AppliedMigration is one row of schema_migrations.
type AppliedMigration struct {
	Version   int
	Name      string
	Checksum  string
	AppliedAt time.Time
}

// Label names the migration as its file does: 0022_orders.
func (a AppliedMigration) Label() string { return fmt.Sprintf("%04d_%s", a.Version, a.Name) }

// ErrTooNew is returned when the database holds migrations this binary
// does not know: a newer Akinai made it.
type ErrTooNew struct {
	DB, Binary int      // the highest unknown version; the binary's latest
	Unknown    []string // the unknown migrations, 0180_name
}

func (e *ErrTooNew) Error() string {
	return fmt.Sprintf("the database holds migration %s that this akinai binary does not know (it knows up to %04d): a newer akinai made it; upgrade akinai (or restore a backup) before starting it",
		strings.Join(e.Unknown, ", "), e.Binary)
}

// ErrChanged is returned when a migration file differs from the one that
// was applied to the database.
type ErrChanged struct {
	Version            int
	Name               string
	Recorded, Embedded string
}

func (e *ErrChanged) Error() string {
	return fmt.Sprintf("migration %04d_%s was applied with checksum %s but this akinai binary's file has %s: the migration was changed after it was applied; run an unmodified akinai build (akinai will not start on a schema it cannot vouch for)",
		e.Version, e.Name, short(e.Recorded), short(e.Embedded))
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	if sum == "" {
		return "(none)"
	}
	return sum
}

// Version returns the highest applied migration, or 0 on an empty database.
func (d *DB) Version(ctx context.Context) (int, error) {
	applied, err := d.AppliedMigrations(ctx)
	if err != nil || len(applied) == 0 {
		return 0, err
	}
	return applied[len(applied)-1].Version, nil
}

// AppliedMigrations returns the recorded migrations in version order, or
// none on a database that was never migrated.
func (d *DB) AppliedMigrations(ctx context.Context) ([]AppliedMigration, error) {
	if !d.hasTable(ctx, "schema_migrations") {
		return nil, nil
	}
	// Through the reader pool: the integrity card asks at run time, and on
	// SQLite the one writer connection may be waiting out a lock.
	rows, err := d.read.QueryContext(ctx, "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AppliedMigration
	for rows.Next() {
		var a AppliedMigration
		if err := rows.Scan(&a.Version, &a.Name, &a.Checksum, &a.AppliedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// MigrationStatus compares the database's record with the embedded
// migrations: nil when every embedded migration is applied with the same
// checksum, otherwise an error naming what differs (ErrTooNew, ErrChanged,
// or the pending ones).
func (d *DB) MigrationStatus(ctx context.Context) ([]AppliedMigration, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	applied, err := d.AppliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	if err := compare(applied, ms); err != nil {
		return applied, err
	}
	done := map[int]bool{}
	for _, a := range applied {
		done[a.Version] = true
	}
	var pending []string
	for _, m := range ms {
		if !done[m.Version] {
			pending = append(pending, m.Label())
		}
	}
	if len(pending) > 0 {
		return applied, fmt.Errorf("migrations not applied: %s", strings.Join(pending, ", "))
	}
	return applied, nil
}

func (d *DB) hasTable(ctx context.Context, name string) bool {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if d.Dialect == Postgres {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	}
	var n int
	return d.read.QueryRowContext(ctx, q, name).Scan(&n) == nil && n > 0
}

// ensureVersionTable creates schema_migrations, and upgrades the record an
// older Akinai kept (version, name, applied_at; "current" was its highest
// version): it adds the checksum column and fills it from ms for the
// migrations it knows, as the files are now. Versions ms lacks keep an
// empty checksum; compare then refuses them as too new.
func (d *DB) ensureVersionTable(ctx context.Context, ms []Migration) error {
	if _, err := d.write.ExecContext(ctx, d.translate(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		checksum TEXT NOT NULL DEFAULT '',
		applied_at TIMESTAMPTZ NOT NULL)`)); err != nil {
		return err
	}
	hasChecksum := d.hasColumn(ctx, "schema_migrations", "checksum")
	if hasChecksum {
		var empty int
		if err := d.write.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE checksum = ''").Scan(&empty); err != nil || empty == 0 {
			return err
		}
	}
	return d.Tx(ctx, func(tx *Tx) error {
		if !hasChecksum {
			if _, err := tx.Exec(ctx, "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT NOT NULL DEFAULT ''"); err != nil {
				return err
			}
		}
		for _, m := range ms {
			if _, err := tx.Exec(ctx, "UPDATE schema_migrations SET checksum = ? WHERE version = ? AND checksum = ''", m.Checksum, m.Version); err != nil {
				return err
			}
		}
		return nil
	})
}

func (d *DB) hasColumn(ctx context.Context, table, column string) bool {
	q := "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?"
	if d.Dialect == Postgres {
		q = "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2"
	}
	var n int
	return d.write.QueryRowContext(ctx, q, table, column).Scan(&n) == nil && n > 0
}
