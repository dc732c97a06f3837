// Package konbini settles convenience-store payments (コンビニ決済): it
// keeps the instructions the provider issued for an order, marks the
// order paid when the provider's signed webhook says the customer paid,
// and cancels it — returning its stock — when the instructions expire
// (the provider's webhook, or the sweep for a webhook that never came).
package konbini

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// Payment is the instructions of one konbini order.
type Payment struct {
	OrderID     int64
	IntentID    string
	ExpiresAt   time.Time
	VoucherURL  string
	Stores      []payment.KonbiniStore
	PaidAt      *time.Time
	CancelledAt *time.Time
}

// Save records the instructions the provider issued for an order, in the
// order's transaction.
func Save(ctx context.Context, tx *db.Tx, orderID int64, r payment.KonbiniResult) error {
	stores, err := json.Marshal(r.Stores)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO konbini_payments (order_id, intent_id, expires_at, voucher_url, stores) VALUES (?, ?, ?, ?, ?)`,
		orderID, r.Reference, r.ExpiresAt.UTC(), r.VoucherURL, string(stores))
	if err != nil {
		return fmt.Errorf("konbini: save: %w", err)
	}
	return nil
}

// ByOrder returns an order's instructions. Errors: NotFound.
func ByOrder(ctx context.Context, q db.Queryer, orderID int64) (*Payment, error) {
	return load(ctx, q, `order_id = ?`, orderID)
}

func load(ctx context.Context, q db.Queryer, where string, arg any) (*Payment, error) {
	p := &Payment{}
	var stores string
	var paid, cancelled sql.NullTime
	err := q.QueryRow(ctx, `SELECT order_id, intent_id, expires_at, voucher_url, stores, paid_at, cancelled_at
		FROM konbini_payments WHERE `+where, arg).Scan(&p.OrderID, &p.IntentID, &p.ExpiresAt, &p.VoucherURL, &stores, &paid, &cancelled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("konbini: load: %w", err)
	}
	if paid.Valid {
		p.PaidAt = &paid.Time
	}
	if cancelled.Valid {
		p.CancelledAt = &cancelled.Time
	}
	return p, json.Unmarshal([]byte(stores), &p.Stores)
}

// WebhookSecretSealed holds the provider's webhook signing secret
// ("whsec_…"), sealed like the card key (settings.SealCardKey) with its
// own associated data.
const WebhookSecretSealed = "payment.webhook_secret_sealed"

// SealWebhookSecret returns the stored form of a webhook signing secret.
func SealWebhookSecret(master []byte, secret string) (string, error) {
	return settings.SealSecret(master, WebhookSecretSealed, secret)
}

// WebhookSecret returns the signing secret the admin stored, "" when none.
// Errors: the master secret no longer opens it; the database.
func WebhookSecret(ctx context.Context, st *settings.Store, master []byte) (string, error) {
	return st.Secret(ctx, master, WebhookSecretSealed)
}
