package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/akinai/akinai/internal/admin"
	"github.com/akinai/akinai/internal/backup"
	"github.com/akinai/akinai/internal/buildinfo"
	"github.com/akinai/akinai/internal/web"
)

// BackupConfig schedules backups inside `akinai serve`.
type BackupConfig struct {
	Every time.Duration // 0: no scheduled backups
	To    string        // directory or s3://bucket/prefix (default DATA/backups)
	Keep  int           // newest backups kept in a directory
}

func (b *BackupConfig) bind(fs *flag.FlagSet) {
	every, _ := time.ParseDuration(env("AKINAI_BACKUP_EVERY", "0"))
	fs.DurationVar(&b.Every, "backup-every", every, "take a backup this often, e.g. 24h (0: off; the secret key is sealed with AKINAI_BACKUP_PASSPHRASE[_FILE], else left out) [AKINAI_BACKUP_EVERY]")
	fs.StringVar(&b.To, "backup-to", env("AKINAI_BACKUP_TO", ""), "where scheduled backups go: a directory or s3://bucket/prefix (default DATA/backups) [AKINAI_BACKUP_TO]")
	keep := 7
	fmt.Sscan(env("AKINAI_BACKUP_KEEP", "7"), &keep)
	fs.IntVar(&b.Keep, "backup-keep", keep, "how many scheduled backups to keep in the directory [AKINAI_BACKUP_KEEP]")
}

// backupWorker is the scheduled-backup worker, nil when none is set.
func (a *shopApp) backupWorker() (*backup.Scheduler, error) {
	b := a.cfg.Backup
	if b.Every <= 0 {
		return nil, nil
	}
	if b.Every < time.Hour {
		return nil, fmt.Errorf("--backup-every must be at least 1h, not %s", b.Every)
	}
	to := b.To
	if to == "" {
		to = filepath.Join(a.cfg.DataDir, "backups")
	}
	target, err := backupTarget(to)
	if err != nil {
		return nil, err
	}
	pass, err := backupPassphrase("")
	if err != nil {
		return nil, err
	}
	info := buildinfo.Read()
	opts := backup.Options{DataDir: a.cfg.DataDir, Secret: a.cfg.Secret, Passphrase: pass, DatabaseURL: a.cfg.DatabaseURL, Version: info.Version, Revision: info.Revision}
	if dir, ok := target.(backup.Dir); ok {
		if err := os.MkdirAll(string(dir), 0o700); err != nil {
			return nil, fmt.Errorf("--backup-to: %w", err)
		}
		opts.Staging = string(dir)
	}
	return &backup.Scheduler{DB: a.db, Every: b.Every, Keep: b.Keep, Target: target, Options: opts, Log: a.log}, nil
}

// backupCard is the dashboard card with the last scheduled backup.
func (a *shopApp) backupCard(r *http.Request) (*admin.Card, error) {
	last, err := backup.Last(r.Context(), a.db)
	if err != nil {
		return nil, err
	}
	c := &admin.Card{ID: "backup-status", Title: web.T(r, "ops.backup.title")}
	switch {
	case last == nil && a.cfg.Backup.Every <= 0:
		c.State, c.Headline = "warn", web.T(r, "ops.backup.off")
		c.Lines = []string{web.T(r, "ops.backup.off_hint")}
		return c, nil
	case last == nil:
		c.State, c.Headline = "warn", web.T(r, "ops.backup.pending")
		return c, nil
	}
	at := last.At.In(time.FixedZone("JST", 9*3600)).Format("2006-01-02 15:04")
	if last.OK {
		c.State, c.Headline = "ok", web.T(r, "ops.backup.ok", at)
		c.Lines = append(c.Lines, web.T(r, "ops.backup.where", last.Name, last.Where, last.Size))
		if time.Since(last.At) > 2*max(a.cfg.Backup.Every, 24*time.Hour) {
			c.State, c.Headline = "bad", web.T(r, "ops.backup.stale", at)
		}
	} else {
		c.State, c.Headline = "bad", web.T(r, "ops.backup.failed", at)
		c.Lines = append(c.Lines, last.Error)
	}
	c.Lines = append(c.Lines, last.Warnings...)
	return c, nil
}
