package backup_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/backup"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

func addOwner(t *testing.T, d *db.DB, email string) {
	t.Helper()
	if _, err := d.Exec(context.Background(), `INSERT INTO admins (email, name, password_hash, role, lang, anti_phishing, webauthn_id, created_at, updated_at)
		VALUES (?, 'Owner', 'x', 'owner', 'ja', 'さくら-7', ?, ?, ?)`, email, []byte(email), d.Now(), d.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestScheduledBackups(t *testing.T) {
	t.Parallel()
	d, data := shop(t, dbtest.SQLite)
	addOwner(t, d, "owner@example.jp")
	now := time.Date(2026, 4, 1, 3, 0, 0, 0, time.UTC)
	d.Clock = func() time.Time { return now }
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	// A target that cannot be written: the failure is recorded and mailed.
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	bad := &backup.Scheduler{DB: d, Every: 24 * time.Hour, Keep: 2, Target: backup.Dir(filepath.Join(file, "x")), Options: backup.Options{DataDir: data}, Log: log}
	if err := bad.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	last, err := backup.Last(ctx, d)
	if err != nil || last == nil || last.OK || !strings.Contains(last.Error, "backup directory") {
		t.Fatalf("after a failed backup: %+v, %v", last, err)
	}
	var to, subject, body string
	if err := d.QueryRow(ctx, "SELECT to_addr, subject, body_text FROM outbox WHERE event = 'admin_backup_failed'").Scan(&to, &subject, &body); err != nil {
		t.Fatalf("no failure mail: %v", err)
	}
	if to != "owner@example.jp" || !strings.Contains(subject, "バックアップに失敗") || !strings.Contains(body, "さくら-7") || !strings.Contains(body, "backup directory") {
		t.Fatalf("failure mail to %s: %s\n%s", to, subject, body)
	}

	// A good target, backups a day apart: the newest two are kept. Two
	// schedulers (two instances) take each backup once.
	dir := t.TempDir()
	good := &backup.Scheduler{DB: d, Every: 24 * time.Hour, Keep: 2, Target: backup.Dir(dir), Options: backup.Options{DataDir: data}, Log: log}
	twin := *good
	for day := range 4 {
		now = now.Add(25 * time.Hour)
		if err := good.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if err := twin.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		last, _ := backup.Last(ctx, d)
		if !last.OK || !last.At.Equal(now) {
			t.Fatalf("day %d: %+v", day, last)
		}
	}
	names, _ := backup.Dir(dir).Backups()
	if len(names) != 2 {
		t.Fatalf("%d backups kept, want 2: %v", len(names), names)
	}
	// Not due yet: nothing happens.
	now = now.Add(time.Hour)
	good.RunDue(ctx)
	if again, _ := backup.Dir(dir).Backups(); len(again) != 2 || again[1] != names[1] {
		t.Fatalf("a backup was taken before it was due: %v", again)
	}
	var mails int
	d.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE event = 'admin_backup_failed'").Scan(&mails)
	if mails != 1 {
		t.Fatalf("%d failure mails, want 1", mails)
	}
}
