package webhook

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Endpoint is a subscription. Secret and OldSecret are for signing and
// for showing once to the owner; they are never logged.
type Endpoint struct {
	ID           int64
	URL          string
	Description  string
	Events       []string
	Secret       string
	OldSecret    string
	OldUntil     *time.Time
	AllowPrivate bool
	Active       bool
	Failures     int
	DisabledAt   *time.Time
	DisabledWhy  string
	CreatedAt    time.Time
}

// Subscribes reports whether the endpoint wants event.
func (e Endpoint) Subscribes(event string) bool {
	for _, x := range e.Events {
		if x == event {
			return true
		}
	}
	return false
}

// Host is the URL's host, for lists and mails.
func (e Endpoint) Host() string { return hostOf(e.URL) }

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return ""
}

const endpointCols = `id, url, description, events, secret, old_secret, old_until, allow_private, active, failures, disabled_at, disabled_why, created_at`

func scanEndpoint(sc interface{ Scan(...any) error }) (Endpoint, error) {
	var e Endpoint
	var events string
	err := sc.Scan(&e.ID, &e.URL, &e.Description, &events, &e.Secret, &e.OldSecret, &e.OldUntil, &e.AllowPrivate, &e.Active, &e.Failures, &e.DisabledAt, &e.DisabledWhy, &e.CreatedAt)
	e.Events = strings.Fields(events)
	return e, err
}

// Endpoints lists every endpoint, newest first.
func Endpoints(ctx context.Context, q db.Queryer) ([]Endpoint, error) {
	rows, err := q.Query(ctx, `SELECT `+endpointCols+` FROM webhook_endpoints ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Endpoint
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EndpointByID returns one endpoint. Errors: NotFound.
func EndpointByID(ctx context.Context, q db.Queryer, id int64) (Endpoint, error) {
	e, err := scanEndpoint(q.QueryRow(ctx, `SELECT `+endpointCols+` FROM webhook_endpoints WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, shop.ErrNotFound
	}
	return e, err
}

// Input is an endpoint as the owner entered it.
type Input struct {
	URL          string
	Description  string
	Events       []string
	AllowPrivate bool
}

// Validate checks the input; the errors map names fields and i18n keys.
func (in Input) Validate() map[string]string {
	errs := map[string]string{}
	if _, err := CheckURL(in.URL, in.AllowPrivate); err != nil {
		var se *shop.Error
		if errors.As(err, &se) {
			errs["url"] = se.Key
		}
	}
	if len(in.Events) == 0 {
		errs["events"] = "webhook.error.events"
	}
	for _, e := range in.Events {
		if !known(e) {
			errs["events"] = "webhook.error.events"
		}
	}
	if len([]rune(in.Description)) > 200 {
		errs["description"] = "webhook.error.description"
	}
	return errs
}

// Create stores a new active endpoint with a fresh secret and returns it.
func Create(ctx context.Context, tx *db.Tx, in Input) (Endpoint, error) {
	secret := NewSecret()
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO webhook_endpoints (url, description, events, secret, allow_private, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, strings.TrimSpace(in.URL), in.Description, strings.Join(in.Events, " "), secret, in.AllowPrivate, true, tx.Now(), tx.Now()).Scan(&id)
	if err != nil {
		return Endpoint{}, err
	}
	return EndpointByID(ctx, tx, id)
}

// Update changes an endpoint's URL, description, events and private
// address permission. Errors: NotFound.
func Update(ctx context.Context, tx *db.Tx, id int64, in Input) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, allow_private = ?, updated_at = ? WHERE id = ?`,
		strings.TrimSpace(in.URL), in.Description, strings.Join(in.Events, " "), in.AllowPrivate, tx.Now(), id))
	if err == nil && n != 1 {
		err = shop.ErrNotFound
	}
	return err
}

// RotateOverlap is how long the previous secret keeps signing after a
// rotation.
const RotateOverlap = 24 * time.Hour

// Rotate gives an endpoint a new secret; the old one keeps signing (a
// second signature in the header) for RotateOverlap. It returns the new
// secret. Errors: NotFound.
func Rotate(ctx context.Context, tx *db.Tx, id int64) (string, error) {
	secret := NewSecret()
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE webhook_endpoints SET old_secret = secret, old_until = ?, secret = ?, updated_at = ? WHERE id = ?`,
		tx.Now().Add(RotateOverlap), secret, tx.Now(), id))
	if err == nil && n != 1 {
		err = shop.ErrNotFound
	}
	return secret, err
}

