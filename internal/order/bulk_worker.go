package order

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/lease"
	"github.com/akinai/akinai/internal/shop"
)

// BulkFunc does a job's action to one order inside tx. A *shop.Error
// that is not Internal means the rules refused this order (its key is
// shown); any other error is a failure. Either way the order's changes
// roll back and the job goes on with the next order.
type BulkFunc func(ctx context.Context, tx *db.Tx, job *BulkJob, it BulkItem) error

// BulkPrepare readies an action for one slice of a job, before any
// transaction is open: what it reads (shop settings, carriers) is read
// once, not once per order, and never through the pool while a
// transaction holds a connection.
type BulkPrepare func(ctx context.Context, job *BulkJob) (BulkFunc, error)

// BulkWorker does bulk jobs: it claims one job under a lease, does its
// orders one transaction each — the order's change and its outcome row
// commit together, so a job resumed after a crash skips what was done —
// and gives the job back (lease.Queue.Release) when its lease runs short,
// to be picked up again at once by this or another instance.
type BulkWorker struct {
	DB       *db.DB
	Log      *slog.Logger
	Instance string
	Lease    time.Duration // default 2 minutes
	Poll     time.Duration // default 1 second
	// Actions beside BulkStatus, which the worker knows itself.
	Actions map[string]BulkPrepare
}

func (w *BulkWorker) queue() *lease.Queue {
	l := w.Lease
	if l <= 0 {
		l = 2 * time.Minute
	}
	return &lease.Queue{Table: "order_bulk_jobs", Done: "done", DoneAt: "finished_at", Dead: "failed",
		Instance: w.Instance, Lease: l, Batch: 1, MaxAttempts: 5, BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Minute}
}

// Run does jobs until ctx ends.
func (w *BulkWorker) Run(ctx context.Context) {
	poll := w.Poll
	if poll <= 0 {
		poll = time.Second
	}
	lease.Run(ctx, 1, poll, w.RunOnce, func(err error) {
		w.Log.Error("bulk job worker", "err", err)
	})
}

// RunOnce claims one due job and works on it until it is done or its
// lease runs short. It returns 1 when it had a job (so Run looks for the
// next one at once), 0 when none was due.
func (w *BulkWorker) RunOnce(ctx context.Context) (int, error) {
	q := w.queue()
	var jobs []lease.Job
	if err := w.DB.Tx(ctx, func(tx *db.Tx) (err error) {
		jobs, err = q.Claim(ctx, tx)
		return err
	}); err != nil || len(jobs) == 0 {
		return 0, err
	}
	lj := jobs[0]
	err := w.work(ctx, q, lj)
	if err != nil && ctx.Err() == nil {
		ferr := w.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := q.Fail(ctx, tx, lj, err.Error(), false)
			return err
		})
		return 1, errors.Join(err, ferr)
	}
	return 1, err
}

// sliceMargin is how long before its lease ends a worker stops taking
// orders and gives the job back.
const sliceMargin = 20 * time.Second

func (w *BulkWorker) work(ctx context.Context, q *lease.Queue, lj lease.Job) error {
	job, err := Bulk(ctx, w.DB, lj.ID)
	if err != nil {
		return err
	}
	var fn BulkFunc
	if job.Action == BulkStatus {
		fn = moveInBulk
	} else if prep := w.Actions[job.Action]; prep != nil {
		if fn, err = prep(ctx, job); err != nil {
			return err
		}
	} else {
		return fmt.Errorf("bulk job %d: no worker for action %q", job.ID, job.Action)
	}
	stop := lj.Until.Add(-min(sliceMargin, q.Lease/2))
	for {
		todo, err := bulkTodo(ctx, w.DB, job.ID, 200)
		if err != nil {
			return err
		}
		if len(todo) == 0 {
			return w.DB.Tx(ctx, func(tx *db.Tx) error { return q.Finish(ctx, tx, lj) })
		}
		for _, it := range todo {
			if ctx.Err() != nil || w.DB.Now().After(stop) {
				return w.DB.Tx(ctx, func(tx *db.Tx) error {
					_, err := q.Release(ctx, tx, lj)
					return err
				})
			}
			if err := w.one(ctx, job, fn, it); err != nil {
				return err
			}
		}
	}
}

// errTaken rolls back an order's transaction when its outcome was
// recorded meanwhile (a second worker after this one's lease expired).
var errTaken = errors.New("bulk item already done")

// one does the job to one order: the change and the outcome commit
// together; a refusal or failure is recorded in a second transaction
// after the first rolled back. Only an error recording the outcome stops
// the job.
func (w *BulkWorker) one(ctx context.Context, job *BulkJob, fn BulkFunc, it BulkItem) error {
	err := w.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := fn(ctx, tx, job, it); err != nil {
			return err
		}
		return setOutcome(ctx, tx, job.ID, it.OrderID, OutcomeChanged, "")
	})
	if err == nil || errors.Is(err, errTaken) {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	outcome, msg := OutcomeFailed, err.Error()
	var se *shop.Error
	if errors.As(err, &se) && se.Kind != shop.Internal {
		outcome, msg = OutcomeRefused, se.Key
	} else {
		w.Log.Error("bulk job: order failed", "job", job.ID, "order", it.Number, "err", err)
	}
	if len(msg) > 500 {
		msg = msg[:500]
	}
	err = w.DB.Tx(ctx, func(tx *db.Tx) error { return setOutcome(ctx, tx, job.ID, it.OrderID, outcome, msg) })
	if errors.Is(err, errTaken) {
		return nil
	}
	return err
}

func setOutcome(ctx context.Context, tx *db.Tx, jobID, orderID int64, outcome, msg string) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE order_bulk_items SET outcome = ?, message = ? WHERE job_id = ? AND order_id = ? AND outcome = ''`,
		outcome, msg, jobID, orderID))
	if err == nil && n != 1 {
		return errTaken
	}
	return err
}

// bulkTodo returns up to limit orders of a job still to do.
func bulkTodo(ctx context.Context, q db.Queryer, jobID int64, limit int) ([]BulkItem, error) {
	rows, err := q.Query(ctx, `SELECT i.order_id, o.number, i.param FROM order_bulk_items i JOIN orders o ON o.id = i.order_id
		WHERE i.job_id = ? AND i.outcome = '' ORDER BY i.order_id LIMIT ?`, jobID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BulkItem
	for rows.Next() {
		var it BulkItem
		if err := rows.Scan(&it.OrderID, &it.Number, &it.Param); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// moveInBulk moves one order to the job's status: the version is bumped
// (an edit page opened before gets a conflict), Move checks the
// transition and returns stock on cancelling, and the change is
// audit-logged in the admin's name.
func moveInBulk(ctx context.Context, tx *db.Tx, job *BulkJob, it BulkItem) error {
	if _, err := tx.Exec(ctx, `UPDATE orders SET version = version + 1 WHERE id = ?`, it.OrderID); err != nil {
		return err
	}
	to := Status(job.Param)
	if err := Move(ctx, tx, it.Number, to, job.Note); err != nil {
		return err
	}
	_, err := audit.Append(ctx, tx, BulkAudit(job, "order.status", it.Number, map[string]any{"to": string(to)}))
	return err
}

// BulkAudit is the audit entry of a bulk job's change to one order, in
// the name of the admin who started the job.
func BulkAudit(job *BulkJob, action, number string, details map[string]any) audit.Entry {
	if details == nil {
		details = map[string]any{}
	}
	details["bulk_job"] = job.ID
	return audit.Entry{ActorID: job.ActorID, Actor: job.Actor, Address: job.Address, Action: action, Target: number, Details: details}
}
