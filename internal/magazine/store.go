package magazine

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Store reads and writes magazines.
type Store struct {
	DB *db.DB
}

const magazineCols = `id, subject, body_text, body_html, segment, rate_per_minute, status, scheduled_at, listed,
	last_error, created_by, created_at, updated_at, started_at, finished_at`

func scanMagazine(row interface{ Scan(...any) error }) (*Magazine, error) {
	m := &Magazine{}
	var seg string
	var sched, started, finished sql.NullTime
	err := row.Scan(&m.ID, &m.Subject, &m.Text, &m.HTML, &seg, &m.Rate, &m.Status, &sched, &m.Listed,
		&m.LastError, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &started, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if m.Segment, err = decodeSegment(seg); err != nil {
		return nil, err
	}
	m.ScheduledAt, m.StartedAt, m.FinishedAt = timePtr(sched), timePtr(started), timePtr(finished)
	return m, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// Magazine returns one magazine, or shop.ErrNotFound.
func (st *Store) Magazine(ctx context.Context, id int64) (*Magazine, error) {
	return scanMagazine(st.DB.QueryRow(ctx, `SELECT `+magazineCols+` FROM magazines WHERE id = ?`, id))
}

// Magazines returns the newest magazines first, at most limit.
func (st *Store) Magazines(ctx context.Context, limit int) ([]*Magazine, error) {
	rows, err := st.DB.Query(ctx, `SELECT `+magazineCols+` FROM magazines ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Magazine
	for rows.Next() {
		m, err := scanMagazine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Save creates a draft (m.ID 0) or changes one, with its audit entry, and
// sets m.ID. It returns Invalid for bad content and Conflict when the
// magazine is no longer a draft.
func (st *Store) Save(ctx context.Context, m *Magazine, e audit.Entry) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return st.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if m.ID == 0 {
			err := tx.QueryRow(ctx, `INSERT INTO magazines (subject, body_text, body_html, segment, rate_per_minute, status,
					next_attempt_at, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id`,
				m.Subject, m.Text, m.HTML, m.Segment.encode(), m.Rate, now, m.CreatedBy, now, now).Scan(&m.ID)
			if err != nil {
				return err
			}
			e.Action = "magazine.created"
		} else {
			n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE magazines SET subject = ?, body_text = ?, body_html = ?, segment = ?,
					rate_per_minute = ?, updated_at = ? WHERE id = ? AND status = 'draft'`,
				m.Subject, m.Text, m.HTML, m.Segment.encode(), m.Rate, now, m.ID))
			if err != nil {
				return err
			}
			if n == 0 {
				return notDraft(ctx, tx, m.ID)
			}
			e.Action = "magazine.updated"
		}
		e.Target = "magazine:" + itoa(m.ID)
		_, err := audit.Append(ctx, tx, e)
		return err
	})
}

// notDraft is the error for a change refused because magazine id has
// left the draft state (or does not exist).
func notDraft(ctx context.Context, tx *db.Tx, id int64) error {
	var status string
	err := tx.QueryRow(ctx, `SELECT status FROM magazines WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return shop.ErrNotFound
	}
	if err != nil {
		return err
	}
	return shop.Errorf(shop.Conflict, "magazine.err.not_draft")
}

// Schedule queues a draft for sending at at (now or later). It refuses a
// segment that selects nobody (Invalid, "magazine.err.nobody") and a
// magazine that is not a draft (Conflict).
func (st *Store) Schedule(ctx context.Context, id int64, at time.Time, e audit.Entry) error {
	m, err := st.Magazine(ctx, id)
	if err != nil {
		return err
	}
	n, err := st.Count(ctx, m.Segment)
	if err != nil {
		return err
	}
	if n == 0 {
		return shop.Errorf(shop.Invalid, "magazine.err.nobody")
	}
	return st.DB.Tx(ctx, func(tx *db.Tx) error {
		if at.Before(tx.Now()) {
			at = tx.Now()
		}
		res, err := db.RowsAffected(tx.Exec(ctx, `UPDATE magazines SET status = 'pending', scheduled_at = ?, next_attempt_at = ?, updated_at = ?
			WHERE id = ? AND status = 'draft'`, at, at, tx.Now(), id))
		if err != nil {
			return err
		}
		if res == 0 {
			return notDraft(ctx, tx, id)
		}
		e.Action, e.Target = "magazine.scheduled", "magazine:"+itoa(id)
		e.Details = map[string]any{"at": at.Format(time.RFC3339), "matching": n}
		_, err = audit.Append(ctx, tx, e)
		return err
	})
}

// Cancel stops a scheduled or running send: recipients not yet sent are
// never sent. A draft goes back to nothing to do, too. It returns
// Conflict when the send has finished.
func (st *Store) Cancel(ctx context.Context, id int64, e audit.Entry) error {
	return st.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE magazines SET status = 'cancelled', finished_at = ?, updated_at = ?, locked_by = '', locked_until = NULL
			WHERE id = ? AND status IN ('draft', 'pending')`, tx.Now(), tx.Now(), id))
		if err != nil {
			return err
		}
		if n == 0 {
			var status string
			if err := tx.QueryRow(ctx, `SELECT status FROM magazines WHERE id = ?`, id).Scan(&status); errors.Is(err, sql.ErrNoRows) {
				return shop.ErrNotFound
			}
			return shop.Errorf(shop.Conflict, "magazine.err.finished")
		}
		e.Action, e.Target = "magazine.cancelled", "magazine:"+itoa(id)
		_, err = audit.Append(ctx, tx, e)
		return err
	})
}

// Stats counts the recipients of a magazine by outcome.
func (st *Store) Stats(ctx context.Context, id int64) (Stats, error) {
	var s Stats
	err := st.DB.QueryRow(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN bounced_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN resumed THEN 1 ELSE 0 END), 0)
		FROM magazine_recipients WHERE magazine_id = ?`, id).Scan(
		&s.Recipients, &s.Pending, &s.Sent, &s.Failed, &s.Skipped, &s.Unsubscribed, &s.Bounced, &s.Interrupted)
	return s, err
}

// Failure is a recipient the server refused.
type Failure struct {
	Email string
	Error string
}

// Failures returns up to limit refused recipients of a magazine.
func (st *Store) Failures(ctx context.Context, id int64, limit int) ([]Failure, error) {
	rows, err := st.DB.Query(ctx, `SELECT email, error FROM magazine_recipients WHERE magazine_id = ? AND status = 'failed' ORDER BY id LIMIT ?`, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Failure
	for rows.Next() {
		var f Failure
		if err := rows.Scan(&f.Email, &f.Error); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// names reads (id, name_ja, name_en) rows as select options in one
// language (Japanese when the English name is empty).
func (st *Store) names(ctx context.Context, query string, en bool) ([]option, error) {
	rows, err := st.DB.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []option
	for rows.Next() {
		var o option
		var ja, eng string
		if err := rows.Scan(&o.Value, &ja, &eng); err != nil {
			return nil, err
		}
		o.Label = ja
		if en && eng != "" {
			o.Label = eng
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