// SetActive switches an endpoint on (clearing its failure count) or off.
func SetActive(ctx context.Context, tx *db.Tx, id int64, on bool, why string) error {
	var err error
	var n int64
	if on {
		n, err = db.RowsAffected(tx.Exec(ctx, `UPDATE webhook_endpoints SET active = ?, failures = 0, disabled_at = NULL, disabled_why = '', updated_at = ? WHERE id = ?`, true, tx.Now(), id))
	} else {
		n, err = db.RowsAffected(tx.Exec(ctx, `UPDATE webhook_endpoints SET active = ?, disabled_at = ?, disabled_why = ?, updated_at = ? WHERE id = ?`, false, tx.Now(), why, tx.Now(), id))
	}
	if err == nil && n != 1 {
		err = shop.ErrNotFound
	}
	return err
}

// Delete removes an endpoint with its deliveries.
func Delete(ctx context.Context, tx *db.Tx, id int64) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = ?`, id))
	if err == nil && n != 1 {
		err = shop.ErrNotFound
	}
	return err
}

// Delivery is one event sent (or being sent) to an endpoint.
type Delivery struct {
	ID         int64
	MsgID      string
	Event      string
	Status     string // pending, delivered, dead
	Attempts   int
	LastStatus int
	LastError  string
	NextAt     time.Time
	CreatedAt  time.Time
	Tries      []Attempt
}

// Attempt is one try of a delivery.
type Attempt struct {
	StatusCode int
	Error      string
	DurationMS int
	At         time.Time
}

// Deliveries returns an endpoint's latest deliveries with their attempts,
// newest first.
func Deliveries(ctx context.Context, q db.Queryer, endpointID int64, limit int) ([]Delivery, error) {
	rows, err := q.Query(ctx, `SELECT id, msg_id, event, status, attempts, last_status, last_error, next_attempt_at, created_at
		FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?`, endpointID, limit)
	if err != nil {
		return nil, err
	}
	var out []Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.MsgID, &d.Event, &d.Status, &d.Attempts, &d.LastStatus, &d.LastError, &d.NextAt, &d.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		arows, err := q.Query(ctx, `SELECT status_code, error, duration_ms, at FROM webhook_attempts WHERE delivery_id = ? ORDER BY id`, out[i].ID)
		if err != nil {
			return nil, err
		}
		for arows.Next() {
			var a Attempt
			if err := arows.Scan(&a.StatusCode, &a.Error, &a.DurationMS, &a.At); err != nil {
				arows.Close()
				return nil, err
			}
			out[i].Tries = append(out[i].Tries, a)
		}
		arows.Close()
		if err := arows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Replay queues a delivery again as a new row with the same webhook-id
// and payload (receivers that deduplicate by webhook-id see a repeat, as
// Standard Webhooks intends). Errors: NotFound when the delivery is not
// the endpoint's.
func Replay(ctx context.Context, tx *db.Tx, endpointID, deliveryID int64) (int64, error) {
	var msgID, event, body string
	err := tx.QueryRow(ctx, `SELECT msg_id, event, payload FROM webhook_deliveries WHERE id = ? AND endpoint_id = ?`, deliveryID, endpointID).Scan(&msgID, &event, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, shop.ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO webhook_deliveries (endpoint_id, msg_id, event, payload, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id`, endpointID, msgID, event, body, tx.Now(), tx.Now()).Scan(&id)
	return id, err
}

// Ping queues a test delivery ("webhook.test" is not an event anyone
// subscribes to; the owner sends it from the admin to try an endpoint).
func Ping(ctx context.Context, tx *db.Tx, endpointID int64) error {
	body := `{"type":"webhook.test","timestamp":"` + tx.Now().UTC().Format(time.RFC3339) + `","data":{}}`
	return insertDelivery(ctx, tx, endpointID, NewMessageID(), "webhook.test", body)
}

// Subscribes reports whether the input includes event (the form's
// checkboxes).
func (in Input) Subscribes(event string) bool {
	for _, e := range in.Events {
		if e == event {
			return true
		}
	}
	return false
}
