package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Outbox statuses.
const (
	StatusPending = "pending" // waiting for its first or next attempt
	StatusSent    = "sent"
	StatusDead    = "dead" // given up after the last attempt or a permanent refusal
)

// LogEntry is an outbox row as the admin's mail log shows it.
type LogEntry struct {
	ID            int64
	Event, Lang   string
	To, Subject   string
	Status        string
	Attempts      int
	LastError     string
	MessageID     string // "" until the first delivery attempt
	OrderNumber   string
	CustomerID    int64
	ResentFrom    int64
	CreatedAt     time.Time
	NextAttemptAt time.Time
	SentAt        *time.Time
}

// LogFilter narrows the mail log. Zero fields do not filter.
type LogFilter struct {
	Order    string // order number
	Customer int64  // the account's mails and the mails of its orders
	Status   string // StatusPending, StatusSent or StatusDead
	To       string // part of the recipient address
}

// valid reports whether f's status is one the log knows.
func (f LogFilter) valid() bool {
	return f.Status == "" || f.Status == StatusPending || f.Status == StatusSent || f.Status == StatusDead
}

const logColumns = `id, event, lang, to_addr, subject, status, attempts, last_error, message_id,
	order_number, customer_id, resent_from, created_at, next_attempt_at, sent_at`

func scanLog(sc interface{ Scan(...any) error }, e *LogEntry, extra ...any) error {
	var sent sql.NullTime
	err := sc.Scan(append([]any{&e.ID, &e.Event, &e.Lang, &e.To, &e.Subject, &e.Status, &e.Attempts, &e.LastError, &e.MessageID,
		&e.OrderNumber, &e.CustomerID, &e.ResentFrom, &e.CreatedAt, &e.NextAttemptAt, &sent}, extra...)...)
	if sent.Valid {
		t := sent.Time
		e.SentAt = &t
	}
	return err
}

// Log returns a page of the outbox, newest first, and the number of rows
// that match f. Errors: Invalid ("status") for an unknown status.
func Log(ctx context.Context, q db.Queryer, f LogFilter, limit, offset int) ([]LogEntry, int, error) {
	if !f.valid() {
		return nil, 0, shop.Invalidf(map[string]string{"status": "maillog.bad_status"})
	}
	var where []string
	var args []any
	if f.Order != "" {
		where, args = append(where, "order_number = ?"), append(args, f.Order)
	}
	if f.Customer != 0 {
		where = append(where, "(customer_id = ? OR order_number IN (SELECT number FROM orders WHERE customer_id = ?))")
		args = append(args, f.Customer, f.Customer)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.To != "" {
		where, args = append(where, "LOWER(to_addr) LIKE ? ESCAPE '\\'"), append(args, "%"+likeEscape(strings.ToLower(f.To))+"%")
	}
	sqlWhere := ""
	if len(where) > 0 {
		sqlWhere = "WHERE " + strings.Join(where, " AND ")
	}
	rows, err := q.Query(ctx, `SELECT `+logColumns+`, COUNT(*) OVER() FROM outbox `+sqlWhere+`
		ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []LogEntry
	total := 0
	for rows.Next() {
		var e LogEntry
		if err := scanLog(rows, &e, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Logged returns one outbox row with the message it holds. Errors:
// NotFound.
func Logged(ctx context.Context, q db.Queryer, id int64) (*LogEntry, *Message, error) {
	var e LogEntry
	m := &Message{}
	var headers string
	err := scanLog(q.QueryRow(ctx, `SELECT `+logColumns+`, from_addr, body_text, body_html, headers, charset, marketing
		FROM outbox WHERE id = ?`, id), &e, &m.From, &m.Text, &m.HTML, &headers, &m.Charset, &m.Marketing)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal([]byte(headers), &m.Headers); err != nil {
		return nil, nil, err
	}
	m.Event, m.Lang, m.To, m.Subject, m.OrderNumber, m.CustomerID = e.Event, e.Lang, e.To, e.Subject, e.OrderNumber, e.CustomerID
	return &e, m, nil
}

// OneTimeLink reports whether event's mail carries a link that works once
// or for a short time (registration, address change, password reset):
// such a mail is never resent from the log, and its link is hidden there.
func OneTimeLink(event string) bool {
	switch event {
	case "customer_confirm", "customer_email_confirm", "customer_reset", "customer_invite":
		return true
	}
	return false
}

// Resend queues a copy of outbox row id as a new mail in tx (the original
// stays as it was) and returns the new row's ID. Errors: NotFound;
// Conflict "maillog.no_resend" for a mail with a one-time link (the
// customer asks for a new one) and for a mail still waiting to be sent.
func Resend(ctx context.Context, tx *db.Tx, id int64) (int64, error) {
	e, m, err := Logged(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	if OneTimeLink(e.Event) {
		return 0, shop.Errorf(shop.Conflict, "maillog.no_resend_link")
	}
	if e.Status == StatusPending {
		return 0, shop.Errorf(shop.Conflict, "maillog.no_resend_pending")
	}
	newID, err := Enqueue(ctx, tx, m)
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE outbox SET resent_from = ? WHERE id = ?`, id, newID)
	return newID, err
}
