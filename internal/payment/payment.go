// Package payment charges customers through a payment provider. The
// checkout depends on the Provider interface only; Stripe implements it.
package payment

import (
	"context"

	"github.com/akinai/akinai/internal/shop"
)

// Provider charges a card (or another provider-side method) once.
type Provider interface {
	// Name identifies the provider in payment records ("stripe").
	Name() string
	// Charge authorises and captures the amount with the provider-side
	// payment method token the browser obtained (never raw card data).
	// IdempotencyKey makes a retried call charge at most once. Errors:
	// ErrDeclined (Kind Invalid) when the provider refused the payment —
	// the Charge result then carries the reference if one was created;
	// any other error is a failure to reach the provider.
	// With a provider set to authorise only (ManualCapture), a
	// successful Charge holds the amount (Result.Authorized) and Capture
	// takes it later, at shipment: the norm for cards in Japan.
	Charge(ctx context.Context, c Charge) (Result, error)
	// Capture takes an authorised payment, identified by the reference
	// Charge returned. Errors: ErrDeclined when the provider refuses (an
	// expired authorisation); any other error is a failure to reach it.
	Capture(ctx context.Context, reference, idempotencyKey string) (Result, error)
}

// Charge is one payment to take.
type Charge struct {
	Amount         shop.Yen
	PaymentMethod  string // e.g. a Stripe PaymentMethod ID "pm_…"
	OrderNumber    string
	Email          string
	IdempotencyKey string
}

// Result is what the provider answered.
type Result struct {
	Reference string // the provider's ID, e.g. "pi_…"
	Status    string // "succeeded", "requires_capture", "requires_action", …
	// Authorized is true when the amount is held, not yet taken.
	Authorized bool
}

// ErrDeclined is returned when the provider refuses the payment.
var ErrDeclined = &shop.Error{Kind: shop.Invalid, Key: "payment.declined"}
