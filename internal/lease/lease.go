// Package lease is the protocol of Akinai's job tables: work that must
// happen after a commit (a mail, a card capture) is a row written in that
// commit and done later by a worker that holds the row under a lease.
//
// A job table has the columns id, status ('pending' while work is left),
// attempts, next_attempt_at, locked_by, locked_until and last_error, plus
// a timestamp column for the time the job finished. A worker claims due
// rows in one short transaction (Claim), does the work outside any
// transaction, and records the outcome in a second (Finish or Fail). A
// lease that runs out — its worker died — makes the row claimable again,
// so work is done at least once; the conditional UPDATEs make two live
// workers never hold one row at a time.
package lease

import (
	"context"
	"database/sql"
	"errors"
	"math"
	mrand "math/rand/v2"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// Queue describes one job table and the worker using it. Table, DoneAt,
// Done and Dead are SQL identifiers and literals written in the caller's
// code, never input: they are put into the statements as they are.
type Queue struct {
	Table  string // e.g. "outbox"
	Done   string // status of a finished job, e.g. "sent"
	DoneAt string // column for the time it finished, e.g. "sent_at"
	Dead   string // status of a job given up, e.g. "dead"

	Instance    string        // names the worker in locked_by
	Lease       time.Duration // how long a claim holds
	Batch       int           // rows claimed at once
	MaxAttempts int           // a job fails for good at this attempt
	BaseDelay   time.Duration // wait after the first failure, doubled each time
	MaxDelay    time.Duration // longest wait
}

// Job is a row under this worker's lease.
type Job struct {
	ID       int64
	Attempts int       // counting the one under way
	Until    time.Time // end of the lease
}

// Late reports whether the lease ends within a second of now: too late to
// start the work, since another worker may claim the row at any moment.
// The row is left for the next claim.
func (j Job) Late(now time.Time) bool {
	return now.After(j.Until.Add(-time.Second))
}

// Claim leases up to q.Batch due rows in tx: pending, due, and not leased
// or with an expired lease. On PostgreSQL FOR UPDATE SKIP LOCKED lets
// concurrent workers pass each other's rows; on SQLite the single writer
// serialises claims. The conditional UPDATE is what makes a claim
// exclusive on both. The attempt is counted at claim time, so a job that
// crashes its worker still fails after MaxAttempts.
//
// The caller reads the rows' own columns in the same tx.
func (q *Queue) Claim(ctx context.Context, tx *db.Tx) ([]Job, error) {
	now := tx.Now()
	rows, err := tx.Query(ctx, `SELECT id FROM `+q.Table+`
		WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
		ORDER BY next_attempt_at, id LIMIT ?`+tx.SkipLocked(), now, now, q.Batch)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	until := now.Add(q.Lease)
	var jobs []Job
	for _, id := range ids {
		j := Job{ID: id, Until: until}
		err := tx.QueryRow(ctx, `UPDATE `+q.Table+` SET locked_by = ?, locked_until = ?, attempts = attempts + 1
			WHERE id = ? AND status = 'pending' AND (locked_until IS NULL OR locked_until < ?)
			RETURNING attempts`, q.Instance, until, id, now).Scan(&j.Attempts)
		if errors.Is(err, sql.ErrNoRows) {
			continue // another worker took it between our SELECT and UPDATE
		}
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// Finish marks a job q.Done. It applies even when the lease has passed to
// another worker: the work has been done.
func (q *Queue) Finish(ctx context.Context, tx *db.Tx, j Job) error {
	_, err := tx.Exec(ctx, `UPDATE `+q.Table+` SET status = ?, `+q.DoneAt+` = ?, locked_by = '', locked_until = NULL, last_error = ''
		WHERE id = ? AND status = 'pending'`, q.Done, tx.Now(), j.ID)
	return err
}

// Release gives a job back unfinished and due at once, without counting
// the claim as an attempt: for long jobs done in slices (a bulk action on
// 10,000 orders), each slice under one claim, whose progress is kept in
// the job's own rows. It applies only while this worker still holds the
// lease; the returned bool says whether it did.
func (q *Queue) Release(ctx context.Context, tx *db.Tx, j Job) (bool, error) {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE `+q.Table+` SET locked_by = '', locked_until = NULL, next_attempt_at = ?, attempts = attempts - 1
		WHERE id = ? AND status = 'pending' AND locked_by = ?`, tx.Now(), j.ID, q.Instance))
	return n == 1, err
}

// Failure is what Fail recorded.
type Failure struct {
	Status   string // "pending" again, or q.Dead
	Error    string // the message as stored, at most 1000 bytes
	Recorded bool   // false when this worker no longer held the lease
}

// Fail records a failed attempt: the job is pending again after Backoff,
// or q.Dead when giveUp is set or it was the last attempt. It applies only
// while this worker still holds the lease.
func (q *Queue) Fail(ctx context.Context, tx *db.Tx, j Job, msg string, giveUp bool) (Failure, error) {
	now := tx.Now()
	f := Failure{Status: "pending", Error: msg}
	next := now.Add(Backoff(j.Attempts, q.BaseDelay, q.MaxDelay))
	if giveUp || j.Attempts >= q.MaxAttempts {
		f.Status, next = q.Dead, now
	}
	if len(f.Error) > 1000 {
		f.Error = f.Error[:1000]
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE `+q.Table+` SET status = ?, next_attempt_at = ?, locked_by = '', locked_until = NULL, last_error = ?
		WHERE id = ? AND status = 'pending' AND locked_by = ?`, f.Status, next, f.Error, j.ID, q.Instance))
	f.Recorded = n == 1
	return f, err
}

// Backoff returns the wait after the attempt-th failure: base doubled per
// attempt, capped at max, with ±25 % jitter so that jobs that failed
// together do not retry together.
func Backoff(attempt int, base, max time.Duration) time.Duration {
	d := float64(base) * math.Pow(2, float64(attempt-1))
	d = min(d, float64(max))
	return time.Duration(d * (0.75 + 0.5*mrand.Float64()))
}

// Run calls once until ctx ends: again at once after a full batch, and
// after poll when the table is idle or a scan failed (reported to fail).
func Run(ctx context.Context, batch int, poll time.Duration, once func(context.Context) (int, error), fail func(error)) {
	for ctx.Err() == nil {
		n, err := once(ctx)
		// A database that cannot write is logged once by the db package;
		// the worker retries quietly at its next poll.
		if err != nil && ctx.Err() == nil && !db.IsUnavailable(err) {
			fail(err)
		}
		if err == nil && n == batch {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(poll):
		}
	}
}
