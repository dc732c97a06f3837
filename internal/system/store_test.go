package system

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestCollect_QueuesAndSize(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		old := now.Add(-90 * time.Minute)
		for _, r := range []struct {
			status  string
			created time.Time
			sent    any
		}{{"pending", old, nil}, {"pending", now, nil}, {"dead", old, nil}, {"sent", old, now.Add(-time.Minute)}} {
			if _, err := d.Exec(ctx, `INSERT INTO outbox (event, to_addr, subject, body_text, status, next_attempt_at, created_at, sent_at)
				VALUES ('test', 'a@example.jp', 's', 'b', ?, ?, ?, ?)`, r.status, r.created, r.created, r.sent); err != nil {
				t.Fatal(err)
			}
		}
		in, err := Collect(ctx, d, t.TempDir(), now.Add(-time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		if in.Engine != d.Dialect || in.DBSize <= 0 || in.DiskFree <= 0 || in.DiskTotal < in.DiskFree || in.Uptime != time.Hour {
			t.Errorf("engine %s size %d free %d/%d uptime %s", in.Engine, in.DBSize, in.DiskFree, in.DiskTotal, in.Uptime)
		}
		mail := in.Queues[0]
		if mail.Name != "system.queue.mail" || mail.Pending != 2 || mail.Failed != 1 || mail.Running != 0 {
			t.Errorf("mail queue %+v", mail)
		}
		if mail.Age < 89*time.Minute || mail.Age > 91*time.Minute {
			t.Errorf("oldest waited %s, want 90m", mail.Age)
		}
		if mail.LastDone.IsZero() || mail.LastDone.Sub(now.Add(-time.Minute)).Abs() > time.Second {
			t.Errorf("last sent %s", mail.LastDone)
		}
		if q := in.Queues[1]; q.Pending != 0 || !q.LastDone.IsZero() || !q.Oldest.IsZero() {
			t.Errorf("empty capture queue %+v", q)
		}
		if last := in.Queues[len(in.Queues)-1]; !last.Periodic || !last.LastDone.IsZero() {
			t.Errorf("reports refresh %+v", last)
		}
	})
}

func TestLogins_FactorResultFilter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, e := range []audit.Entry{
			{Action: "signin.failure", Target: "nobody@example.jp", Address: "203.0.113.9", Details: map[string]any{"step": "password", "account": "unknown"}},
			{Action: "signin.password_ok", Actor: "owner@example.jp", Target: "owner@example.jp", Address: "192.0.2.1"},
			{Action: "signin.success", Actor: "owner@example.jp", Target: "owner@example.jp", Address: "192.0.2.1", Details: map[string]any{"factor": "totp"}},
			{Action: "signin.passkey.failure", Actor: "owner@example.jp", Address: "192.0.2.1"},
			{Action: "signin.restricted", Actor: "Staff@Example.jp", Target: "staff@example.jp", Address: "192.0.2.7", Details: map[string]any{"factor": "recovery"}},
			{Action: "product.saved", Actor: "owner@example.jp", Address: "192.0.2.1"},
		} {
			if err := audit.Record(ctx, d, e); err != nil {
				t.Fatal(err)
			}
		}
		rows, total, err := Logins(ctx, d, LoginFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 4 || len(rows) != 4 {
			t.Fatalf("%d rows (%d total), want 4: %+v", len(rows), total, rows)
		}
		want := []struct {
			admin, factor string
			ok            bool
		}{{"Staff@Example.jp", "recovery", true}, {"owner@example.jp", "passkey", false}, {"owner@example.jp", "totp", true}, {"nobody@example.jp", "password", false}}
		for i, w := range want {
			if r := rows[i]; r.Admin != w.admin || r.Factor != w.factor || r.OK != w.ok {
				t.Errorf("row %d = %+v, want %+v", i, r, w)
			}
		}
		count := func(f LoginFilter) int {
			t.Helper()
			_, n, err := Logins(ctx, d, f)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		today := time.Now()
		for name, c := range map[string]struct {
			f    LoginFilter
			want int
		}{
			"failures":        {LoginFilter{Result: "failure"}, 2},
			"successes":       {LoginFilter{Result: "success"}, 2},
			"admin, any case": {LoginFilter{Admin: "STAFF@"}, 1},
			"typed address":   {LoginFilter{Admin: "nobody"}, 1},
			"ip prefix":       {LoginFilter{Address: "192.0.2."}, 3},
			"ip and result":   {LoginFilter{Address: "192.0.2.1", Result: "success"}, 1},
			"like is escaped": {LoginFilter{Admin: "%"}, 0},
			"today":           {LoginFilter{From: today.Add(-time.Hour), To: today.Add(time.Hour)}, 4},
			"tomorrow":        {LoginFilter{From: today.Add(24 * time.Hour)}, 0},
		} {
			if n := count(c.f); n != c.want {
				t.Errorf("%s: %d, want %d", name, n, c.want)
			}
		}
	})
}

func TestParseLoginFilter(t *testing.T) {
	t.Parallel()
	f, err := ParseLoginFilter(" owner ", "failure", "10.0.", "2026-11-01", "2026-11-30")
	if err != nil || f.Admin != "owner" || f.Result != "failure" || f.Address != "10.0." {
		t.Fatalf("%+v %v", f, err)
	}
	if want := time.Date(2026, 12, 1, 0, 0, 0, 0, jst); !f.To.Equal(want) || !f.From.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, jst)) {
		t.Errorf("range %s – %s", f.From, f.To)
	}
	for name, in := range map[string][5]string{
		"result":   {"", "maybe", "", "", ""},
		"date":     {"", "", "", "2026-02-30", ""},
		"reversed": {"", "", "", "2026-11-30", "2026-11-01"},
	} {
		if _, err := ParseLoginFilter(in[0], in[1], in[2], in[3], in[4]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
