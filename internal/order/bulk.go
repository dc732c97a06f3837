package order

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Bulk actions an admin can start on a selection of orders.
const (
	BulkStatus = "status" // move each order to the status in Param
	BulkNotice = "notice" // queue each shipped order's shipping notice again
)

// Outcomes of one order in a bulk job.
const (
	OutcomeChanged = "changed"
	OutcomeRefused = "refused" // the rules said no; Message is an i18n key
	OutcomeFailed  = "failed"  // an error; Message is its text
)

// BulkJob is a bulk action under way or done, with its counts.
type BulkJob struct {
	ID         int64
	Action     string
	Param      string // the target status of BulkStatus
	Note       string // written to each order's history
	ActorID    int64  // the admin who started it, for the audit log
	Actor      string
	Address    string
	Status     string // pending, done, failed
	LastError  string
	CreatedAt  time.Time
	FinishedAt sql.NullTime
	Counts     BulkCounts
}

// BulkCounts says how far a job has come.
type BulkCounts struct {
	Total, Todo, Changed, Refused, Failed int
}

// Percent is the share of the orders done, 0–100.
func (c BulkCounts) Percent() int {
	if c.Total == 0 {
		return 100
	}
	return (c.Total - c.Todo) * 100 / c.Total
}

// Selection is what a bulk action applies to: the orders ticked on a page,
// or with All every order the filter matches (Limit, Offset and Sort
// ignored).
type Selection struct {
	IDs    []int64
	All    bool
	Filter Filter
}

// MaxBulkIDs bounds a ticked selection (a page holds at most 100 rows;
// more goes through "all matching").
const MaxBulkIDs = 1000

// StartBulk records a bulk job on sel in tx and returns its ID; the
// orders are listed in one INSERT … SELECT, so the memory used does not
// grow with the selection. Errors: Invalid "order.bulk.bad_action" for an
// unknown action or a status move to shipped (which needs a carrier and
// tracking number: use the tracking import), Invalid "order.bulk.empty"
// when nothing is selected.
func StartBulk(ctx context.Context, tx *db.Tx, j BulkJob, sel Selection) (int64, error) {
	switch j.Action {
	case BulkStatus:
		if to := Status(j.Param); !to.Valid() || to == Shipped {
			return 0, shop.Invalidf(map[string]string{"to": "order.bulk.bad_status"})
		}
	case BulkNotice:
	default:
		return 0, shop.Invalidf(map[string]string{"action": "order.bulk.bad_action"})
	}
	if !sel.All && (len(sel.IDs) == 0 || len(sel.IDs) > MaxBulkIDs) {
		return 0, shop.Errorf(shop.Invalid, "order.bulk.empty")
	}
	now := tx.Now()
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO order_bulk_jobs (action, param, note, actor_id, actor, address, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, j.Action, j.Param, j.Note, j.ActorID, j.Actor, j.Address, now, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	var n int64
	if sel.All {
		where, args := sel.Filter.where()
		n, err = db.RowsAffected(tx.Exec(ctx, `INSERT INTO order_bulk_items (job_id, order_id) SELECT ?, id FROM orders`+where,
			append([]any{id}, args...)...))
		if err != nil {
			return 0, err
		}
	} else {
		for _, oid := range sel.IDs {
			// Unknown IDs and repeats insert nothing.
			k, err := db.RowsAffected(tx.Exec(ctx, `INSERT INTO order_bulk_items (job_id, order_id) SELECT ?, id FROM orders WHERE id = ?
				ON CONFLICT DO NOTHING`, id, oid))
			if err != nil {
				return 0, err
			}
			n += k
		}
	}
	if n == 0 {
		return 0, shop.Errorf(shop.Invalid, "order.bulk.empty")
	}
	return id, nil
}

// Bulk returns a bulk job with its counts. Errors: NotFound.
func Bulk(ctx context.Context, q db.Queryer, id int64) (*BulkJob, error) {
	var j BulkJob
	err := q.QueryRow(ctx, `SELECT id, action, param, note, actor_id, actor, address, status, last_error, created_at, finished_at
		FROM order_bulk_jobs WHERE id = ?`, id).Scan(&j.ID, &j.Action, &j.Param, &j.Note, &j.ActorID, &j.Actor, &j.Address,
		&j.Status, &j.LastError, &j.CreatedAt, &j.FinishedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT outcome, COUNT(*) FROM order_bulk_items WHERE job_id = ? GROUP BY outcome`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var outcome string
		var n int
		if err := rows.Scan(&outcome, &n); err != nil {
			return nil, err
		}
		j.Counts.Total += n
		switch outcome {
		case "":
			j.Counts.Todo = n
		case OutcomeChanged:
			j.Counts.Changed = n
		case OutcomeRefused:
			j.Counts.Refused = n
		case OutcomeFailed:
			j.Counts.Failed = n
		}
	}
	return &j, rows.Err()
}

// BulkItem is one order of a job with its outcome.
type BulkItem struct {
	OrderID          int64
	Number           string
	Param            string // what the action needs for this order
	Outcome, Message string
}

// BulkProblems returns up to limit orders of a job that were refused or
// failed, by order number.
func BulkProblems(ctx context.Context, q db.Queryer, id int64, limit int) ([]BulkItem, error) {
	rows, err := q.Query(ctx, `SELECT i.order_id, o.number, i.outcome, i.message FROM order_bulk_items i JOIN orders o ON o.id = i.order_id
		WHERE i.job_id = ? AND i.outcome IN ('refused', 'failed') ORDER BY o.number LIMIT ?`, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BulkItem
	for rows.Next() {
		var it BulkItem
		if err := rows.Scan(&it.OrderID, &it.Number, &it.Outcome, &it.Message); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// RecentBulks returns the latest jobs, newest first, without counts.
func RecentBulks(ctx context.Context, q db.Queryer, limit int) ([]BulkJob, error) {
	rows, err := q.Query(ctx, `SELECT id, action, param, actor, status, created_at, finished_at FROM order_bulk_jobs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BulkJob
	for rows.Next() {
		var j BulkJob
		if err := rows.Scan(&j.ID, &j.Action, &j.Param, &j.Actor, &j.Status, &j.CreatedAt, &j.FinishedAt); err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
