package magazine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/magazine"
)

// dsn is a delivery status notification as Postfix writes it (RFC 3464),
// to the VERP return path returnPath, for recipient rcpt.
func dsn(returnPath, rcpt, action, status string) string {
	return strings.ReplaceAll(`Return-Path: <>
Delivered-To: `+returnPath+`
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: `+returnPath+`
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Wed,  2 Dec 2026 10:00:00 +0900 (JST)

Final-Recipient: rfc822; `+rcpt+`
Original-Recipient: rfc822;`+rcpt+`
Action: `+action+`
Status: `+status+`
Diagnostic-Code: smtp; 550 5.1.1 <`+rcpt+`>: Recipient address rejected: User unknown

--B1
Content-Type: text/rfc822-headers

Subject: =?UTF-8?B?5Yas44Gu44K744O844Or?=

--B1--
`, "\n", "\r\n")
}

// TestBounce_HardBounceSuppresses: a hard bounce to a recipient's VERP
// address suppresses that address for every later send; a soft bounce, a
// forged return path and a mail that is no DSN change nothing.
func TestBounce_HardBounceSuppresses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seed(t, d,
			customer{Email: "gone@example.jp", Newsletter: true},
			customer{Email: "full@example.jp", Newsletter: true},
			customer{Email: "ok@example.jp", Newsletter: true})
		s := startMX(t)
		m := draft(t, d, magazine.Segment{})
		schedule(t, d, m)
		drain(t, newSender(d, s, "w"))
		paths := map[string]string{}
		for _, g := range s.received() {
			paths[g.To] = g.From
		}
		tokens := magazine.Tokens{Secret: testSecret}

		res, err := magazine.Bounce(ctx, d, tokens, strings.NewReader(dsn(paths["gone@example.jp"], "gone@example.jp", "failed", "5.1.1")), "")
		if err != nil || !res.Hard || res.Email != "gone@example.jp" {
			t.Fatalf("hard bounce: %+v, %v", res, err)
		}
		res, err = magazine.Bounce(ctx, d, tokens, strings.NewReader(dsn(paths["full@example.jp"], "full@example.jp", "delayed", "4.2.2")), paths["full@example.jp"])
		if err != nil || res.Hard {
			t.Fatalf("soft bounce: %+v, %v", res, err)
		}
		// Forged: a VERP address with a made-up signature, and one of
		// ours with another recipient's ID.
		rid := strings.TrimPrefix(strings.Split(paths["ok@example.jp"], ".")[0], "bounces+")
		_, sig, _ := strings.Cut(strings.Split(paths["gone@example.jp"], "@")[0], ".")
		for _, forged := range []string{"bounces+" + rid + ".AAAAAAAAAAAAAAAAAAAAAA@example.jp", "bounces+" + rid + "." + sig + "@example.jp", "someone@example.jp"} {
			if _, err := magazine.Bounce(ctx, d, tokens, strings.NewReader(dsn(forged, "ok@example.jp", "failed", "5.1.1")), ""); !errors.Is(err, magazine.ErrNotOurs) {
				t.Errorf("forged %s: %v, want ErrNotOurs", forged, err)
			}
		}
		if _, err := magazine.Bounce(ctx, d, tokens, strings.NewReader("From: x@example.net\r\nTo: "+paths["ok@example.jp"]+"\r\nSubject: hi\r\n\r\nhello\r\n"), ""); !errors.Is(err, magazine.ErrNotDSN) {
			t.Errorf("a plain mail: %v, want ErrNotDSN", err)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_suppressions`).Scan(&n)
		if n != 1 {
			t.Errorf("%d suppressions, want 1", n)
		}
		if st, _ := (&magazine.Store{DB: d}).Stats(ctx, m.ID); st.Bounced != 1 {
			t.Errorf("stats %+v, want 1 bounced", st)
		}

		// The next send leaves the bounced address out.
		m2 := draft(t, d, magazine.Segment{})
		schedule(t, d, m2)
		before := len(s.received())
		drain(t, newSender(d, s, "w2"))
		next := perRecipient(s.received()[before:])
		if len(next) != 2 || next["gone@example.jp"] != 0 {
			t.Errorf("next send went to %v", next)
		}
	})
}

// FuzzBounce: no input makes Bounce panic or suppress anything without a
// signed return path.
func FuzzBounce(f *testing.F) {
	f.Add(dsn("bounces+1.x@example.jp", "a@example.jp", "failed", "5.1.1"))
	f.Add("Content-Type: multipart/report; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n\r\n\r\n--b--")
	d := dbtest.MustOpen(f, dbtest.SQLite)
	f.Fuzz(func(t *testing.T, raw string) {
		res, err := magazine.Bounce(context.Background(), d, magazine.Tokens{Secret: testSecret}, strings.NewReader(raw), "")
		if err == nil && res.Hard {
			t.Fatalf("suppressed from an unsigned bounce: %+v", res)
		}
	})
}
