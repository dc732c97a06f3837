package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/lease"
	"github.com/akinai/akinai/internal/mail"
)

// Worker delivers webhooks. The zero values of the tuning fields take the
// defaults in the comments.
type Worker struct {
	DB       *db.DB
	Log      *slog.Logger
	Instance string // names this worker in locked_by
	// MaxAttempts per delivery (10): with BaseDelay 10 s doubling up to
	// MaxDelay 10 h the last try comes about a day after the event.
	MaxAttempts int
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	// MaxFailures failed attempts in a row switch an endpoint off (15).
	MaxFailures int
	Timeout     time.Duration // per attempt (15 s)
	Poll        time.Duration // idle wait between scans (2 s)
	// Client returns the HTTP client for an endpoint (default: Client,
	// the SSRF-guarded one).
	Client func(allowPrivate bool) *http.Client
}

func (w *Worker) defaults() {
	if w.MaxAttempts == 0 {
		w.MaxAttempts = 10
	}
	if w.BaseDelay == 0 {
		w.BaseDelay = 10 * time.Second
	}
	if w.MaxDelay == 0 {
		w.MaxDelay = 10 * time.Hour
	}
	if w.MaxFailures == 0 {
		w.MaxFailures = 15
	}
	if w.Timeout == 0 {
		w.Timeout = 15 * time.Second
	}
	if w.Poll == 0 {
		w.Poll = 2 * time.Second
	}
	if w.Instance == "" {
		w.Instance = "webhook-" + NewMessageID()[4:12]
	}
	if w.Client == nil {
		strict, open := Client(false, w.Timeout), Client(true, w.Timeout)
		w.Client = func(allowPrivate bool) *http.Client {
			if allowPrivate {
				return open
			}
			return strict
		}
	}
}

const batch = 20

func (w *Worker) queue() *lease.Queue {
	return &lease.Queue{Table: "webhook_deliveries", Done: "delivered", DoneAt: "delivered_at", Dead: "dead",
		Instance: w.Instance, Lease: w.Timeout + 30*time.Second, Batch: batch,
		MaxAttempts: w.MaxAttempts, BaseDelay: w.BaseDelay, MaxDelay: w.MaxDelay}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	lease.Run(ctx, batch, w.Poll, w.Once, func(err error) { w.Log.Error("webhook worker", "err", err) })
}

// job is a claimed delivery with what sending it needs.
type job struct {
	lease.Job
	endpointID   int64
	url          string
	secrets      []string
	allowPrivate bool
	active       bool
	msgID, event string
	payload      string
}

