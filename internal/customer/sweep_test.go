package customer

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// TestSweep moves a fixed clock through a week and checks what each sweep
// removes and what it must keep, on both engines.
func TestSweep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		s := NewStore(d, "https://shop.example")
		h, err := auth.HashPassword("kumo-no-ue-de-odoru")
		if err != nil {
			t.Fatal(err)
		}
		register := func(email string) {
			if err := s.Register(ctx, &Registration{Email: email, PasswordHash: h, Profile: Profile{Address: testAddress}, Lang: "ja"}); err != nil {
				t.Fatal(err)
			}
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := d.QueryRow(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		markSent := func() {
			if _, err := d.Exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'`, now); err != nil {
				t.Fatal(err)
			}
		}

		register("old@example.jp") // will be 8 days old
		active := mustActive(t, s, "active@example.jp", "kumo-no-ue-de-odoru")
		live, err := s.StartSession(ctx, active.ID, true, Device{UserAgent: "Firefox/140", ClientIP: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		idle, err := s.StartSession(ctx, active.ID, false, Device{})
		if err != nil {
			t.Fatal(err)
		}
		leaver := mustActive(t, s, "leaver@example.jp", "kumo-no-ue-de-odoru")
		markSent()

		// Day 8: "old" is past PendingTTL, "fresh" is not; the idle session
		// is past SessionIdle, the remember token is not; the leaver
		// withdraws and the goodbye mail is still pending.
		now = now.Add(8 * 24 * time.Hour)
		register("fresh@example.jp")
		if _, err := s.Session(ctx, live.Session); err == nil {
			t.Fatal("a day-old session still works")
		}
		if err := s.Withdraw(ctx, leaver, "kumo-no-ue-de-odoru"); err != nil {
			t.Fatal(err)
		}
		if n := count(`SELECT COUNT(*) FROM customer_outbox_scrub`); n != 1 {
			t.Fatalf("%d mails queued for scrubbing, want the goodbye notice", n)
		}

		res, err := Sweep(ctx, d, 500)
		if err != nil {
			t.Fatal(err)
		}
		if res.Registrations != 1 || count(`SELECT COUNT(*) FROM customers WHERE email_key = 'old@example.jp'`) != 0 {
			t.Errorf("old registration: %+v", res)
		}
		if count(`SELECT COUNT(*) FROM customers WHERE email_key = 'fresh@example.jp'`) != 1 {
			t.Error("a fresh registration was swept")
		}
		if count(`SELECT COUNT(*) FROM outbox WHERE LOWER(to_addr) = 'old@example.jp'`) != 0 {
			t.Error("the swept registration's sent confirmation mail is still in the outbox")
		}
		// Expired: the old registration's confirm link went with it; the
		// active customer's sessions (24 h absolute) are gone, the
		// remember token (30 days) stays.
		if res.Sessions != 2 || count(`SELECT COUNT(*) FROM customer_sessions WHERE id_hash = ?`, auth.HashToken(live.Remember)) != 1 {
			t.Errorf("sessions: %+v", res)
		}
		if count(`SELECT COUNT(*) FROM customer_sessions WHERE id_hash = ?`, auth.HashToken(idle.Session)) != 0 {
			t.Error("idle session kept")
		}
		if count(`SELECT COUNT(*) FROM customer_tokens WHERE customer_id = (SELECT id FROM customers WHERE email_key = 'fresh@example.jp')`) != 1 {
			t.Error("a live confirmation link was swept")
		}
		// The goodbye mail is still pending: its address stays for now.
		if res.Outbox != 0 || count(`SELECT COUNT(*) FROM outbox WHERE to_addr = 'leaver@example.jp'`) != 1 {
			t.Errorf("pending goodbye mail touched: %+v", res)
		}

		// Once sent, the next sweep scrubs it (the row stays, without the
		// person); a link expiring in between goes too.
		markSent()
		now = now.Add(25 * time.Hour)
		res, err = Sweep(ctx, d, 500)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outbox != 1 || res.Tokens != 1 {
			t.Errorf("second sweep: %+v", res)
		}
		var to, body, event string
		if err := d.QueryRow(ctx, `SELECT to_addr, body_text, event FROM outbox WHERE event = 'customer_withdrawn'`).Scan(&to, &body, &event); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(to, "leaver") || body != "" || !strings.HasPrefix(to, "withdrawn-") {
			t.Errorf("goodbye mail not scrubbed: %q %q", to, body)
		}
		if count(`SELECT COUNT(*) FROM customer_outbox_scrub`) != 0 {
			t.Error("scrub queue not emptied")
		}
		// A third sweep finds nothing.
		if res, err = Sweep(ctx, d, 500); err != nil || res != (SweepResult{}) {
			t.Errorf("idle sweep: %+v %v", res, err)
		}
	})
}
