package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/akinai/akinai/internal/db"
)

// Enqueue writes m to the outbox inside tx, so the mail exists exactly
// when the event that causes it commits. A worker delivers it later.
// It returns the outbox ID, or an Invalid error for a header-injected or
// malformed message (nothing is written then).
func Enqueue(ctx context.Context, tx *db.Tx, m *Message) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if m.Charset == "" {
		m.Charset = "utf-8"
	}
	if m.Lang == "" {
		m.Lang = "ja"
	}
	headers, err := json.Marshal(m.Headers)
	if err != nil {
		return 0, err
	}
	if m.Headers == nil {
		headers = []byte("{}")
	}
	id, err := insertOutbox(ctx, tx, m, m.To, m.CustomerID, headers)
	if err != nil || m.Marketing || !shopCopy[m.Event] {
		return id, err
	}
	var bcc string
	switch err := tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'mail.bcc'`).Scan(&bcc); {
	case errors.Is(err, sql.ErrNoRows):
		return id, nil
	case err != nil:
		return 0, err
	}
	if bcc != "" {
		if _, err := insertOutbox(ctx, tx, m, bcc, 0, headers); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// shopCopy are the events the shop receives a copy of when the operator
// set an address for it (メール設定: BCC), as EC-CUBE does for order mails.
var shopCopy = map[string]bool{"order_confirmation": true, "order_shipped": true, "order_message": true}

func insertOutbox(ctx context.Context, tx *db.Tx, m *Message, to string, customerID int64, headers []byte) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO outbox (event, lang, from_addr, to_addr, subject, body_text, body_html, headers, charset, marketing,
			order_number, customer_id, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id`,
		m.Event, m.Lang, m.From, to, m.Subject, m.Text, m.HTML, string(headers), m.Charset, m.Marketing,
		m.OrderNumber, customerID, tx.Now(), tx.Now()).Scan(&id)
	return id, err
}
