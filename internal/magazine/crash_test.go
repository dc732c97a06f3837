package magazine_test

import (
	"bytes"
	"context"
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
	"github.com/akinai/akinai/internal/magazine"
	akmail "github.com/akinai/akinai/internal/mail"
)

// TestSenderChildProcess is the sender that the kill tests run as a child
// process and kill with SIGKILL; on its own it skips.
func TestSenderChildProcess(t *testing.T) {
	where := os.Getenv("AKINAI_MAGAZINE_CHILD_DB")
	if where == "" {
		t.Skip("run as a child process by TestSender_KillNine")
	}
	cfg := db.Config{Path: where}
	if strings.HasPrefix(where, "postgres") {
		cfg = db.Config{URL: where}
	}
	d, err := db.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(os.Getenv("AKINAI_MAGAZINE_CHILD_PORT"))
	smtpc, _ := akmail.NewSMTP(akmail.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none", Timeout: 2 * time.Second})
	s := &magazine.Sender{
		DB: d, SMTP: smtpc, Tokens: magazine.Tokens{Secret: testSecret}, BaseURL: "https://shop.example.jp",
		Shop:     func(context.Context) (string, string, error) { return "shop@example.jp", "テスト商店", nil },
		Instance: os.Getenv("AKINAI_MAGAZINE_CHILD_NAME"), Lease: 6 * time.Second, SendTimeout: 2 * time.Second,
		Poll: 100 * time.Millisecond, Log: slog.New(slog.NewTextHandler(os.Stderr, nil)),
	}
	s.Run(context.Background()) // until killed
}

// killer runs sender children against d and the mx, and kills them.
type killer struct {
	t    *testing.T
	d    *db.DB
	mx   *mx
	mu   sync.Mutex
	logs bytes.Buffer

	pmu  sync.Mutex // guards cmd and done: start runs in the test, kill in the SMTP server's hook
	cmd  *exec.Cmd
	done chan struct{}
}

func (k *killer) Write(p []byte) (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.logs.Write(p)
}

func (k *killer) log() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.logs.String()
}

// start runs a new child; the previous one must be dead.
func (k *killer) start(name string) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSenderChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "AKINAI_MAGAZINE_CHILD_DB="+k.d.Where, "AKINAI_MAGAZINE_CHILD_NAME="+name,
		"AKINAI_MAGAZINE_CHILD_PORT="+strconv.Itoa(k.mx.Port))
	cmd.Stdout, cmd.Stderr = k, k
	if err := cmd.Start(); err != nil {
		k.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	k.t.Cleanup(func() { cmd.Process.Kill(); <-done })
	k.pmu.Lock()
	k.cmd, k.done = cmd, done
	k.pmu.Unlock()
}

// kill sends SIGKILL to the running child and waits for it to die.
func (k *killer) kill() {
	k.pmu.Lock()
	cmd, done := k.cmd, k.done
	k.pmu.Unlock()
	cmd.Process.Kill()
	<-done
}

// waitSent waits (generously: CI is a loaded 2-core machine) for the
// magazine to finish.
func (k *killer) waitSent(id int64) {
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var status string
		k.d.QueryRow(context.Background(), `SELECT status FROM magazines WHERE id = ?`, id).Scan(&status)
		if status == magazine.Sent {
			return
		}
		if time.Now().After(deadline) {
			k.t.Fatalf("the send did not finish (status %s):\n%s", status, k.log())
		}
	}
}

// waitSignal waits for a kill point to be reached.
func (k *killer) waitSignal(ch chan struct{}) {
	select {
	case <-ch:
	case <-time.After(120 * time.Second):
		k.t.Fatalf("the child never reached the kill point:\n%s", k.log())
	}
}

// TestSender_KillNine sends a magazine to a 60-customer segment from a
// child process, kills it with SIGKILL twice in the middle of SMTP
// transactions (after MAIL FROM, at RCPT TO) and restarts it each time:
// every recipient of the segment gets exactly one mail at the loopback
// server, and the statistics say 60 sent.
func TestSender_KillNine(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seedMany(t, d, 60)
		s := startMX(t)
		m := draft(t, d, magazine.Segment{})
		schedule(t, d, m)
		k := &killer{t: t, d: d, mx: s}
		killed := make(chan struct{}, 2)
		var mu sync.Mutex
		kills := 0
		s.setHook(func(step, rcpt string) {
			mu.Lock()
			defer mu.Unlock()
			if step == "rcpt" && ((kills == 0 && rcpt == "c17@example.jp") || (kills == 1 && rcpt == "c41@example.jp")) {
				k.kill() // inside the SMTP transaction: the server has no mail for rcpt
				kills++
				killed <- struct{}{}
			}
		})
		k.start("child1")
		k.waitSignal(killed)
		k.start("child2")
		k.waitSignal(killed)
		k.start("child3")
		k.waitSent(m.ID)

		count := perRecipient(s.received())
		for i := range 60 {
			if n := count[fmt.Sprintf("c%d@example.jp", i)]; n != 1 {
				t.Errorf("c%d got %d mails, want exactly 1", i, n)
			}
		}
		if len(count) != 60 {
			t.Errorf("%d addresses mailed, want 60", len(count))
		}
		st, err := (&magazine.Store{DB: d}).Stats(context.Background(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Recipients != 60 || st.Sent != 60 || st.Pending != 0 || st.Failed != 0 {
			t.Errorf("stats %+v", st)
		}
		if t.Failed() {
			t.Log(k.log())
		}
	})
}

// TestSender_KillNineInDoubt is the honest boundary: a sender killed after
// the server has the whole mail and before the acceptance is recorded (the
// server's reply and one UPDATE apart) cannot know the mail left. The
// recipient is mailed again — at least once, never zero times — with the
// same Message-ID, and the send is logged and counted as interrupted.
func TestSender_KillNineInDoubt(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	seedMany(t, d, 10)
	s := startMX(t)
	m := draft(t, d, magazine.Segment{})
	schedule(t, d, m)
	k := &killer{t: t, d: d, mx: s}
	killed := make(chan struct{}, 1)
	var once sync.Once
	s.setHook(func(step, rcpt string) {
		if step == "data" && rcpt == "c4@example.jp" {
			once.Do(func() { k.kill(); killed <- struct{}{} }) // the server has it; the sender never hears
		}
	})
	k.start("child1")
	k.waitSignal(killed)
	k.start("child2")
	k.waitSent(m.ID)

	ids := map[string][]string{}
	for _, g := range s.received() {
		ids[g.To] = append(ids[g.To], g.MessageID)
	}
	for i := range 10 {
		to := fmt.Sprintf("c%d@example.jp", i)
		want := 1
		if i == 4 {
			want = 2
		}
		if len(ids[to]) != want {
			t.Errorf("%s got %d mails, want %d", to, len(ids[to]), want)
		}
	}
	if c4 := ids["c4@example.jp"]; len(c4) == 2 && c4[0] != c4[1] {
		t.Errorf("the second copy has another Message-ID: %q, %q", c4[0], c4[1])
	}
	st, _ := (&magazine.Store{DB: d}).Stats(context.Background(), m.ID)
	if st.Sent != 10 || st.Interrupted != 1 {
		t.Errorf("stats %+v, want 10 sent and 1 interrupted", st)
	}
	if !strings.Contains(k.log(), "mailing again a recipient whose earlier send was interrupted") {
		t.Errorf("the resumed send was not logged:\n%s", k.log())
	}
}
