package checkout

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/lease"
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

// queue is payment_captures under this worker's settings.
func (w *CaptureWorker) queue() *lease.Queue {
	return &lease.Queue{Table: "payment_captures", Done: "done", DoneAt: "done_at", Dead: "failed",
		Instance: w.Instance, Lease: w.Lease, Batch: w.Batch,
		MaxAttempts: w.MaxAttempts, BaseDelay: w.BaseDelay, MaxDelay: w.MaxDelay}
}

// Run captures until ctx ends.
func (w *CaptureWorker) Run(ctx context.Context) {
	w.defaults()
	lease.Run(ctx, w.Batch, w.Poll, w.RunOnce, func(err error) {
		w.Log.Error("checkout: capture scan failed", "err", err)
	})
}

type captureJob struct {
	lease.Job
	orderID int64
	number  string
}

// RunOnce claims one batch of due capture jobs and runs them. It returns
// how many it claimed.
func (w *CaptureWorker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	q := w.queue()
	jobs, err := w.claim(ctx, q)
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break // retried when the lease expires
		}
		if j.Late(w.DB.Now()) {
			continue
		}
		cerr := w.Service.Capture(ctx, j.number)
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if merr := w.mark(mctx, q, j, cerr); merr != nil {
			w.Log.Error("checkout: cannot record capture", "order", j.number, "err", merr)
		}
		cancel()
	}
	return len(jobs), nil
}

// claim leases up to Batch due jobs (lease.Queue.Claim) and reads their
// orders' numbers.
func (w *CaptureWorker) claim(ctx context.Context, q *lease.Queue) ([]captureJob, error) {
	var out []captureJob
	err := w.DB.Tx(ctx, func(tx *db.Tx) error {
		jobs, err := q.Claim(ctx, tx)
		if err != nil {
			return err
		}
		out = make([]captureJob, 0, len(jobs))
		for _, lj := range jobs {
			j := captureJob{Job: lj}
			err := tx.QueryRow(ctx, `SELECT c.order_id, o.number FROM payment_captures c JOIN orders o ON o.id = c.order_id
				WHERE c.id = ?`, j.ID).Scan(&j.orderID, &j.number)
			if err != nil {
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
func (w *CaptureWorker) mark(ctx context.Context, q *lease.Queue, j captureJob, cerr error) error {
	return w.DB.Tx(ctx, func(tx *db.Tx) error {
		if cerr == nil || shop.KindOf(cerr) == shop.Conflict {
			return q.Finish(ctx, tx, j.Job)
		}
		msg := cerr.Error()
		var se *shop.Error
		if errors.As(cerr, &se) && se.Cause != nil {
			msg = se.Cause.Error()
		}
		f, err := q.Fail(ctx, tx, j.Job, msg, shop.KindOf(cerr) == shop.Invalid)
		w.Log.Warn("checkout: capture failed", "order", j.number, "attempt", j.Attempts, "status", f.Status, "err", f.Error)
		if err != nil || !f.Recorded || f.Status != q.Dead {
			return err
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Actor: "system:" + w.Instance, Action: "order.capture_failed", Target: j.number,
			Details: map[string]any{"attempts": j.Attempts, "error": f.Error}})
		return err
	})
}
