package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// queueCapture writes the capture job of an order whose card payment is
// authorised and not yet captured; an order with nothing to capture, or
// with a job already, gets none. Move calls it when an order ships, so the
// capture commits with the shipment and runs after it (a worker calls the
// provider; never a network call inside this transaction).
func queueCapture(ctx context.Context, tx *db.Tx, orderID int64) error {
	now := tx.Now()
	_, err := tx.Exec(ctx, `INSERT INTO payment_captures (order_id, status, next_attempt_at, created_at)
		SELECT ?, 'pending', ?, ? WHERE EXISTS (SELECT 1 FROM payments a WHERE a.order_id = ? AND a.status = 'authorized'
			AND NOT EXISTS (SELECT 1 FROM payments c WHERE c.order_id = a.order_id AND c.reference = a.reference AND c.status = 'succeeded'))
		ON CONFLICT (order_id) DO NOTHING`, orderID, now, now, orderID)
	if err != nil {
		return fmt.Errorf("order: queue capture: %w", err)
	}
	return nil
}

// CaptureJob is the state of an order's card capture at shipment.
type CaptureJob struct {
	Status    string // pending, done, failed
	Attempts  int
	LastError string
	NextAt    time.Time
}

// Capture returns the order's capture job, and false when it has none.
func Capture(ctx context.Context, q db.Queryer, orderID int64) (CaptureJob, bool, error) {
	var j CaptureJob
	err := q.QueryRow(ctx, `SELECT status, attempts, last_error, next_attempt_at FROM payment_captures WHERE order_id = ?`, orderID).
		Scan(&j.Status, &j.Attempts, &j.LastError, &j.NextAt)
	if errors.Is(err, sql.ErrNoRows) {
		return j, false, nil
	}
	return j, err == nil, err
}
