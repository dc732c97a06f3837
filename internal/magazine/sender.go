package magazine

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/lease"
	"github.com/akinai/akinai/internal/mail"
)

// Sender sends scheduled magazines. The magazine row is a job on the
// lease protocol: one worker at a time holds it, lists its segment into
// magazine_recipients and sends recipient after recipient, each under
// its own state row, at the magazine's rate. It gives the lease back
// after every slice so that another instance may go on; a worker killed
// mid-send leaves a lease that runs out, and the next worker continues
// where the rows say.
//
// Per recipient: sending_at is written before the SMTP transaction
// (conditional on holding the magazine's lease), and status 'sent' the
// moment the server accepts the mail (its reply to the final dot, before
// QUIT). A recipient whose row is sent is never mailed again; one whose
// row is pending without sending_at has not been mailed; one found with
// sending_at set was interrupted in between and is mailed again with the
// same Message-ID — the only case in which a recipient can get the
// magazine twice (docs/MAIL_MAGAZINE.md).
type Sender struct {
	DB     *db.DB
	SMTP   mail.AcceptSender // *mail.SMTP
	Signer mail.Signer       // nil: unsigned (tests)
	Tokens Tokens
	// BaseURL is the shop's public URL, for the unsubscribe links.
	BaseURL string
	// Shop returns the sender address and name; Domain is the right-hand
	// side of Message-IDs and of the VERP return path ("" uses the
	// sender's domain).
	Shop   func(ctx context.Context) (from, fromName string, err error)
	Domain string
	Log    *slog.Logger

	Instance    string        // names this worker in locked_by
	Lease       time.Duration // default 5 min
	SendTimeout time.Duration // the longest one SMTP send may take; default 60 s
	Poll        time.Duration // idle wait; default 10 s
	// Sleep waits between mails to keep the rate; nil uses a timer.
	// Clock is the pacing clock; nil is time.Now. Tests set both.
	Sleep func(ctx context.Context, d time.Duration)
	Clock func() time.Time
}

func (s *Sender) defaults() {
	if s.Lease == 0 {
		s.Lease = 5 * time.Minute
	}
	if s.SendTimeout == 0 {
		s.SendTimeout = 60 * time.Second
	}
	if s.Poll == 0 {
		s.Poll = 10 * time.Second
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Instance == "" {
		s.Instance = "magazine-" + randomID(6)
	}
	if s.Clock == nil {
		s.Clock = time.Now
	}
	if s.Sleep == nil {
		s.Sleep = func(ctx context.Context, d time.Duration) {
			select {
			case <-ctx.Done():
			case <-time.After(d):
			}
		}
	}
}

func (s *Sender) queue() *lease.Queue {
	return &lease.Queue{Table: "magazines", Done: Sent, DoneAt: "finished_at", Dead: Dead,
		Instance: s.Instance, Lease: s.Lease, Batch: 1,
		MaxAttempts: 50, BaseDelay: time.Minute, MaxDelay: time.Hour}
}

// Run sends until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	s.defaults()
	lease.Run(ctx, 1, s.Poll, s.RunOnce, func(err error) {
		s.Log.Error("magazine: send failed", "err", err)
	})
}

// errLost is a slice that ended because this worker no longer holds the
// magazine's lease.
var errLost = errors.New("magazine: lease lost")

// RunOnce claims one due magazine and works on it for one slice (until
// its lease is nearly over). It returns 1 when it claimed one.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	s.defaults()
	q := s.queue()
	var job lease.Job
	var m *Magazine
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		jobs, err := q.Claim(ctx, tx)
		if err != nil || len(jobs) == 0 {
			return err
		}
		job = jobs[0]
		if _, err := tx.Exec(ctx, `UPDATE magazines SET started_at = ? WHERE id = ? AND started_at IS NULL`, tx.Now(), job.ID); err != nil {
			return err
		}
		m, err = scanMagazine(tx.QueryRow(ctx, `SELECT `+magazineCols+` FROM magazines WHERE id = ?`, job.ID))
		return err
	})
	if err != nil || m == nil {
		return 0, err
	}
	// Stop starting sends while there is still time for one to finish
	// under the lease.
	stop := job.Until.Add(-s.SendTimeout - 2*time.Second)
	done, err := s.slice(ctx, m, stop)
	if errors.Is(err, errLost) {
		s.Log.Warn("magazine: lease lost; another worker goes on", "magazine", m.ID)
		return 1, nil
	}
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return 1, s.DB.Tx(mctx, func(tx *db.Tx) error {
		switch {
		case err != nil:
			f, ferr := q.Fail(mctx, tx, job, err.Error(), false)
			s.Log.Warn("magazine: send paused after an error; retried later", "magazine", m.ID, "status", f.Status, "err", err)
			return ferr
		case done:
			return q.Finish(mctx, tx, job)
		default:
			_, rerr := q.Release(mctx, tx, job)
			return rerr
		}
	})
}

