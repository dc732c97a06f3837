package checkout

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// CaptureWorker runs the card captures queued when orders ship (table
// payment_captures): a job is claimed under a lease in one short
// transaction, the provider is called outside any transaction
// (Service.Capture, which records the payment row), and the outcome is
// marked in a second. Several workers, in one process or several
// instances, may run at once: the conditional UPDATE of the claim makes a
// job theirs alone. A provider that cannot be reached is retried with
// doubling back-off; a refusal (an expired authorisation) fails the job at
// once. A failed job shows on the admin's order page and is written to the
// audit log. A capture that ran but whose mark was lost runs again after
// the lease: Service.Capture sees the captured payment and does nothing,
// and the provider's idempotency key guards the call itself.
type CaptureWorker struct {
	DB       *db.DB
	Service  *Service
	Log      *slog.Logger
	Instance string

	MaxAttempts int           // default 8
	BaseDelay   time.Duration // default 5 min, doubled per attempt
	MaxDelay    time.Duration // default 6 h
	Lease       time.Duration // default 5 min; must exceed Batch × the provider's timeout
	Batch       int           // default 10
	Poll        time.Duration // default 10 s
}

func (w *CaptureWorker) defaults() {
	if w.MaxAttempts == 0 {
		w.MaxAttempts = 8
	}
	if w.BaseDelay == 0 {
		w.BaseDelay = 5 * time.Minute
	}
	if w.MaxDelay == 0 {
		w.MaxDelay = 6 * time.Hour
	}
	if w.Lease == 0 {
		w.Lease = 5 * time.Minute
	}
	if w.Batch == 0 {
		w.Batch = 10
	}
	if w.Poll == 0 {
		w.Poll = 10 * time.Second
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Instance == "" {
		b := make([]byte, 6)
		rand.Read(b)
		w.Instance = "capture-" + hex.EncodeToString(b)
	}
}

// Run captures until ctx ends.
func (w *CaptureWorker) Run(ctx context.Context) {
	w.defaults()
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Error("checkout: capture scan failed", "err", err)
		}
		if err == nil && n == w.Batch {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(w.Poll):
		}
	}
}

type captureJob struct {
	id, orderID int64
	number      string
	attempts    int
	lockedUntil time.Time
}

// RunOnce claims one batch of due capture jobs and runs them. It returns
// how many it claimed.
func (w *CaptureWorker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	jobs, err := w.claim(ctx)
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break // retried when the lease expires
		}
		if w.DB.Now().After(j.lockedUntil.Add(-time.Second)) {
			continue
		}
		cerr := w.Service.Capture(ctx, j.number)
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if merr := w.mark(mctx, j, cerr); merr != nil {
			w.Log.Error("checkout: cannot record capture", "order", j.number, "err", merr)
		}
		cancel()
	}
	return len(jobs), nil
}

func (w *CaptureWorker) claim(ctx context.Context) ([]captureJob, error) {
	var out []captureJob
	err := w.DB.Tx(ctx, func(tx *db.Tx) error {
		out = out[:0]
		now := tx.Now()
		rows, err := tx.Query(ctx, `SELECT id FROM payment_captures
			WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
			ORDER BY next_attempt_at, id LIMIT ?`+tx.SkipLocked(), now, now, w.Batch)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		until := now.Add(w.Lease)
		for _, id := range ids {
			j := captureJob{id: id, lockedUntil: until}
			err := tx.QueryRow(ctx, `UPDATE payment_captures SET locked_by = ?, locked_until = ?, attempts = attempts + 1
				WHERE id = ? AND status = 'pending' AND (locked_until IS NULL OR locked_until < ?)
				RETURNING order_id, attempts`, w.Instance, until, id, now).Scan(&j.orderID, &j.attempts)
			if errors.Is(err, sql.ErrNoRows) {
				continue // another worker took it
			}
			if err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `SELECT number FROM orders WHERE id = ?`, j.orderID).Scan(&j.number); err != nil {
				return err
			}
			out = append(out, j)
		}
		return nil
	})
	return out, err
}

// mark records a capture's outcome: done (captured, or nothing left to
// capture), rescheduled, or failed and audit-logged.
func (w *CaptureWorker) mark(ctx context.Context, j captureJob, cerr error) error {
	return w.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if cerr == nil || shop.KindOf(cerr) == shop.Conflict {
			_, err := tx.Exec(ctx, `UPDATE payment_captures SET status = 'done', done_at = ?, locked_by = '', locked_until = NULL, last_error = ''
				WHERE id = ? AND status = 'pending'`, now, j.id)
			return err
		}
		status, next := "pending", now.Add(w.backoff(j.attempts))
		if shop.KindOf(cerr) == shop.Invalid || j.attempts >= w.MaxAttempts {
			status, next = "failed", now
		}
		msg := cerr.Error()
		var se *shop.Error
		if errors.As(cerr, &se) && se.Cause != nil {
			msg = se.Cause.Error()
		}
		if len(msg) > 1000 {
			msg = msg[:1000]
		}
		w.Log.Warn("checkout: capture failed", "order", j.number, "attempt", j.attempts, "status", status, "err", msg)
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE payment_captures SET status = ?, next_attempt_at = ?, locked_by = '', locked_until = NULL, last_error = ?
			WHERE id = ? AND status = 'pending' AND locked_by = ?`, status, next, msg, j.id, w.Instance))
		if err != nil || n != 1 || status != "failed" {
			return err
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Actor: "system:" + w.Instance, Action: "order.capture_failed", Target: j.number,
			Details: map[string]any{"attempts": j.attempts, "error": msg}})
		return err
	})
}

// backoff is BaseDelay doubled per attempt, capped at MaxDelay, ±25 %.
func (w *CaptureWorker) backoff(attempt int) time.Duration {
	d := float64(w.BaseDelay) * math.Pow(2, float64(attempt-1))
	d = min(d, float64(w.MaxDelay))
	return time.Duration(d * (0.75 + 0.5*mrand.Float64()))
}
