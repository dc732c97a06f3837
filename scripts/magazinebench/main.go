// Command magazinebench sends a mail magazine to N customers through the
// real sender (internal/magazine) to a real SMTP server on loopback
// (emersion/go-smtp, in this process, counting and discarding), with
// DKIM (Ed25519) signing, and prints mails/s and the peak memory — the
// figures of docs/PERFORMANCE.md. Run it at two list sizes: memory that
// does not grow with N is the point.
//
//	go run ./scripts/magazinebench -n 10000
//	go run ./scripts/magazinebench -n 100000
//	go run ./scripts/magazinebench -n 100000 -pg 'postgres://…'
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/magazine"
	akmail "github.com/akinai/akinai/internal/mail"
)

// sink is an SMTP backend that reads and counts each mail.
type sink struct{ n atomic.Int64 }

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return s, nil }
func (s *sink) Mail(string, *smtp.MailOptions) error        { return nil }
func (s *sink) Rcpt(string, *smtp.RcptOptions) error        { return nil }
func (s *sink) Reset()                                      {}
func (s *sink) Logout() error                               { return nil }
func (s *sink) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	s.n.Add(1)
	return err
}

func main() {
	n := flag.Int("n", 100000, "recipients")
	pg := flag.String("pg", "", "a PostgreSQL URL (an empty database); default a SQLite file in a temp dir")
	sign := flag.Bool("dkim", true, "DKIM-sign every mail (Ed25519)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the send here")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	cfg := db.Config{URL: *pg}
	if *pg == "" {
		dir, err := os.MkdirTemp("", "magazinebench")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		cfg.Path = filepath.Join(dir, "akinai.db")
	}
	d, err := db.Open(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx, nil); err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	if err := seed(ctx, d, *n); err != nil {
		log.Fatal(err)
	}
	log.Printf("seeded %d customers in %s", *n, time.Since(t0).Round(time.Millisecond))

	sk := &sink{}
	srv := smtp.NewServer(sk)
	srv.Domain = "mx.bench"
	srv.MaxMessageBytes = 1 << 20
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()
	smtpc, err := akmail.NewSMTP(akmail.SMTPConfig{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: akmail.TLSNone, Timeout: 10 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	secret := []byte("magazinebench-secret-0123456789abcdef")
	s := &magazine.Sender{
		DB: d, SMTP: smtpc, Tokens: magazine.Tokens{Secret: secret}, BaseURL: "https://shop.example.jp",
		Shop:     func(context.Context) (string, string, error) { return "shop@example.jp", "ベンチ商店", nil },
		Instance: "bench", Lease: 5 * time.Minute, SendTimeout: 10 * time.Second,
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		// The operator's rate is a ceiling; the benchmark measures the
		// sender itself, so it never waits.
		Sleep: func(context.Context, time.Duration) {},
	}
	if *sign {
		keys := &akmail.Keys{DB: d, Secret: secret, Domain: "example.jp"}
		if _, err := keys.GenerateKey(ctx, akmail.Ed25519); err != nil {
			log.Fatal(err)
		}
		if _, err := keys.Rotate(ctx); err != nil {
			log.Fatal(err)
		}
		s.Signer = keys
	}
	m := &magazine.Magazine{Subject: "冬のお茶セールのお知らせ", Rate: magazine.MaxRate,
		Text: strings.Repeat("山田様\nいつもご利用ありがとうございます。冬のお茶セールのお知らせです。\n", 20),
		HTML: strings.Repeat("<p>冬のお茶セール: 新茶の<strong>煎茶</strong>が 20% オフ。</p>\n", 20)}
	st := &magazine.Store{DB: d}
	if err := st.Save(ctx, m, audit.Entry{Actor: "bench"}); err != nil {
		log.Fatal(err)
	}
	if err := st.Schedule(ctx, m.ID, time.Now(), audit.Entry{Actor: "bench"}); err != nil {
		log.Fatal(err)
	}

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peakHeap.Load() {
				peakHeap.Store(ms.HeapInuse)
			}
		}
	}()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	for {
		k, err := s.RunOnce(ctx)
		if err != nil {
			log.Fatal(err)
		}
		if k == 0 {
			break
		}
	}
	took := time.Since(start)
	close(stop)
	stats, err := st.Stats(ctx, m.ID)
	if err != nil {
		log.Fatal(err)
	}
	engine := "sqlite"
	if *pg != "" {
		engine = "postgres"
	}
	// The reference, measured in the same run: the same SMTP client
	// sending a built mail in a loop, with no database and no signing —
	// what the loopback server and one connection per mail allow.
	refN := max(*n/20, 500)
	raw := []byte("From: shop@example.jp\r\nTo: c@example.jp\r\nSubject: ref\r\n\r\n" + m.Text)
	refStart := time.Now()
	for range refN {
		if err := smtpc.Send(ctx, "shop@example.jp", []string{"c@example.jp"}, raw); err != nil {
			log.Fatal(err)
		}
	}
	ref := float64(refN) / time.Since(refStart).Seconds()
	rate := float64(stats.Sent) / took.Seconds()
	fmt.Printf("engine=%s recipients=%d sent=%d received=%d dkim=%v took=%s mails_per_s=%.0f reference_smtp_only=%.0f/s ratio=%.2f heap_before=%.1fMiB peak_heap_inuse=%.1fMiB peak_rss=%s\n",
		engine, *n, stats.Sent, sk.n.Load()-int64(refN), *sign, took.Round(time.Millisecond), rate, ref, rate/ref,
		float64(base.HeapInuse)/(1<<20), float64(peakHeap.Load())/(1<<20), vmHWM())
}

// seed inserts n opted-in customers, 5,000 per transaction.
func seed(ctx context.Context, d *db.DB, n int) error {
	for start := 0; start < n; start += 5000 {
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for i := start; i < min(start+5000, n); i++ {
				email := fmt.Sprintf("c%d@example.jp", i)
				if _, err := tx.Exec(ctx, `INSERT INTO customers (email, email_key, status, newsletter, terms_at, anti_phishing, pref, created_at, updated_at)
					VALUES (?, ?, 'active', TRUE, ?, 'さくら', 13, ?, ?)`, email, email, tx.Now(), tx.Now(), tx.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// vmHWM is the process's peak resident set size (Linux), or "?".
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.ReplaceAll(strings.TrimSpace(v), " ", "")
		}
	}
	return "?"
}
