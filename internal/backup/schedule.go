package backup

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail"
)

// Settings keys: the last scheduled backup's outcome (JSON LastRun) and
// the claim that lets one instance of several take it.
const (
	lastKey  = "backup.last"
	claimKey = "backup.claim"
)

// LastRun is the outcome of the last scheduled backup, for the dashboard.
type LastRun struct {
	At       time.Time `json:"at"`
	OK       bool      `json:"ok"`
	Name     string    `json:"name,omitempty"`
	Where    string    `json:"where"`
	Size     int64     `json:"size,omitempty"`
	Error    string    `json:"error,omitempty"`
	Warnings []string  `json:"warnings,omitempty"`
	Pruned   int       `json:"pruned,omitempty"`
}

// Last returns the last scheduled backup's outcome, nil before the first.
func Last(ctx context.Context, q db.Queryer) (*LastRun, error) {
	var v string
	err := q.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", lastKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var l LastRun
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// Scheduler takes a backup every Every, keeps the newest Keep, records the
// outcome and mails the owners when a backup fails. With several
// instances on one database, a claim in the settings table makes one of
// them take each backup.
type Scheduler struct {
	DB      *db.DB
	Every   time.Duration
	Keep    int
	Target  Target
	Options Options // Now is set for each run
	Log     *slog.Logger
	// Check is how often the scheduler looks whether a backup is due
	// (default a minute).
	Check time.Duration
}

// Run takes backups until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	check := s.Check
	if check <= 0 {
		check = time.Minute
	}
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		if err := s.RunDue(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("scheduled backup", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue takes a backup when the last one is older than Every (an hour
// after a failed one) and this instance wins the claim. A failed backup is recorded and mailed, not
// returned; the error is about the bookkeeping.
func (s *Scheduler) RunDue(ctx context.Context) error {
	now := s.DB.Now()
	last, err := Last(ctx, s.DB)
	if err != nil {
		return err
	}
	wait := s.Every
	if last != nil && !last.OK {
		wait = min(wait, time.Hour) // after a failure, try again within the hour
	}
	if last != nil && now.Sub(last.At) < wait {
		return nil
	}
	won, err := s.claim(ctx, now)
	if err != nil || !won {
		return err
	}
	opts := s.Options
	opts.Now = now
	run := LastRun{At: now, Where: s.Target.String()}
	res, berr := Create(ctx, s.DB, s.Target, opts)
	if berr == nil {
		run.OK, run.Name, run.Size, run.Warnings = true, res.Name, res.Size, res.Warnings
		removed, err := s.Target.Prune(s.Keep)
		run.Pruned = len(removed)
		if err != nil {
			run.Warnings = append(run.Warnings, "removing old backups failed: "+err.Error())
		}
		s.Log.Info("scheduled backup taken", "name", res.Name, "where", run.Where, "bytes", res.Size, "pruned", len(removed))
	} else {
		run.Error = berr.Error()
		s.Log.Error("scheduled backup failed", "where", run.Where, "err", berr)
	}
	b, _ := json.Marshal(run)
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, lastKey, string(b), tx.Now()); err != nil {
			return err
		}
		if berr != nil {
			return mailOwners(ctx, tx, run)
		}
		return nil
	})
}

// claim takes the right to run the backup due now: the claim row is
// updated only when the previous claim is older than an hour (a crashed
// instance's claim expires) or older than the last run.
func (s *Scheduler) claim(ctx context.Context, now time.Time) (bool, error) {
	won := false
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var key string
		err := tx.QueryRow(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			WHERE settings.updated_at < ?
			RETURNING key`, claimKey, fmt.Sprint(now.UnixMicro()), now, now.Add(-min(s.Every, time.Hour))).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		won = err == nil
		return err
	})
	return won, err
}

// FailureMail is what the admin_backup_failed template receives.
type FailureMail struct {
	Name         string
	AntiPhishing string
	At           string
	Where        string
	Error        string
	Lang         string
}

// mailOwners queues the failure mail to every active owner, in the
// transaction that records the failure.
func mailOwners(ctx context.Context, tx *db.Tx, run LastRun) error {
	rows, err := tx.Query(ctx, `SELECT email, name, lang, anti_phishing FROM admins WHERE role = 'owner' AND status = 'active' ORDER BY id`)
	if err != nil {
		return err
	}
	var owners []FailureMail
	var emails []string
	for rows.Next() {
		var f FailureMail
		var email string
		if err := rows.Scan(&email, &f.Name, &f.Lang, &f.AntiPhishing); err != nil {
			rows.Close()
			return err
		}
		owners = append(owners, f)
		emails = append(emails, email)
	}
	rows.Close()
	jst := time.FixedZone("JST", 9*3600)
	for i, f := range owners {
		f.At, f.Where, f.Error = run.At.In(jst).Format("2006-01-02 15:04 MST"), run.Where, run.Error
		m, err := mail.Compose(ctx, tx, "admin_backup_failed", f.Lang, emails[i], f)
		if err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

// SampleMail is the data the admin previews the backup mail with.
func SampleMail(event, lang string) (any, bool) {
	if event != "admin_backup_failed" {
		return nil, false
	}
	return FailureMail{Name: "田中 花子", AntiPhishing: "さくら-42", At: "2025-04-01 03:00 JST", Where: "/var/backups/akinai",
		Error: "backup: writing akinai-20250401T030000.000Z.tar.gz to /var/backups/akinai failed (nothing was kept there): no space left on device", Lang: lang}, true
}
