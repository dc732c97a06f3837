package magazine_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/magazine"
	akmail "github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// shopServer serves the unsubscribe routes behind the real middleware
// (CSRF tokens, cross-origin protection, with the one-click exemption).
func shopServer(t *testing.T, d *db.DB) *httptest.Server {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	r := web.NewRenderer(log, web.NewAssets())
	mux := http.NewServeMux()
	u := &magazine.Unsubscribe{DB: d, Tokens: magazine.Tokens{Secret: testSecret}, Render: r, Log: log}
	if err := u.Routes(mux); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.Middleware(web.Config{Log: log, Secret: testSecret, Errors: r, CSRFExempt: magazine.OneClick, Router: mux}, mux))
	t.Cleanup(srv.Close)
	return srv
}

// oneClick does what a mailbox provider does for RFC 8058: a POST to the
// List-Unsubscribe URL with the body List-Unsubscribe=One-Click, no
// cookie, no CSRF token.
func oneClick(t *testing.T, srv *httptest.Server, listUnsubscribe string) (int, string) {
	t.Helper()
	u := strings.Trim(listUnsubscribe, "<>")
	u = srv.URL + strings.TrimPrefix(u, "https://shop.example.jp")
	res, err := http.Post(u, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestSender_OneClickUnsubscribe sends a magazine, checks what each mail
// carries (one-click headers, link in the body, the recipient's code, a
// VERP return path), and has one recipient unsubscribe by the RFC 8058
// POST: the next send leaves them out; the same POST again, a forged
// token and a test mail's token change nothing and say so.
func TestSender_OneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ids := seed(t, d,
			customer{Email: "a@example.jp", Newsletter: true, Code: "さくら"},
			customer{Email: "b@example.jp", Newsletter: true},
			customer{Email: "c@example.jp", Newsletter: true})
		srv := shopServer(t, d)
		s := startMX(t)

		m := draft(t, d, magazine.Segment{})
		schedule(t, d, m)
		drain(t, newSender(d, s, "w1"))
		got := s.received()
		if c := perRecipient(got); len(c) != 3 || c["a@example.jp"] != 1 || c["b@example.jp"] != 1 || c["c@example.jp"] != 1 {
			t.Fatalf("first send: %v", c)
		}
		var toB delivered
		for _, g := range got {
			if g.To == "b@example.jp" {
				toB = g
			}
			lu := g.Header.Get("List-Unsubscribe")
			if !strings.HasPrefix(lu, "<https://shop.example.jp/mail/unsubscribe/") || g.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Errorf("%s: List-Unsubscribe %q, -Post %q", g.To, lu, g.Header.Get("List-Unsubscribe-Post"))
			}
			if !strings.HasPrefix(g.From, "bounces+") || !strings.HasSuffix(g.From, "@example.jp") {
				t.Errorf("%s: return path %q is not a VERP address", g.To, g.From)
			}
			body := decodedBody(t, g.Raw)
			if !strings.Contains(body, strings.Trim(lu, "<>")) {
				t.Errorf("%s: the body lacks the unsubscribe link", g.To)
			}
			if g.To == "a@example.jp" && !strings.Contains(body, "あなたの合言葉: さくら") {
				t.Errorf("a's mail lacks the anti-phishing code:\n%s", body)
			}
		}

		status, page := oneClick(t, srv, toB.Header.Get("List-Unsubscribe"))
		if status != http.StatusOK || !strings.Contains(page, "停止しました") {
			t.Fatalf("one-click: %d\n%s", status, page)
		}
		var newsletter bool
		d.QueryRow(ctx, `SELECT newsletter FROM customers WHERE id = ?`, ids[1]).Scan(&newsletter)
		if newsletter {
			t.Fatal("b is still subscribed")
		}
		st := &magazine.Store{DB: d}
		if stats, _ := st.Stats(ctx, m.ID); stats.Sent != 3 || stats.Unsubscribed != 1 {
			t.Errorf("stats %+v", stats)
		}

		// Reused: 200, says so, changes nothing (b subscribes again in
		// My Page; the old link must not undo that).
		d.Exec(ctx, `UPDATE customers SET newsletter = TRUE WHERE id = ?`, ids[1])
		status, page = oneClick(t, srv, toB.Header.Get("List-Unsubscribe"))
		if status != http.StatusOK || !strings.Contains(page, "すでに使われています") {
			t.Errorf("reused: %d\n%s", status, page)
		}
		d.QueryRow(ctx, `SELECT newsletter FROM customers WHERE id = ?`, ids[1]).Scan(&newsletter)
		if !newsletter {
			t.Error("a reused link unsubscribed again")
		}
		d.Exec(ctx, `UPDATE customers SET newsletter = FALSE WHERE id = ?`, ids[1])

		// Forged: the signature of another recipient's ID.
		lu := strings.Trim(toB.Header.Get("List-Unsubscribe"), "<>")
		tok := lu[strings.LastIndex(lu, "/")+1:]
		_, sig, _ := strings.Cut(tok, ".")
		for _, bad := range []string{"999999." + sig, tok[:len(tok)-2] + "AA", "1", "abc.def", url.PathEscape("1.<script>")} {
			status, page = oneClick(t, srv, "https://shop.example.jp/mail/unsubscribe/"+bad)
			if status != http.StatusBadRequest || !strings.Contains(page, "このリンクは正しくありません") {
				t.Errorf("forged %q: %d\n%s", bad, status, page)
			}
		}
		// A test mail's link.
		status, page = oneClick(t, srv, "https://shop.example.jp/mail/unsubscribe/"+magazine.Tokens{Secret: testSecret}.Unsubscribe(0))
		if status != http.StatusOK || !strings.Contains(page, "テスト送信") {
			t.Errorf("test token: %d\n%s", status, page)
		}
		// A GET only asks.
		res, err := http.Get(srv.URL + "/mail/unsubscribe/" + tok)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM customers WHERE newsletter = TRUE`).Scan(&n)
		if n != 2 {
			t.Errorf("%d subscribed after the forged, test and GET requests, want 2", n)
		}

		// The next send leaves b out.
		m2 := draft(t, d, magazine.Segment{})
		schedule(t, d, m2)
		before := len(s.received())
		drain(t, newSender(d, s, "w2"))
		next := perRecipient(s.received()[before:])
		if len(next) != 2 || next["b@example.jp"] != 0 {
			t.Errorf("next send went to %v", next)
		}
	})
}

// TestSender_UnsubscribeHonouredMidSend: a customer who unsubscribes
// while a send is under way is skipped when their turn comes.
func TestSender_UnsubscribeHonouredMidSend(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	seedMany(t, d, 10)
	s := startMX(t)
	m := draft(t, d, magazine.Segment{})
	schedule(t, d, m)
	once := false
	s.setHook(func(step, rcpt string) {
		if step == "data" && rcpt == "c2@example.jp" && !once {
			once = true
			if _, err := d.Exec(ctx, `UPDATE customers SET newsletter = FALSE WHERE email = 'c7@example.jp'`); err != nil {
				t.Error(err)
			}
		}
	})
	drain(t, newSender(d, s, "w"))
	c := perRecipient(s.received())
	if len(c) != 9 || c["c7@example.jp"] != 0 {
		t.Errorf("sent to %v", c)
	}
	if st, _ := (&magazine.Store{DB: d}).Stats(ctx, m.ID); st.Sent != 9 || st.Skipped != 1 || st.Pending != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestSender_Throttle: the sender waits 60 s / rate between mails (the
// waits are recorded, not timed).
func TestSender_Throttle(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	seedMany(t, d, 5)
	s := startMX(t)
	m := draft(t, d, magazine.Segment{})
	if _, err := d.Exec(context.Background(), `UPDATE magazines SET rate_per_minute = 6 WHERE id = ?`, m.ID); err != nil {
		t.Fatal(err)
	}
	schedule(t, d, m)
	w := newSender(d, s, "w")
	var waits []time.Duration
	now := time.Now()
	w.Clock = func() time.Time { return now }
	w.Sleep = func(_ context.Context, d time.Duration) { waits = append(waits, d); now = now.Add(d) }
	drain(t, w)
	if len(s.received()) != 5 {
		t.Fatalf("%d mails", len(s.received()))
	}
	// Five mails at 6 a minute: four waits of 10 s.
	if len(waits) != 4 {
		t.Fatalf("waits %v", waits)
	}
	for _, wt := range waits {
		if wt != 10*time.Second {
			t.Errorf("wait %v, want 10 s", wt)
		}
	}
}

// TestSender_DKIMSigned: with the shop's key active every mail is signed
// for the sender's domain (aligned with From) and the signature covers
// the one-click headers, as the 2024 bulk-sender rules ask.
func TestSender_DKIMSigned(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	seed(t, d, customer{Email: "a@example.jp", Newsletter: true})
	keys := &akmail.Keys{DB: d, Secret: testSecret, Domain: "example.jp"}
	if _, err := keys.GenerateKey(ctx, akmail.Ed25519); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	s := startMX(t)
	m := draft(t, d, magazine.Segment{})
	schedule(t, d, m)
	w := newSender(d, s, "w")
	w.Signer = keys
	drain(t, w)
	got := s.received()
	if len(got) != 1 {
		t.Fatalf("%d mails", len(got))
	}
	sig := got[0].Header.Get("DKIM-Signature")
	if !strings.Contains(sig, "d=example.jp") || !strings.Contains(strings.ToLower(sig), "list-unsubscribe-post") {
		t.Errorf("DKIM-Signature %q does not cover the one-click headers for example.jp", sig)
	}
}

func decodedBody(t *testing.T, raw []byte) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(msg.Body)
	return decodeParts(string(b), msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"))
}

// TestSender_Scheduled: a magazine scheduled for later is not sent before
// its time, and is sent once it has come; the admin cannot change it
// meanwhile.
func TestSender_Scheduled(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	seedMany(t, d, 3)
	s := startMX(t)
	m := draft(t, d, magazine.Segment{})
	st := &magazine.Store{DB: d}
	if err := st.Schedule(ctx, m.ID, time.Now().Add(2*time.Hour), audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, m, audit.Entry{}); shop.KindOf(err) != shop.Conflict {
		t.Errorf("editing a scheduled magazine: %v, want Conflict", err)
	}
	w := newSender(d, s, "w")
	if n, err := w.RunOnce(ctx); n != 0 || err != nil || len(s.received()) != 0 {
		t.Fatalf("before its time: claimed %d, %v, %d mails", n, err, len(s.received()))
	}
	d.Clock = func() time.Time { return time.Now().Add(3 * time.Hour) }
	drain(t, w)
	if got := perRecipient(s.received()); len(got) != 3 {
		t.Fatalf("after its time: %v", got)
	}
	if got, _ := st.Magazine(ctx, m.ID); got.Status != magazine.Sent || got.FinishedAt == nil {
		t.Errorf("status %s, finished %v", got.Status, got.FinishedAt)
	}
}
