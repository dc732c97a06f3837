package customer

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// PendingTTL is how long an unconfirmed registration is kept after the
// last registration attempt: the link lives ConfirmTTL, and a week
// leaves room for "I'll click it after the weekend" before the personal
// data typed into the form is deleted.
const PendingTTL = 7 * 24 * time.Hour

// SweepResult counts what one sweep removed.
type SweepResult struct {
	Registrations int64 // unconfirmed accounts deleted
	Tokens        int64 // expired links deleted
	Sessions      int64 // expired or idle sessions and remember tokens deleted
	Outbox        int64 // sent mails to withdrawn customers scrubbed
}

// Sweep deletes, in one transaction at tx.Now():
//   - unconfirmed registrations whose last attempt is older than
//     PendingTTL (with their links, and the sent mails to their address);
//     an account that somehow has orders is left alone;
//   - expired links, expired remember tokens, and sessions past their
//     absolute or idle timeout;
//   - the address, subject and body of mails to withdrawn customers that
//     were still pending at withdrawal (the goodbye notice) and have
//     since been sent or given up (see Withdraw).
//
// Each step is bounded (batch rows) so a long backlog is worked off over
// several sweeps without holding the writer for long.
func Sweep(ctx context.Context, d *db.DB, batch int) (SweepResult, error) {
	var res SweepResult
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var err error
		if res.Registrations, err = sweepPending(ctx, tx, now.Add(-PendingTTL), batch); err != nil {
			return err
		}
		if res.Tokens, err = db.RowsAffected(tx.Exec(ctx, `DELETE FROM customer_tokens WHERE expires_at <= ?`, now)); err != nil {
			return err
		}
		if res.Sessions, err = db.RowsAffected(tx.Exec(ctx, `DELETE FROM customer_sessions WHERE expires_at <= ? OR (kind = 'session' AND last_seen_at < ?)`,
			now, now.Add(-SessionIdle))); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM customer_ceremonies WHERE expires_at <= ?`, now); err != nil {
			return err
		}
		res.Outbox, err = sweepOutbox(ctx, tx, batch)
		return err
	})
	return res, err
}

func sweepPending(ctx context.Context, tx *db.Tx, before time.Time, batch int) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT id, email_key FROM customers c WHERE status = 'pending' AND updated_at < ?
		AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY id LIMIT ?`, before, batch)
	if err != nil {
		return 0, err
	}
	type victim struct {
		id  int64
		key string
	}
	var vs []victim
	for rows.Next() {
		var v victim
		if err := rows.Scan(&v.id, &v.key); err != nil {
			rows.Close()
			return 0, err
		}
		vs = append(vs, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, v := range vs {
		for _, q := range []string{
			`DELETE FROM customer_tokens WHERE customer_id = ?`,
			`DELETE FROM customer_sessions WHERE customer_id = ?`,
			`DELETE FROM customer_addresses WHERE customer_id = ?`,
			`DELETE FROM customer_favorites WHERE customer_id = ?`,
			`DELETE FROM customers WHERE id = ? AND status = 'pending'`,
		} {
			if _, err := tx.Exec(ctx, q, v.id); err != nil {
				return 0, err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM outbox WHERE LOWER(to_addr) = ? AND status <> 'pending'`, v.key); err != nil {
			return 0, err
		}
	}
	return int64(len(vs)), nil
}

func sweepOutbox(ctx context.Context, tx *db.Tx, batch int) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT s.outbox_id, s.customer_id FROM customer_outbox_scrub s JOIN outbox o ON o.id = s.outbox_id
		WHERE o.status <> 'pending' ORDER BY s.outbox_id LIMIT ?`, batch)
	if err != nil {
		return 0, err
	}
	var ids [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, p := range ids {
		// The row stays (the mail log still shows that a mail of that
		// event was sent, when, with which Message-ID), without the person.
		if _, err := tx.Exec(ctx, `UPDATE outbox SET to_addr = ?, subject = '', body_text = '', body_html = '', headers = '{}', last_error = '' WHERE id = ?`,
			fmt.Sprintf("withdrawn-%d@invalid", p[1]), p[0]); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM customer_outbox_scrub WHERE outbox_id = ?`, p[0]); err != nil {
			return 0, err
		}
	}
	// Rows the mail admin deleted meanwhile need no scrubbing.
	if _, err := tx.Exec(ctx, `DELETE FROM customer_outbox_scrub WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = customer_outbox_scrub.outbox_id)`); err != nil {
		return 0, err
	}
	return int64(len(ids)), nil
}

// Sweeper runs Sweep every Every (default an hour) until its context
// ends. It logs counts only, never who.
type Sweeper struct {
	DB    *db.DB
	Log   *slog.Logger
	Every time.Duration
}

// Run sweeps at once and then every s.Every.
func (s *Sweeper) Run(ctx context.Context) {
	every := s.Every
	if every <= 0 {
		every = time.Hour
	}
	for {
		res, err := Sweep(ctx, s.DB, 500)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Log.Error("customer: sweep failed", "err", err)
		case res != SweepResult{}:
			s.Log.Info("customer: swept", "registrations", res.Registrations, "tokens", res.Tokens, "sessions", res.Sessions, "outbox", res.Outbox)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
