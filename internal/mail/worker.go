package mail

import (
	"context"
	"crypto/rand"
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
// Delivery is at least once, never at most once: if a worker dies after
// the server accepted a mail but before its second transaction commits,
// the row is sent again once the lease expires. The re-sent mail carries
// the same Message-ID (stored on the row when it is first claimed) and is
// byte-identical apart from the DKIM signature's time, so receivers and
// people can recognise the duplicate. Two live workers never send the
// same row: a worker does not start a send whose lease has run out.
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
		err := w.deliver(ctx, r, from, fromName)
		// Record the outcome even when ctx was cancelled mid-send: the
		// mark is what keeps a delivered mail from being sent again.
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if merr := w.mark(mctx, q, r, err); merr != nil {
			w.Log.Error("mail: cannot record delivery", "outbox", r.job.ID, "err", merr)
		}
		cancel()
	}
	return len(rows), nil
}

// claimed is an outbox row under this worker's lease.
type claimed struct {
	job       lease.Job
	messageID string
	msg       Message
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
			err := tx.QueryRow(ctx, `UPDATE outbox
				SET message_id = CASE WHEN message_id = '' THEN ? ELSE message_id END
				WHERE id = ?
				RETURNING message_id, event, lang, from_addr, to_addr, subject, body_text, body_html, headers, charset, marketing`,
				w.newMessageID(j.ID), j.ID).Scan(
				&c.messageID, &c.msg.Event, &c.msg.Lang, &c.msg.From, &c.msg.To, &c.msg.Subject,
				&c.msg.Text, &c.msg.HTML, &headers, &c.msg.Charset, &c.msg.Marketing)
			if err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(headers), &c.msg.Headers); err != nil {
				return fmt.Errorf("mail: outbox %d headers: %w", j.ID, err)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// deliver builds, signs and sends one row.
func (w *Worker) deliver(ctx context.Context, r claimed, from, fromName string) error {
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
	return w.Sender.Send(ctx, sender, []string{to}, raw)
}

// mark records the outcome: sent, rescheduled with back-off, or dead after
// the last attempt or a permanent failure. A reschedule only applies while
// this worker still holds the lease; "sent" always applies, because the
// mail has left.
func (w *Worker) mark(ctx context.Context, q *lease.Queue, r claimed, sendErr error) error {
	return w.DB.Tx(ctx, func(tx *db.Tx) error {
		if sendErr == nil {
			return q.Finish(ctx, tx, r.job)
		}
		var perm *PermanentError
		f, err := q.Fail(ctx, tx, r.job, sendErr.Error(), errors.As(sendErr, &perm))
		w.Log.Warn("mail: delivery failed", "outbox", r.job.ID, "attempt", r.job.Attempts, "status", f.Status, "err", f.Error)
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
