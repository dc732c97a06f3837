package points

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

var jst = time.FixedZone("JST", 9*60*60)

// Balance returns a customer's points (0 without an account yet).
func Balance(ctx context.Context, q db.Queryer, customerID int64) (int64, error) {
	var b int64
	err := q.QueryRow(ctx, `SELECT balance FROM point_accounts WHERE customer_id = ?`, customerID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return b, err
}

// ensureAccount creates the customer's account row when missing.
func ensureAccount(ctx context.Context, tx *db.Tx, customerID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO point_accounts (customer_id, balance, updated_at) VALUES (?, 0, ?)
		ON CONFLICT (customer_id) DO NOTHING`, customerID, tx.Now())
	return err
}

// change adds delta (negative to take) to the balance with a conditional
// update that never lets it go below zero, and writes the ledger row.
// It reports false, changing nothing, when the balance is too small.
func change(ctx context.Context, tx *db.Tx, customerID, delta int64, kind string, orderID *int64, reason, actor string) (bool, error) {
	if err := ensureAccount(ctx, tx, customerID); err != nil {
		return false, err
	}
	return spendOrTake(ctx, tx, customerID, delta, kind, orderID, reason, actor)
}

// spendOrTake is change for an account known to exist.
func spendOrTake(ctx context.Context, tx *db.Tx, customerID, delta int64, kind string, orderID *int64, reason, actor string) (bool, error) {
	var bal int64
	err := tx.QueryRow(ctx, `UPDATE point_accounts SET balance = balance + ?, updated_at = ?
		WHERE customer_id = ? AND balance + ? >= 0 RETURNING balance`, delta, tx.Now(), customerID, delta).Scan(&bal)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, ledger(ctx, tx, customerID, kind, delta, bal, orderID, reason, actor)
}

// ledger writes one ledger row: delta moved the balance to bal.
func ledger(ctx context.Context, tx *db.Tx, customerID int64, kind string, delta, bal int64, orderID *int64, reason, actor string) error {
	_, err := tx.Exec(ctx, `INSERT INTO point_ledger (customer_id, kind, points, balance, order_id, reason, actor, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, customerID, kind, delta, bal, orderID, reason, actor, tx.Now())
	return err
}

// RecordOrder books a member's order in its transaction: the points it
// spends leave the balance now (errors: Invalid "points.over_balance" on
// the field "points" when the balance is short — a concurrent order spent
// them first, or the account has none), the points it will earn wait for
// the grant status, and the expiry clock restarts.
//
// Three statements when points are spent (the conditional UPDATE also
// restarts the clock; an account that does not exist has nothing to
// spend), two when not (one upsert creates the account or restarts it).
func RecordOrder(ctx context.Context, tx *db.Tx, orderID, customerID, spend, earn int64) error {
	if spend > 0 {
		var bal int64
		err := tx.QueryRow(ctx, `UPDATE point_accounts SET balance = balance - ?, last_purchase_at = ?, updated_at = ?
			WHERE customer_id = ? AND balance >= ? RETURNING balance`, spend, tx.Now(), tx.Now(), customerID, spend).Scan(&bal)
		if errors.Is(err, sql.ErrNoRows) {
			return &shop.Error{Kind: shop.Invalid, Key: "points.over_balance", Fields: map[string]string{"points": "points.over_balance"}}
		}
		if err != nil {
			return err
		}
		if err := ledger(ctx, tx, customerID, Spent, -spend, bal, &orderID, "", ""); err != nil {
			return err
		}
	} else if _, err := tx.Exec(ctx, `INSERT INTO point_accounts (customer_id, balance, last_purchase_at, updated_at) VALUES (?, 0, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET last_purchase_at = excluded.last_purchase_at, updated_at = excluded.updated_at`,
		customerID, tx.Now(), tx.Now()); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO order_points (order_id, customer_id, spent, earn, state, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)`,
		orderID, customerID, spend, earn, tx.Now())
	return err
}

// Adjust changes a customer's balance by delta for reason, by actor (an
// admin's address). Errors: Invalid "points.bad_adjust" for a zero delta
// or an empty reason; Invalid "points.over_balance" when delta would take
// the balance below zero.
func Adjust(ctx context.Context, tx *db.Tx, customerID, delta int64, reason, actor string) error {
	if delta == 0 || reason == "" {
		return &shop.Error{Kind: shop.Invalid, Key: "points.bad_adjust", Fields: map[string]string{"delta": "points.bad_adjust"}}
	}
	ok, err := change(ctx, tx, customerID, delta, Adjusted, nil, reason, actor)
	if err != nil {
		return err
	}
	if !ok {
		return &shop.Error{Kind: shop.Invalid, Key: "points.over_balance", Fields: map[string]string{"delta": "points.over_balance"}}
	}
	return nil
}

// Entry is one ledger row.
type Entry struct {
	ID          int64
	Kind        string
	Points      int64
	Balance     int64
	OrderNumber string
	Reason      string
	Actor       string
	At          time.Time
}

// Ledger returns a customer's latest ledger rows, newest first.
func Ledger(ctx context.Context, q db.Queryer, customerID int64, limit int) ([]Entry, error) {
	rows, err := q.Query(ctx, `SELECT l.id, l.kind, l.points, l.balance, COALESCE(o.number, ''), l.reason, l.actor, l.created_at
		FROM point_ledger l LEFT JOIN orders o ON o.id = l.order_id WHERE l.customer_id = ? ORDER BY l.id DESC LIMIT ?`, customerID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.Kind, &e.Points, &e.Balance, &e.OrderNumber, &e.Reason, &e.Actor, &e.At); err != nil {
			return nil, err
		}
		e.At = e.At.In(jst) // a shop in Japan dates its ledger in JST
		out = append(out, e)
	}
	return out, rows.Err()
}

// OrderPoints is what an order spent and earns.
type OrderPoints struct {
	Spent, Earn int64
	State       string
}

// OfOrder returns the points of an order; the zero value for an order
// without any (a guest's).
func OfOrder(ctx context.Context, q db.Queryer, orderID int64) (OrderPoints, error) {
	var p OrderPoints
	err := q.QueryRow(ctx, `SELECT spent, earn, state FROM order_points WHERE order_id = ?`, orderID).Scan(&p.Spent, &p.Earn, &p.State)
	if errors.Is(err, sql.ErrNoRows) {
		return OrderPoints{}, nil
	}
	return p, err
}

func ignoreNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}
