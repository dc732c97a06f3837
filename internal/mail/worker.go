package mail

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/lease"
)

// Sender hands a finished message to a mail server. *SMTP is one.
type Sender interface {
	Send(ctx context.Context, from string, to []string, msg []byte) error
}

// AcceptSender is a Sender that reports the server's acceptance of a
// message (its reply to the final dot) before it ends the session, so the
// worker records the delivery before anything else. *SMTP is one.
type AcceptSender interface {
	SendThen(ctx context.Context, from string, to []string, msg []byte, accepted func()) error
}

// Signer adds a DKIM-Signature to a finished message. The key store's
// ActiveSigner result is one; it is asked per message so a rotated key
// is used from the next mail on.
type Signer interface {
	Sign(ctx context.Context, msg []byte) ([]byte, error)
}

// Worker delivers the outbox. Any number of workers, in one process or
// several instances on one PostgreSQL database, may run at once: a row is
// claimed under a lease (locked_by, locked_until) in one short
// transaction, sent outside it, and marked sent or rescheduled in a
// second.
//
// Delivery is at least once, never at most once. Before a send the row's
// sending_at is set; the moment the server accepts the mail (its reply to
// the final dot, before QUIT) one small UPDATE marks the row sent. Only a
// crash in that window — between the server's acceptance and that UPDATE's
// commit — or a reply lost on the network sends the mail again once the
// lease expires. The re-sent mail carries the same Message-ID (fixed at
// the first claim) and is byte-identical apart from the DKIM signature's
// time, so receivers and people can recognise the duplicate, and the
// worker logs it as a resumed send (sending_at was still set). Nothing is
// sent while the database cannot record it. Two live workers never send
// the same row: a worker does not start a send whose lease has run out.
type Worker struct {
	DB       *db.DB
	Sender   Sender
	Signer   Signer // nil: unsigned (not for production)
	Log      *slog.Logger
	Instance string // names this worker in locked_by, e.g. host:pid

	// From and FromName are the shop's sender, used when a message has
	// no From of its own; Domain is the right-hand side of Message-IDs.
	From, FromName, Domain string
	// Shop, when set, is asked per batch for the current sender name and
	// address so a change in the settings applies without a restart.
	Shop func(ctx context.Context) (from, fromName string, err error)

	MaxAttempts int           // default 8
	BaseDelay   time.Duration // first retry delay, doubled each time; default 10 min (8 tries ≈ 21 h)
	MaxDelay    time.Duration // default 12 h
	Lease       time.Duration // default 15 min; must exceed Batch × the sender's timeout
	Batch       int           // rows claimed at once; default 10
	Poll        time.Duration // idle wait between scans; default 5 s
}

func (w *Worker) defaults() {
	if w.MaxAttempts == 0 {
		w.MaxAttempts = 8
	}
	if w.BaseDelay == 0 {
		w.BaseDelay = 10 * time.Minute
	}
	if w.MaxDelay == 0 {
		w.MaxDelay = 12 * time.Hour
	}
	if w.Lease == 0 {
		w.Lease = 15 * time.Minute
	}
	if w.Batch == 0 {
		w.Batch = 10
	}
	if w.Poll == 0 {
		w.Poll = 5 * time.Second
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Instance == "" {
		w.Instance = "worker-" + randomID(6)
	}
}

// queue is the outbox under this worker's settings.
func (w *Worker) queue() *lease.Queue {
	return &lease.Queue{Table: "outbox", Done: "sent", DoneAt: "sent_at", Dead: "dead",
		Instance: w.Instance, Lease: w.Lease, Batch: w.Batch,
		MaxAttempts: w.MaxAttempts, BaseDelay: w.BaseDelay, MaxDelay: w.MaxDelay}
}

// Run delivers until ctx ends, scanning again at once after a full batch
// and after Poll when the outbox is idle or a scan failed.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	lease.Run(ctx, w.Batch, w.Poll, w.RunOnce, func(err error) {
		w.Log.Error("mail: delivery scan failed", "err", err)
	})
}

// RunOnce claims one batch of due rows and delivers them. It returns how
// many rows it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	q := w.queue()
	rows, err := w.claim(ctx, q)
	if err != nil {
		return 0, err
	}
	from, fromName := w.From, w.FromName
	if w.Shop != nil {
		if from, fromName, err = w.Shop(ctx); err != nil {
			return len(rows), err
		}
	}
	for _, r := range rows {
		if ctx.Err() != nil {
			break // the rows left are retried when their lease expires
		}
		if r.job.Late(w.DB.Now()) {
			w.Log.Warn("mail: lease ran out before sending; leaving it for the next claim", "outbox", r.job.ID)
			continue
		}
		if ok, err := w.startSending(ctx, r); err != nil || !ok {
			if err != nil && !db.IsUnavailable(err) {
				w.Log.Error("mail: cannot record the start of a send; not sending", "outbox", r.job.ID, "err", err)
			}
			continue // retried when the lease expires
		}
		if r.resumed {
			w.Log.Warn("mail: sending again a mail whose earlier send was interrupted (a crash or a lost reply): the recipient may get it twice, with the same Message-ID",
				"outbox", r.job.ID, "message_id", r.messageID)
		}
		// Record the outcome even when ctx was cancelled mid-send: the
		// mark is what keeps a delivered mail from being sent again.
		markCtx := func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		}
		marked := false
		err := w.deliver(ctx, r, from, fromName, func() {
			mctx, cancel := markCtx()
			defer cancel()
			merr := w.markSent(mctx, r)
			marked = merr == nil
			if merr != nil {
				w.Log.Error("mail: cannot record an accepted mail yet; trying again after the session", "outbox", r.job.ID, "err", merr)
			}
		})
		if !marked {
			mctx, cancel := markCtx()
			if merr := w.mark(mctx, q, r, err); merr != nil {
				w.Log.Error("mail: cannot record delivery", "outbox", r.job.ID, "err", merr)
			}
			cancel()
		}
	}
	return len(rows), nil
}

