package mail_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
)

// testClock is a settable clock for db.DB.Clock, so retries and leases
// are driven by the test instead of by waiting.
type testClock struct{ ns atomic.Int64 }

func newClock(d *db.DB) *testClock {
	c := &testClock{}
	c.ns.Store(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	d.Clock = c.Now
	return c
}
func (c *testClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *testClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func enqueue(t *testing.T, d *db.DB, n int) []int64 {
	t.Helper()
	var ids []int64
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		for i := range n {
			id, err := mail.Enqueue(context.Background(), tx, &mail.Message{
				Event: "test", To: fmt.Sprintf("c%d@example.jp", i), Subject: fmt.Sprintf("注文 %d", i), Text: "本文",
			})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func newWorker(d *db.DB, ts *testServer, name string) *mail.Worker {
	s, _ := mail.NewSMTP(mail.SMTPConfig{Host: ts.Host, Port: ts.Port, TLS: "none"})
	return &mail.Worker{DB: d, Sender: s, Instance: name, From: "shop@example.jp", FromName: "商い茶舗", Domain: "example.jp"}
}

type row struct {
	Status, MessageID, LastError string
	Attempts                     int
}

func outboxRow(t *testing.T, d *db.DB, id int64) row {
	t.Helper()
	var r row
	err := d.QueryRow(context.Background(), "SELECT status, message_id, last_error, attempts FROM outbox WHERE id = ?", id).
		Scan(&r.Status, &r.MessageID, &r.LastError, &r.Attempts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func runOnce(t *testing.T, w *mail.Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWorker_Delivers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ts := startServer(t, serverOpts{})
		ids := enqueue(t, d, 3)
		w := newWorker(d, ts, "w1")
		if n := runOnce(t, w); n != 3 {
			t.Fatalf("claimed %d", n)
		}
		got := ts.Received()
		if len(got) != 3 {
			t.Fatalf("received %d", len(got))
		}
		for i, id := range ids {
			r := outboxRow(t, d, id)
			want := fmt.Sprintf("<outbox-%d.", id)
			if r.Status != "sent" || r.Attempts != 1 || len(r.MessageID) < len(want) || r.MessageID[:len(want)] != want || r.MessageID[len(r.MessageID)-12:] != "@example.jp>" {
				t.Fatalf("row %d = %+v", id, r)
			}
			if got[i].MessageID != r.MessageID || got[i].To != fmt.Sprintf("c%d@example.jp", i) || got[i].From != "shop@example.jp" {
				t.Fatalf("message %d = %+v, row %+v", i, got[i], r)
			}
		}
		if n := runOnce(t, w); n != 0 {
			t.Fatalf("claimed %d sent rows again", n)
		}
	})
}

func TestWorker_TemporaryFailureThenAccept(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clock := newClock(d)
		ts := startServer(t, serverOpts{})
		ts.fail = func(n int) error {
			if n <= 2 {
				return tempFail
			}
			return nil
		}
		id := enqueue(t, d, 1)[0]
		w := newWorker(d, ts, "w1")
		runOnce(t, w)
		r := outboxRow(t, d, id)
		if r.Status != "pending" || r.Attempts != 1 || r.LastError == "" {
			t.Fatalf("after 451: %+v", r)
		}
		firstID := r.MessageID
		if n := runOnce(t, w); n != 0 {
			t.Fatalf("retried before the back-off: claimed %d", n)
		}
		clock.Advance(13 * time.Minute) // first delay: 10 min ±25 %
		runOnce(t, w)
		if r := outboxRow(t, d, id); r.Attempts != 2 || r.Status != "pending" {
			t.Fatalf("after second 451: %+v", r)
		}
		clock.Advance(26 * time.Minute) // second delay: 20 min ±25 %
		runOnce(t, w)
		r = outboxRow(t, d, id)
		if r.Status != "sent" || r.Attempts != 3 || r.LastError != "" || r.MessageID != firstID {
			t.Fatalf("after accept: %+v (first Message-ID %s)", r, firstID)
		}
		if got := ts.Received(); len(got) != 1 || got[0].MessageID != firstID {
			t.Fatalf("received %+v", got)
		}
	})
}

func TestWorker_DeadAfterLastTry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clock := newClock(d)
		ts := startServer(t, serverOpts{})
		ts.fail = func(int) error { return tempFail }
		id := enqueue(t, d, 1)[0]
		w := newWorker(d, ts, "w1")
		var total time.Duration
		for i := 1; i <= 8; i++ {
			if n := runOnce(t, w); n != 1 {
				t.Fatalf("try %d: claimed %d", i, n)
			}
			if i < 8 {
				// Back-off doubles from 10 minutes, with ±25 % jitter.
				var next time.Time
				d.QueryRow(context.Background(), "SELECT next_attempt_at FROM outbox WHERE id = ?", id).Scan(&next)
				delay, base := next.Sub(clock.Now()), 10*time.Minute<<(i-1)
				if delay < base*3/4 || delay > base*5/4 {
					t.Fatalf("delay after try %d = %v, want %v ±25 %%", i, delay, base)
				}
				total += delay
				clock.Advance(delay + time.Second)
			}
		}
		// 8 tries spread over about a day: 10 min × (2⁷−1) ≈ 21 h ±25 %.
		if total < 15*time.Hour || total > 27*time.Hour {
			t.Fatalf("8 tries span %v", total)
		}
		r := outboxRow(t, d, id)
		if r.Status != "dead" || r.Attempts != 8 {
			t.Fatalf("after 8 tries: %+v", r)
		}
		if n := runOnce(t, w); n != 0 {
			t.Fatal("a dead row was claimed")
		}
		ts.mu.Lock()
		attempts := ts.attempts
		ts.mu.Unlock()
		if attempts != 8 {
			t.Fatalf("server saw %d attempts", attempts)
		}
	})
}