// slice lists and sends until stop. It reports whether nothing is left.
func (s *Sender) slice(ctx context.Context, m *Magazine, stop time.Time) (bool, error) {
	for !m.Listed {
		if ctx.Err() != nil || s.DB.Now().After(stop) {
			return false, nil
		}
		var cursor int64
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT list_cursor FROM magazines WHERE id = ? AND locked_by = ?`, m.ID, s.Instance).Scan(&cursor); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return errLost
				}
				return err
			}
			done, err := listNext(ctx, tx, m, cursor)
			m.Listed = done
			return err
		})
		if err != nil {
			return false, err
		}
	}
	from, fromName, err := s.Shop(ctx)
	if err != nil {
		return false, err
	}
	domain := s.Domain
	if domain == "" {
		_, domain, _ = strings.Cut(from, "@")
	}
	interval := time.Minute / time.Duration(m.Rate)
	next := s.Clock()
	var after int64
	for {
		batch, err := s.recipients(ctx, m.ID, after)
		if err != nil {
			return false, err
		}
		if len(batch) == 0 {
			return true, nil
		}
		for _, r := range batch {
			after = r.id
			if ctx.Err() != nil || s.DB.Now().After(stop) {
				return false, nil
			}
			if !r.subscribed {
				if err := s.skip(ctx, m.ID, r.id); err != nil {
					return false, err
				}
				continue
			}
			if wait := next.Sub(s.Clock()); wait > 0 {
				s.Sleep(ctx, wait)
			}
			// A slow send does not earn a burst after it: at most a
			// second of sends is caught up.
			next = next.Add(interval)
			if floor := s.Clock().Add(-time.Second); next.Before(floor) {
				next = floor
			}
			if err := s.sendOne(ctx, m, r, from, fromName, domain); err != nil {
				return false, err
			}
		}
	}
}

// recipient is a pending row with what its mail needs.
type recipient struct {
	id         int64
	email      string
	lang       string
	messageID  string
	resumed    bool // sending_at was set: an earlier send was interrupted
	code       string
	subscribed bool
}

// recipients reads the next pending rows after the ID after, with whether
// each customer still wants the magazine: an unsubscribe or a bounce
// applies to every row not yet sent, at once.
func (s *Sender) recipients(ctx context.Context, magazineID, after int64) ([]recipient, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.id, r.email, r.lang, r.message_id, r.sending_at, c.anti_phishing,
			CASE WHEN c.status = 'active' AND c.newsletter = TRUE AND c.email = r.email
				AND NOT EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.email_key = c.email_key) THEN 1 ELSE 0 END
		FROM magazine_recipients r JOIN customers c ON c.id = r.customer_id
		WHERE r.magazine_id = ? AND r.status = 'pending' AND r.id > ? ORDER BY r.id LIMIT 200`, magazineID, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var r recipient
		var sending sql.NullTime
		var sub int
		if err := rows.Scan(&r.id, &r.email, &r.lang, &r.messageID, &sending, &r.code, &sub); err != nil {
			return nil, err
		}
		r.resumed, r.subscribed = sending.Valid, sub == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// subscribed is the condition, on a magazine_recipients row, that its
// customer still wants the magazine at this address: checked again in
// the UPDATE that begins each send, so an unsubscribe or a bounce applies
// from the very next mail.
const subscribed = `EXISTS (SELECT 1 FROM customers c WHERE c.id = magazine_recipients.customer_id AND c.status = 'active'
	AND c.newsletter = TRUE AND c.email = magazine_recipients.email
	AND NOT EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.email_key = c.email_key))`

// held is the condition that this worker still holds magazine ?'s lease.
const held = `EXISTS (SELECT 1 FROM magazines m WHERE m.id = ? AND m.locked_by = ? AND m.locked_until > ?)`

func (s *Sender) skip(ctx context.Context, magazineID, rid int64) error {
	n, err := db.RowsAffected(s.DB.Exec(ctx, `UPDATE magazine_recipients SET status = 'skipped', sending_at = NULL
		WHERE id = ? AND status = 'pending' AND `+held, rid, magazineID, s.Instance, s.DB.Now()))
	if err == nil && n == 0 {
		return errLost
	}
	return err
}

// sendOne mails one recipient. A refusal of this address (5xx) is the
// recipient's failure; anything else stops the slice (the server or the
// network is in trouble) and is retried later.
func (s *Sender) sendOne(ctx context.Context, m *Magazine, r recipient, from, fromName, domain string) error {
	unsub := strings.TrimRight(s.BaseURL, "/") + "/mail/unsubscribe/" + s.Tokens.Unsubscribe(r.id)
	msg, err := recipientMail(m, r.email, r.lang, r.code, unsub)
	if err != nil {
		return err
	}
	if r.messageID == "" {
		r.messageID = "<magazine-" + strconv.FormatInt(m.ID, 10) + "." + strconv.FormatInt(r.id, 10) + "." + randomID(8) + "@" + domain + ">"
	}
	// Begin: record the send (and its Message-ID) while holding the lease.
	set := `sending_at = ?, message_id = ?`
	if r.resumed {
		set += `, resumed = TRUE`
	}
	n, err := db.RowsAffected(s.DB.Exec(ctx, `UPDATE magazine_recipients SET `+set+`
		WHERE id = ? AND status = 'pending' AND `+subscribed+` AND `+held, s.DB.Now(), r.messageID, r.id, m.ID, s.Instance, s.DB.Now()))
	if err != nil {
		return err
	}
	if n == 0 {
		// Unsubscribed or bounced since the batch was read (skip), or
		// the lease is gone (skip says errLost).
		return s.skip(ctx, m.ID, r.id)
	}
	if r.resumed {
		s.Log.Warn("magazine: mailing again a recipient whose earlier send was interrupted (a crash or a lost reply): they may get it twice, with the same Message-ID",
			"magazine", m.ID, "recipient", r.id, "message_id", r.messageID)
	}
	raw, err := mail.Build(msg, mail.Envelope{From: from, FromName: fromName, MessageID: r.messageID, Date: time.Now().In(jst)})
	if err != nil {
		return s.outcome(ctx, r.id, "failed", err.Error())
	}
	if s.Signer != nil {
		if raw, err = s.Signer.Sign(ctx, raw); err != nil {
			if oerr := s.outcome(ctx, r.id, "pending", ""); oerr != nil {
				return oerr
			}
			return fmt.Errorf("magazine: DKIM: %w", err)
		}
	}
	marked := false
	sctx, cancel := context.WithTimeout(ctx, s.SendTimeout)
	defer cancel()
	err = s.SMTP.SendThen(sctx, s.Tokens.ReturnPath(r.id, domain), []string{r.email}, raw, func() {
		// The mark is what keeps an accepted mail from going again:
		// written even if ctx was cancelled meanwhile.
		mctx, c := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer c()
		marked = s.outcome(mctx, r.id, "sent", "") == nil
	})
	if marked {
		return nil
	}
	mctx, c := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer c()
	var perm *mail.PermanentError
	var unknown *mail.UnknownOutcomeError
	switch {
	case err == nil:
		return s.outcome(mctx, r.id, "sent", "")
	case errors.As(err, &perm):
		s.Log.Warn("magazine: the server refused a recipient", "magazine", m.ID, "recipient", r.id, "err", err)
		return s.outcome(mctx, r.id, "failed", err.Error())
	case errors.As(err, &unknown):
		return err // sending_at stays: the next send is logged as a possible duplicate
	default:
		if oerr := s.outcome(mctx, r.id, "pending", ""); oerr != nil {
			return oerr
		}
		return err
	}
}

// outcome records a recipient's result: sent, failed (with the error),
// or pending again with the send known not to have happened.
func (s *Sender) outcome(ctx context.Context, rid int64, status, msg string) error {
	if len(msg) > 500 {
		msg = msg[:500]
	}
	var err error
	switch status {
	case "sent":
		_, err = s.DB.Exec(ctx, `UPDATE magazine_recipients SET status = 'sent', sent_at = ?, sending_at = NULL WHERE id = ? AND status = 'pending'`, s.DB.Now(), rid)
	case "failed":
		_, err = s.DB.Exec(ctx, `UPDATE magazine_recipients SET status = 'failed', error = ?, sending_at = NULL WHERE id = ? AND status = 'pending'`, msg, rid)
	default:
		_, err = s.DB.Exec(ctx, `UPDATE magazine_recipients SET sending_at = NULL WHERE id = ? AND status = 'pending'`, rid)
	}
	if err != nil {
		return fmt.Errorf("magazine: record recipient %d: %w", rid, err)
	}
	return nil
}

func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
