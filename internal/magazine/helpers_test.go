package magazine_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/magazine"
	akmail "github.com/akinai/akinai/internal/mail"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// mx is a real SMTP server on loopback that keeps every mail it accepts
// and can run a hook at each step of a session (to kill a sender there).
type mx struct {
	Port int

	mu   sync.Mutex
	got  []delivered
	hook func(step, rcpt string) // "mail" (envelope sender), "rcpt", "data" (received, before the reply)
}

type delivered struct {
	From, To, MessageID string
	Header              mail.Header
	Raw                 []byte
}

type mxSession struct {
	s        *mx
	from, to string
}

func (s *mxSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	s.s.run("mail", from)
	return nil
}
func (s *mxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	s.s.run("rcpt", to)
	return nil
}
func (s *mxSession) Reset()        {}
func (s *mxSession) Logout() error { return nil }
func (s *mxSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	// A real MTA has queued the mail once it has the final dot, whatever
	// happens to its reply.
	s.s.mu.Lock()
	s.s.got = append(s.s.got, delivered{From: s.from, To: s.to, MessageID: msg.Header.Get("Message-ID"), Header: msg.Header, Raw: raw})
	s.s.mu.Unlock()
	s.s.run("data", s.to)
	return nil
}

func (s *mx) run(step, who string) {
	s.mu.Lock()
	h := s.hook
	s.mu.Unlock()
	if h != nil {
		h(step, who)
	}
}

func (s *mx) setHook(h func(step, rcpt string)) {
	s.mu.Lock()
	s.hook = h
	s.mu.Unlock()
}

func (s *mx) received() []delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivered(nil), s.got...)
}

func startMX(tb testing.TB) *mx {
	tb.Helper()
	s := &mx{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mxSession{s: s}, nil }))
	srv.Domain = "mx.test"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 1 << 20
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(l)
	tb.Cleanup(func() { srv.Close() })
	s.Port = l.Addr().(*net.TCPAddr).Port
	return s
}

// customer is a row for seed.
type customer struct {
	Email      string
	Newsletter bool
	Status     string // default active
	Pref       int
	Birthday   string
	RankID     int64
	Code       string
}

// seed inserts customers and returns their IDs.
func seed(tb testing.TB, d *db.DB, cs ...customer) []int64 {
	tb.Helper()
	ctx := context.Background()
	ids := make([]int64, len(cs))
	err := d.Tx(ctx, func(tx *db.Tx) error {
		for i, c := range cs {
			if c.Status == "" {
				c.Status = "active"
			}
			var rank any
			if c.RankID != 0 {
				rank = c.RankID
			}
			now := tx.Now()
			if err := tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, family_name, given_name, pref, birthday, newsletter,
					terms_at, anti_phishing, lang, created_at, updated_at, rank_id)
				VALUES (?, ?, ?, '山田', '花子', ?, ?, ?, ?, ?, 'ja', ?, ?, ?) RETURNING id`,
				c.Email, c.Email, c.Status, c.Pref, c.Birthday, c.Newsletter, now, c.Code, now, now, rank).Scan(&ids[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// seedMany inserts n opted-in customers c<i>@example.jp in slices.
func seedMany(tb testing.TB, d *db.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	for start := 0; start < n; start += 1000 {
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				email := fmt.Sprintf("c%d@example.jp", i)
				if _, err := tx.Exec(ctx, `INSERT INTO customers (email, email_key, status, newsletter, terms_at, anti_phishing, created_at, updated_at)
					VALUES (?, ?, 'active', TRUE, ?, 'さくら', ?, ?)`, email, email, tx.Now(), tx.Now(), tx.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// draft saves a magazine to seg and returns it.
func draft(tb testing.TB, d *db.DB, seg magazine.Segment) *magazine.Magazine {
	tb.Helper()
	m := &magazine.Magazine{Subject: "冬のセール", Text: "山田様\nいつもありがとうございます。\n冬のセールのお知らせです。", HTML: "<p>冬のセール</p>",
		Segment: seg, Rate: magazine.MaxRate}
	if err := (&magazine.Store{DB: d}).Save(context.Background(), m, audit.Entry{Actor: "test"}); err != nil {
		tb.Fatal(err)
	}
	return m
}

// schedule queues m for now.
func schedule(tb testing.TB, d *db.DB, m *magazine.Magazine) {
	tb.Helper()
	if err := (&magazine.Store{DB: d}).Schedule(context.Background(), m.ID, time.Now(), audit.Entry{Actor: "test"}); err != nil {
		tb.Fatal(err)
	}
}

var testSecret = bytes.Repeat([]byte{7}, 32)

// newSender is a sender to the mx, without a pause between mails.
func newSender(d *db.DB, s *mx, instance string) *magazine.Sender {
	smtpc, _ := akmail.NewSMTP(akmail.SMTPConfig{Host: "127.0.0.1", Port: s.Port, TLS: "none", Timeout: 10 * time.Second})
	return &magazine.Sender{
		DB: d, SMTP: smtpc, Tokens: magazine.Tokens{Secret: testSecret}, BaseURL: "https://shop.example.jp",
		Shop:     func(context.Context) (string, string, error) { return "shop@example.jp", "テスト商店", nil },
		Instance: instance, Lease: 30 * time.Second, SendTimeout: 5 * time.Second, Poll: 50 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
}

// drain runs s until it finds nothing to do.
func drain(tb testing.TB, s *magazine.Sender) {
	tb.Helper()
	for i := 0; i < 10000; i++ {
		n, err := s.RunOnce(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	tb.Fatal("the sender never finished")
}

// perRecipient counts the mails each address received.
func perRecipient(got []delivered) map[string]int {
	out := map[string]int{}
	for _, g := range got {
		out[g.To]++
	}
	return out
}

// decodeParts returns the decoded text of a body, every part of a
// multipart one joined.
func decodeParts(body, contentType, cte string) string {
	mt, params, _ := mime.ParseMediaType(contentType)
	if strings.HasPrefix(mt, "multipart/") {
		var out strings.Builder
		mr := multipart.NewReader(strings.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return out.String()
			}
			b, _ := io.ReadAll(p)
			out.WriteString(decodeParts(string(b), p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding")))
		}
	}
	switch strings.ToLower(cte) {
	case "base64":
		b, _ := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(body))
		return string(b)
	case "quoted-printable":
		b, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
		return string(b)
	}
	return body
}