// claimed is an outbox row under this worker's lease.
type claimed struct {
	job       lease.Job
	messageID string
	msg       Message
	resumed   bool // an earlier send began and recorded no outcome
}

// claim leases up to Batch due rows (lease.Queue.Claim) and reads them.
// A row's Message-ID is fixed at its first claim, so a mail sent again
// after a crash carries the same one.
func (w *Worker) claim(ctx context.Context, q *lease.Queue) ([]claimed, error) {
	var out []claimed
	err := w.DB.Tx(ctx, func(tx *db.Tx) error {
		jobs, err := q.Claim(ctx, tx)
		if err != nil {
			return err
		}
		out = make([]claimed, 0, len(jobs))
		for _, j := range jobs {
			c := claimed{job: j}
			var headers string
			var sending sql.NullTime
			err := tx.QueryRow(ctx, `UPDATE outbox
				SET message_id = CASE WHEN message_id = '' THEN ? ELSE message_id END
				WHERE id = ?
				RETURNING message_id, event, lang, from_addr, to_addr, subject, body_text, body_html, headers, charset, marketing, sending_at`,
				w.newMessageID(j.ID), j.ID).Scan(
				&c.messageID, &c.msg.Event, &c.msg.Lang, &c.msg.From, &c.msg.To, &c.msg.Subject,
				&c.msg.Text, &c.msg.HTML, &headers, &c.msg.Charset, &c.msg.Marketing, &sending)
			if err != nil {
				return err
			}
			c.resumed = sending.Valid
			if err := json.Unmarshal([]byte(headers), &c.msg.Headers); err != nil {
				return fmt.Errorf("mail: outbox %d headers: %w", j.ID, err)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// deliver builds, signs and sends one row, calling accepted the moment
// the server accepts it (when the Sender can tell).
func (w *Worker) deliver(ctx context.Context, r claimed, from, fromName string, accepted func()) error {
	raw, err := Build(&r.msg, Envelope{From: from, FromName: fromName, MessageID: r.messageID, Date: time.Now().In(jst)})
	if err != nil {
		return &PermanentError{Err: err}
	}
	if w.Signer != nil {
		if raw, err = w.Signer.Sign(ctx, raw); err != nil {
			return fmt.Errorf("mail: DKIM: %w", err)
		}
	}
	sender := from
	if r.msg.From != "" {
		sender = r.msg.From
		if a, err := parseAddress(sender); err == nil {
			sender = a
		}
	}
	to, _ := parseAddress(r.msg.To)
	if as, ok := w.Sender.(AcceptSender); ok {
		return as.SendThen(ctx, sender, []string{to}, raw, accepted)
	}
	return w.Sender.Send(ctx, sender, []string{to}, raw)
}

// startSending records that the SMTP transaction of r begins, and
// reports false when this worker no longer holds the row. Nothing is sent
// unless this is written: a send whose outcome could not be recorded is
// a duplicate in waiting.
func (w *Worker) startSending(ctx context.Context, r claimed) (bool, error) {
	n, err := db.RowsAffected(w.DB.Exec(ctx, `UPDATE outbox SET sending_at = ? WHERE id = ? AND status = 'pending' AND locked_by = ?`,
		w.DB.Now(), r.job.ID, w.Instance))
	return n == 1, err
}

// markSent records an accepted mail: one small UPDATE in its own
// implicit transaction, the first thing done after the server's reply.
// It applies even when the lease has passed to another worker: the mail
// has left.
func (w *Worker) markSent(ctx context.Context, r claimed) error {
	_, err := w.DB.Exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, locked_by = '', locked_until = NULL, last_error = '', sending_at = NULL
		WHERE id = ? AND status = 'pending'`, w.DB.Now(), r.job.ID)
	return err
}

// mark records the outcome: sent, rescheduled with back-off, or dead after
// the last attempt or a permanent failure. A reschedule only applies while
// this worker still holds the lease; "sent" always applies, because the
// mail has left.
//
// A failure the server certainly did not accept clears sending_at; one
// whose outcome is unknown (*UnknownOutcomeError) keeps it, so the next
// send is logged as a possible duplicate.
func (w *Worker) mark(ctx context.Context, q *lease.Queue, r claimed, sendErr error) error {
	if sendErr == nil {
		return w.markSent(ctx, r)
	}
	return w.DB.Tx(ctx, func(tx *db.Tx) error {
		var perm *PermanentError
		f, err := q.Fail(ctx, tx, r.job, sendErr.Error(), errors.As(sendErr, &perm))
		w.Log.Warn("mail: delivery failed", "outbox", r.job.ID, "attempt", r.job.Attempts, "status", f.Status, "err", f.Error)
		var unknown *UnknownOutcomeError
		if err == nil && f.Recorded && !errors.As(sendErr, &unknown) {
			_, err = tx.Exec(ctx, `UPDATE outbox SET sending_at = NULL WHERE id = ?`, r.job.ID)
		}
		return err
	})
}

func (w *Worker) newMessageID(id int64) string {
	domain := w.Domain
	if domain == "" {
		domain = "localhost"
	}
	return "<outbox-" + strconv.FormatInt(id, 10) + "." + randomID(10) + "@" + domain + ">"
}

var jst = time.FixedZone("JST", 9*60*60)

func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// parseAddress returns the bare address of "Name <addr>" or "addr".
func parseAddress(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	return a.Address, nil
}
