package mail

import (
	"context"
	"encoding/json"

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
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO outbox (event, lang, from_addr, to_addr, subject, body_text, body_html, headers, charset, marketing,
			order_number, customer_id, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id`,
		m.Event, m.Lang, m.From, m.To, m.Subject, m.Text, m.HTML, string(headers), m.Charset, m.Marketing,
		m.OrderNumber, m.CustomerID, tx.Now(), tx.Now()).Scan(&id)
	return id, err
}