func TestWorker_PermanentFailureIsDeadAtOnce(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ts := startServer(t, serverOpts{})
	ts.fail = func(int) error { return permFail }
	id := enqueue(t, d, 1)[0]
	runOnce(t, newWorker(d, ts, "w1"))
	if r := outboxRow(t, d, id); r.Status != "dead" || r.Attempts != 1 {
		t.Fatalf("after 550: %+v", r)
	}
}

// A worker that crashed after claiming leaves rows leased to it; they are
// claimed again once the lease expires and keep their Message-ID.
func TestWorker_ExpiredLeaseIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clock := newClock(d)
		ts := startServer(t, serverOpts{})
		id := enqueue(t, d, 1)[0]
		_, err := d.Exec(context.Background(), `UPDATE outbox SET locked_by = 'crashed', locked_until = ?, attempts = 1, message_id = '<outbox-1.crashed@example.jp>' WHERE id = ?`,
			clock.Now().Add(15*time.Minute), id)
		if err != nil {
			t.Fatal(err)
		}
		w := newWorker(d, ts, "w2")
		if n := runOnce(t, w); n != 0 {
			t.Fatal("claimed a row under a live lease")
		}
		clock.Advance(16 * time.Minute)
		if n := runOnce(t, w); n != 1 {
			t.Fatal("expired lease not reclaimed")
		}
		r := outboxRow(t, d, id)
		got := ts.Received()
		if r.Status != "sent" || r.Attempts != 2 || len(got) != 1 || got[0].MessageID != "<outbox-1.crashed@example.jp>" {
			t.Fatalf("row %+v, received %+v", r, got)
		}
	})
}

// The worker is stopped in the middle of a batch while the server holds
// the third mail without answering. A new worker then delivers the rest:
// nothing is lost, and only the mail in flight at the crash — which the
// server had received but the worker never saw accepted — arrives twice,
// with the same Message-ID. That is the documented at-least-once edge.
func TestWorker_CrashMidBatch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clock := newClock(d)
		ts := startServer(t, serverOpts{})
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		ctx, cancel := context.WithCancel(context.Background())
		ts.onData = func(n int) {
			if n == 3 {
				cancel()
				<-release
			}
		}
		ids := enqueue(t, d, 6)
		w1 := newWorker(d, ts, "w1")
		w1.Run(ctx) // returns once ctx is cancelled

		ts.mu.Lock()
		ts.onData = nil
		ts.mu.Unlock()
		clock.Advance(16 * time.Minute) // past w1's lease and the first back-off
		w2 := newWorker(d, ts, "w2")
		for runOnce(t, w2) > 0 {
		}
		count := map[string]int{}
		for _, m := range ts.Received() {
			count[m.MessageID]++
		}
		for i, id := range ids {
			r := outboxRow(t, d, id)
			want := 1
			if i == 2 {
				want = 2
			}
			if r.Status != "sent" || count[r.MessageID] != want {
				t.Errorf("mail %d: row %+v delivered %d times, want %d", i+1, r, count[r.MessageID], want)
			}
		}
		if len(count) != 6 {
			t.Errorf("%d distinct Message-IDs delivered, want 6", len(count))
		}
	})
}

// Two workers on one database, sharing the queue: every mail is delivered
// exactly once.
func TestWorker_TwoWorkersNoDoubleDelivery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ts := startServer(t, serverOpts{})
		const n = 40
		ids := enqueue(t, d, n)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := range 2 {
			w := newWorker(d, ts, fmt.Sprintf("w%d", i))
			w.Batch, w.Poll = 3, 5*time.Millisecond
			wg.Go(func() { w.Run(ctx) })
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			var sent int
			d.QueryRow(context.Background(), "SELECT COUNT(*) FROM outbox WHERE status = 'sent'").Scan(&sent)
			if sent == n || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		count := map[string]int{}
		for _, m := range ts.Received() {
			count[m.MessageID]++
		}
		for _, id := range ids {
			r := outboxRow(t, d, id)
			if r.Status != "sent" || r.Attempts != 1 || count[r.MessageID] != 1 {
				t.Errorf("row %d: %+v delivered %d times", id, r, count[r.MessageID])
			}
		}
		if len(ts.Received()) != n {
			t.Errorf("server received %d mails, want %d", len(ts.Received()), n)
		}
	})
}