// Once claims due deliveries and attempts each; it returns how many it
// claimed.
func (w *Worker) Once(ctx context.Context) (int, error) {
	w.defaults()
	q := w.queue()
	var jobs []job
	err := w.DB.Tx(ctx, func(tx *db.Tx) error {
		claimed, err := q.Claim(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range claimed {
			j := job{Job: c}
			var secret, old string
			var oldUntil *time.Time
			err := tx.QueryRow(ctx, `SELECT d.endpoint_id, d.msg_id, d.event, d.payload, e.url, e.secret, e.old_secret, e.old_until, e.allow_private, e.active
				FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?`, c.ID).
				Scan(&j.endpointID, &j.msgID, &j.event, &j.payload, &j.url, &secret, &old, &oldUntil, &j.allowPrivate, &j.active)
			if err != nil {
				return err
			}
			j.secrets = []string{secret}
			if old != "" && oldUntil != nil && tx.Now().Before(*oldUntil) {
				j.secrets = append(j.secrets, old)
			}
			jobs = append(jobs, j)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		if err := w.attempt(ctx, q, j); err != nil {
			return len(jobs), err
		}
	}
	return len(jobs), nil
}

// attempt sends one delivery and records the outcome.
func (w *Worker) attempt(ctx context.Context, q *lease.Queue, j job) error {
	if j.Late(time.Now()) {
		return nil
	}
	if !j.active {
		return w.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := q.Fail(ctx, tx, j.Job, "endpoint disabled", true)
			return err
		})
	}
	start := time.Now()
	code, sendErr := w.send(ctx, j)
	took := time.Since(start)
	msg := ""
	if sendErr != nil {
		msg = sendErr.Error()
	} else if code < 200 || code > 299 {
		msg = "HTTP " + strconv.Itoa(code)
	}
	// A 410 Gone is the receiver saying "stop": no more retries.
	giveUp := code == http.StatusGone
	return w.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO webhook_attempts (delivery_id, status_code, error, duration_ms, at) VALUES (?, ?, ?, ?, ?)`,
			j.ID, code, truncate(msg, 300), took.Milliseconds(), tx.Now()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET last_status = ? WHERE id = ?`, code, j.ID); err != nil {
			return err
		}
		if msg == "" {
			if err := q.Finish(ctx, tx, j.Job); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET failures = 0 WHERE id = ? AND failures <> 0`, j.endpointID)
			return err
		}
		if _, err := q.Fail(ctx, tx, j.Job, truncate(msg, 300), giveUp); err != nil {
			return err
		}
		return w.countFailure(ctx, tx, j.endpointID)
	})
}

// send POSTs the payload, signed for this attempt, and returns the
// response status (0 when there was none). The secrets never reach a log:
// errors carry the URL and the cause only.
func (w *Worker) send(ctx context.Context, j job) (int, error) {
	ts := time.Now().Unix()
	sig, err := SignatureHeader(j.secrets, j.msgID, ts, []byte(j.payload))
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.url, bytes.NewReader([]byte(j.payload)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Akinai-Webhooks/1")
	req.Header.Set("webhook-id", j.msgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := w.Client(j.allowPrivate).Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// countFailure counts a failed attempt against the endpoint and switches
// it off at MaxFailures in a row, mailing every owner and writing the
// audit log, in the transaction that records the attempt.
func (w *Worker) countFailure(ctx context.Context, tx *db.Tx, endpointID int64) error {
	var failures int
	var url string
	var active bool
	err := tx.QueryRow(ctx, `UPDATE webhook_endpoints SET failures = failures + 1 WHERE id = ? RETURNING failures, url, active`, endpointID).Scan(&failures, &url, &active)
	if err != nil || !active || failures < w.MaxFailures {
		return err
	}
	why := fmt.Sprintf("%d failed deliveries in a row", failures)
	if _, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET active = ?, disabled_at = ?, disabled_why = ?, updated_at = ? WHERE id = ?`,
		false, tx.Now(), why, tx.Now(), endpointID); err != nil {
		return err
	}
	if _, err := audit.Append(ctx, tx, audit.Entry{Actor: "system", Action: "webhook.disabled", Target: strconv.FormatInt(endpointID, 10),
		Details: map[string]any{"url": url, "failures": failures}}); err != nil {
		return err
	}
	w.Log.Warn("webhook endpoint disabled after repeated failures", "endpoint", endpointID, "failures", failures)
	return mailOwners(ctx, tx, endpointID, url, failures)
}

// mailOwners queues the "endpoint switched off" mail to every active
// owner, in their language, with their anti-phishing code first and no
// link (the owner opens the admin as usual).
func mailOwners(ctx context.Context, tx *db.Tx, endpointID int64, url string, failures int) error {
	rows, err := tx.Query(ctx, `SELECT email, lang, anti_phishing FROM admins WHERE role = 'owner' AND status = 'active' ORDER BY id`)
	if err != nil {
		return err
	}
	type owner struct{ email, lang, code string }
	var owners []owner
	for rows.Next() {
		var o owner
		if err := rows.Scan(&o.email, &o.lang, &o.code); err != nil {
			rows.Close()
			return err
		}
		owners = append(owners, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range owners {
		lang, _ := i18n.Parse(o.lang)
		m := &mail.Message{Event: "webhook_disabled", Lang: string(lang), To: o.email,
			Subject: i18n.T(lang, "webhook.mail.subject"),
			Text:    i18n.T(lang, "webhook.mail.body", o.code, endpointID, hostOf(url), failures)}
		if _, err := mail.Enqueue(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
