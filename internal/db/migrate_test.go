package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// eachEmpty runs fn on a fresh, unmigrated database on both engines.
func eachEmpty(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, dbtest.MustOpenEmpty(t, e))
		})
	}
}

func embedded(t *testing.T) []db.Migration {
	t.Helper()
	ms, err := db.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func mustHaveTable(t *testing.T, d *db.DB, table string) {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("table %s after the upgrade: %v", table, err)
	}
}

// recordMatchesEmbedded checks that every embedded migration is recorded
// with its checksum.
func recordMatchesEmbedded(t *testing.T, d *db.DB) {
	t.Helper()
	applied, err := d.MigrationStatus(context.Background())
	if err != nil {
		t.Fatalf("status after the upgrade: %v", err)
	}
	ms := embedded(t)
	if len(applied) != len(ms) {
		t.Fatalf("%d migrations recorded, %d embedded", len(applied), len(ms))
	}
	for i, m := range ms {
		if applied[i].Version != m.Version || applied[i].Checksum != m.Checksum || applied[i].Name != m.Name {
			t.Fatalf("record %d = %+v, want %s with %s", i, applied[i], m.Label(), m.Checksum)
		}
	}
}

// The bug of issue 11.4: an older build's database already holds higher
// versions than a migration added later; the later one must still be
// applied.
func TestMigrateFillsAGap(t *testing.T) {
	t.Parallel()
	eachEmpty(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Apply(ctx, nil, dbtest.Older(t, embedded(t), "0060_phish_reports")); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM phish_reports").Scan(new(int)); err == nil {
			t.Fatal("phish_reports exists before the upgrade: the test proves nothing")
		}
		if err := d.Migrate(ctx, nil); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		mustHaveTable(t, d, "phish_reports")
		recordMatchesEmbedded(t, d)
		if err := d.Migrate(ctx, nil); err != nil {
			t.Fatalf("migrate again: %v", err)
		}
	})
}

// A database an older Akinai made keeps its record without checksums; the
// record is upgraded in place (checksums of the files as they are now) and
// the missing migrations are applied.
func TestMigrateUpgradesTheOldRecord(t *testing.T) {
	t.Parallel()
	eachEmpty(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Apply(ctx, nil, dbtest.Older(t, embedded(t), "0060_phish_reports")); err != nil {
			t.Fatal(err)
		}
		// The old record: version, name, applied_at.
		if _, err := d.Exec(ctx, "ALTER TABLE schema_migrations DROP COLUMN checksum"); err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx, nil); err != nil {
			t.Fatalf("upgrade from the old record: %v", err)
		}
		mustHaveTable(t, d, "phish_reports")
		recordMatchesEmbedded(t, d)
	})
}

func TestMigrateRefusesAChangedMigration(t *testing.T) {
	t.Parallel()
	eachEmpty(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ms := embedded(t)
		if err := d.Apply(ctx, nil, dbtest.Older(t, ms, "0060_phish_reports")); err != nil {
			t.Fatal(err)
		}
		changed := append([]db.Migration(nil), ms...)
		for i := range changed {
			if changed[i].Label() == "0022_orders" {
				changed[i].SQL += "\n-- edited after release\n"
				changed[i].Checksum = ""
			}
		}
		err := d.Apply(ctx, nil, changed)
		var ch *db.ErrChanged
		if !errors.As(err, &ch) || ch.Version != 22 || !strings.Contains(err.Error(), "0022_orders") {
			t.Fatalf("Apply(changed 0022) = %v, want ErrChanged naming 0022_orders", err)
		}
		// Nothing was applied: the missing migration is still missing.
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM phish_reports").Scan(new(int)); err == nil {
			t.Fatal("a migration was applied although the start was refused")
		}
	})
}

func TestMigrateRefusesANewerDatabase(t *testing.T) {
	t.Parallel()
	eachEmpty(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ms := embedded(t)
		future := db.Migration{Version: 9998, Name: "future", SQL: "CREATE TABLE future_thing (id INTEGER PRIMARY KEY);"}
		if err := d.Apply(ctx, nil, append(dbtest.Older(t, ms, "0060_phish_reports"), future)); err != nil {
			t.Fatal(err)
		}
		err := d.Migrate(ctx, nil)
		var tooNew *db.ErrTooNew
		if !errors.As(err, &tooNew) || tooNew.DB != 9998 || !strings.Contains(err.Error(), "9998_future") {
			t.Fatalf("Migrate on a newer database = %v, want ErrTooNew naming 9998_future", err)
		}
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM phish_reports").Scan(new(int)); err == nil {
			t.Fatal("a migration was applied although the start was refused")
		}
		if _, err := d.MigrationStatus(ctx); !errors.As(err, &tooNew) {
			t.Fatalf("MigrationStatus = %v, want ErrTooNew", err)
		}
	})
}
