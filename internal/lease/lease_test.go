package lease_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/lease"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// mustJobs creates a job table of the shape the package documents, with n
// due rows, and fixes the database's clock.
func mustJobs(t *testing.T, d *db.DB, n int) time.Time {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	d.Clock = func() time.Time { return now }
	id, ts := "BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ"
	if d.Dialect == db.SQLite {
		id, ts = "INTEGER PRIMARY KEY", "TIMESTAMP"
	}
	_, err := d.Exec(ctx, `CREATE TABLE lease_jobs (id `+id+`, status TEXT NOT NULL DEFAULT 'pending',
		attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at `+ts+` NOT NULL, locked_by TEXT NOT NULL DEFAULT '',
		locked_until `+ts+`, last_error TEXT NOT NULL DEFAULT '', done_at `+ts+`)`)
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := d.Exec(ctx, `INSERT INTO lease_jobs (next_attempt_at) VALUES (?)`, now); err != nil {
			t.Fatal(err)
		}
	}
	return now
}

func queue(instance string) *lease.Queue {
	return &lease.Queue{Table: "lease_jobs", Done: "done", DoneAt: "done_at", Dead: "failed",
		Instance: instance, Lease: time.Minute, Batch: 2, MaxAttempts: 2, BaseDelay: time.Hour, MaxDelay: 2 * time.Hour}
}

func claim(t *testing.T, d *db.DB, q *lease.Queue) []lease.Job {
	t.Helper()
	var jobs []lease.Job
	if err := d.Tx(context.Background(), func(tx *db.Tx) (err error) {
		jobs, err = q.Claim(context.Background(), tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return jobs
}

type jobRow struct {
	Status, LockedBy, LastError string
	Attempts                    int
}

func row(t *testing.T, d *db.DB, id int64) jobRow {
	t.Helper()
	var r jobRow
	if err := d.QueryRow(context.Background(), `SELECT status, locked_by, last_error, attempts FROM lease_jobs WHERE id = ?`, id).
		Scan(&r.Status, &r.LockedBy, &r.LastError, &r.Attempts); err != nil {
		t.Fatal(err)
	}
	return r
}

// A claimed row belongs to its worker until the lease runs out; then
// another worker claims it and the first one's outcome no longer applies,
// except that the work was done.
func TestQueue_ClaimLeaseFinishFail(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := mustJobs(t, d, 3)
		a, b := queue("a"), queue("b")

		got := claim(t, d, a)
		if len(got) != 2 || got[0].Attempts != 1 || !got[0].Until.Equal(now.Add(time.Minute)) {
			t.Fatalf("a claimed %+v", got)
		}
		if rest := claim(t, d, b); len(rest) != 1 || rest[0].ID == got[0].ID || rest[0].ID == got[1].ID {
			t.Fatalf("b claimed %+v next to a's %+v", rest, got)
		}
		if again := claim(t, d, b); len(again) != 0 {
			t.Fatalf("claimed leased rows %+v", again)
		}

		// a's lease on its rows runs out; b takes them.
		d.Clock = func() time.Time { return now.Add(2 * time.Minute) }
		if !got[0].Late(d.Now()) {
			t.Fatal("an expired lease is not late")
		}
		if taken := claim(t, d, b); len(taken) != 2 || taken[0].Attempts != 2 {
			t.Fatalf("b took %+v", taken)
		}
		var f lease.Failure
		if err := d.Tx(ctx, func(tx *db.Tx) (err error) {
			f, err = a.Fail(ctx, tx, got[0], "timeout", false)
			return err
		}); err != nil || f.Recorded {
			t.Fatalf("a failure recorded under b's lease: %+v %v", f, err)
		}
		if r := row(t, d, got[0].ID); r.Status != "pending" || r.LockedBy != "b" {
			t.Fatalf("after a's late failure: %+v", r)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return a.Finish(ctx, tx, got[1]) }); err != nil {
			t.Fatal(err)
		}
		if r := row(t, d, got[1].ID); r.Status != "done" || r.LockedBy != "" {
			t.Fatalf("after a's late finish: %+v", r)
		}

		// b's second attempt is the last: it fails for good.
		if err := d.Tx(ctx, func(tx *db.Tx) (err error) {
			f, err = b.Fail(ctx, tx, lease.Job{ID: got[0].ID, Attempts: 2}, "refused", false)
			return err
		}); err != nil || !f.Recorded || f.Status != "failed" {
			t.Fatalf("last attempt: %+v %v", f, err)
		}
		if r := row(t, d, got[0].ID); r.Status != "failed" || r.LastError != "refused" || r.LockedBy != "" {
			t.Fatalf("after the last attempt: %+v", r)
		}
	})
}

// A failure before the last attempt is retried after the back-off, not
// before.
func TestQueue_FailRetriesAfterBackoff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := mustJobs(t, d, 1)
		q := queue("a")
		j := claim(t, d, q)[0]
		var f lease.Failure
		if err := d.Tx(ctx, func(tx *db.Tx) (err error) {
			f, err = q.Fail(ctx, tx, j, strings.Repeat("x", 2000), false)
			return err
		}); err != nil || !f.Recorded || f.Status != "pending" || len(f.Error) != 1000 {
			t.Fatalf("failure: %+v %v", f.Status, err)
		}
		d.Clock = func() time.Time { return now.Add(44 * time.Minute) } // under 75 % of an hour
		if got := claim(t, d, q); len(got) != 0 {
			t.Fatal("claimed before the back-off")
		}
		d.Clock = func() time.Time { return now.Add(76 * time.Minute) } // past 125 %
		if got := claim(t, d, q); len(got) != 1 || got[0].Attempts != 2 {
			t.Fatalf("after the back-off: %+v", got)
		}
	})
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		attempt int
		want    time.Duration
	}{
		{1, 10 * time.Minute},
		{2, 20 * time.Minute},
		{4, 80 * time.Minute},
		{8, 12 * time.Hour}, // 1280 min, capped
	} {
		for range 50 {
			got := lease.Backoff(c.attempt, 10*time.Minute, 12*time.Hour)
			if got < c.want*3/4 || got > c.want*5/4 {
				t.Fatalf("attempt %d: %v, want %v ±25 %%", c.attempt, got, c.want)
			}
		}
	}
}

// A released job is due again at once, its claim not counted as an
// attempt; a worker that lost its lease cannot release it.
func TestQueue_Release(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := mustJobs(t, d, 1)
		a, b := queue("a"), queue("b")
		j := claim(t, d, a)[0]
		release := func(q *lease.Queue) bool {
			var ok bool
			if err := d.Tx(ctx, func(tx *db.Tx) (err error) {
				ok, err = q.Release(ctx, tx, j)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if release(b) {
			t.Fatal("b released a's job")
		}
		if !release(a) {
			t.Fatal("a could not release its job")
		}
		if r := row(t, d, j.ID); r.Status != "pending" || r.LockedBy != "" || r.Attempts != 0 {
			t.Fatalf("after release: %+v", r)
		}
		// Many slices never exhaust MaxAttempts (2).
		for range 3 {
			got := claim(t, d, a)
			if len(got) != 1 || got[0].Attempts != 1 {
				t.Fatalf("claim after release: %+v", got)
			}
			j = got[0]
			if !release(a) {
				t.Fatal("release failed")
			}
		}
		d.Clock = func() time.Time { return now.Add(time.Hour) }
		if got := claim(t, d, b); len(got) != 1 {
			t.Fatalf("released job not claimable: %+v", got)
		}
	})
}
