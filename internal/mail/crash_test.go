package mail_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
)

// TestWorker_AcceptanceRecordedFirst watches the outbox from the SMTP
// server: while the server holds a message (before its reply) the row is
// pending with its send recorded as begun, and by the time the client
// says QUIT the row is already sent — the acceptance is recorded before
// anything else happens in the session.
func TestWorker_AcceptanceRecordedFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ts := startServer(t, serverOpts{})
		enqueue(t, d, 3)
		var mu sync.Mutex
		seen := map[string]int{}
		ts.setHook(func(event, to string) {
			var status string
			var sending sql.NullTime
			if err := d.QueryRow(context.Background(), `SELECT status, sending_at FROM outbox WHERE to_addr = ?`, to).Scan(&status, &sending); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			seen[event]++
			if event == "data" && (status != "pending" || !sending.Valid) {
				t.Errorf("%s before the reply: %s, sending_at %v", to, status, sending)
			}
			if event == "logout" && (status != "sent" || sending.Valid) {
				t.Errorf("%s at QUIT: %s, sending_at %v", to, status, sending)
			}
		})
		w := newWorker(d, ts, "w")
		for runOnce(t, w) > 0 {
		}
		// The server may finish its side of the last QUIT just after the
		// client has moved on: wait for it, generously.
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			done := seen["data"] == 3 && seen["logout"] == 3
			got := fmt.Sprint(seen)
			mu.Unlock()
			if done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("server saw %s", got)
			}
		}
	})
}

// TestWorkerChildProcess is the worker that TestWorker_KillNine runs as a
// child process and kills; on its own it skips.
func TestWorkerChildProcess(t *testing.T) {
	where := os.Getenv("AKINAI_MAIL_CHILD_DB")
	if where == "" {
		t.Skip("run as a child process by TestWorker_KillNine")
	}
	cfg := db.Config{Path: where}
	if strings.HasPrefix(where, "postgres") {
		cfg = db.Config{URL: where}
	}
	d, err := db.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(os.Getenv("AKINAI_MAIL_CHILD_PORT"))
	s, _ := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none"})
	w := &mail.Worker{DB: d, Sender: s, Instance: os.Getenv("AKINAI_MAIL_CHILD_NAME"), From: "shop@example.jp", Domain: "example.jp",
		Batch: 1, Poll: 50 * time.Millisecond, Lease: 3 * time.Second, Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	w.Run(context.Background()) // until killed
}

// TestWorker_KillNine kills worker processes with SIGKILL at the two
// moments that matter: while the server holds a message and has not yet
// replied (the server keeps it; the worker never learns: sent again, with
// the same Message-ID, and logged as a resumed send), and when the client
// says QUIT after the server's acceptance (recorded already: never sent
// again). Every other mail arrives exactly once.
func TestWorker_KillNine(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if strings.Contains(d.Where, "xxxxx") {
			t.Skip("the database URL has a password the child cannot see")
		}
		ts := startServer(t, serverOpts{})
		ids := enqueue(t, d, 5) // to c0 … c4
		var logs bytes.Buffer
		var logMu sync.Mutex
		child := func(name string) (*exec.Cmd, chan struct{}) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerChildProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "AKINAI_MAIL_CHILD_DB="+d.Where, "AKINAI_MAIL_CHILD_NAME="+name,
				"AKINAI_MAIL_CHILD_PORT="+strconv.Itoa(ts.Port))
			w := &lockedWriter{w: &logs, mu: &logMu}
			cmd.Stdout, cmd.Stderr = w, w
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { cmd.Wait(); close(exited) }()
			t.Cleanup(func() { cmd.Process.Kill(); <-exited })
			return cmd, exited
		}
		kill := func(cmd *exec.Cmd, exited chan struct{}) {
			cmd.Process.Kill() // SIGKILL
			<-exited
		}

		var mu sync.Mutex
		var cmd *exec.Cmd
		var exited chan struct{}
		phase := 1
		done := make(chan int, 2)
		ts.setHook(func(event, to string) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case phase == 1 && event == "data" && to == "c1@example.jp":
				kill(cmd, exited) // before the server's reply: it keeps the mail
				phase = 2
				done <- 1
			case phase == 2 && event == "logout" && to == "c3@example.jp":
				kill(cmd, exited) // after QUIT: the acceptance is recorded
				phase = 3
				done <- 2
			}
		})
		mu.Lock()
		cmd, exited = child("child1")
		mu.Unlock()
		waitPhase(t, done, &logs, &logMu)
		mu.Lock()
		cmd, exited = child("child2")
		mu.Unlock()
		waitPhase(t, done, &logs, &logMu)

		// A third worker, an hour later (every lease expired), finishes.
		d.Clock = func() time.Time { return time.Now().Add(time.Hour) }
		w := newWorker(d, ts, "w3")
		w.Log = slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil))
		for runOnce(t, w) > 0 {
		}

		count := map[string]int{}
		for _, m := range ts.Received() {
			count[m.MessageID]++
		}
		var c1 string
		for i, id := range ids {
			r := outboxRow(t, d, id)
			want := 1
			if i == 1 {
				want, c1 = 2, r.MessageID
			}
			if r.Status != "sent" || count[r.MessageID] != want {
				t.Errorf("mail c%d: %+v delivered %d times, want %d", i, r, count[r.MessageID], want)
			}
		}
		var open int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE sending_at IS NOT NULL`).Scan(&open)
		logMu.Lock()
		defer logMu.Unlock()
		if open != 0 || !strings.Contains(logs.String(), "sending again a mail whose earlier send was interrupted") || !strings.Contains(logs.String(), c1) {
			t.Errorf("%d sends left open; the resumed send of %s not logged:\n%s", open, c1, logs.String())
		}
	})
}

func waitPhase(t *testing.T, done chan int, logs *bytes.Buffer, mu *sync.Mutex) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("the child never reached the kill point:\n%s", logs.String())
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
