package checkout

import (
	"context"
	"errors"
	"fmt"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// partialCapturer is a provider that can capture less than it authorised
// (*payment.Stripe).
type partialCapturer interface {
	CaptureAmount(ctx context.Context, reference string, amount int64, idempotencyKey string) (payment.Result, error)
}

// Capture takes the card payment that was authorised when order number
// was placed (cards are authorised at the order and captured at shipment,
// the norm in Japan). The capture is recorded as a new payment row
// ("succeeded", or "failed" with the provider's message); the order's
// status is left to the caller (the shipment). A retried Capture of an
// order already captured does nothing. Errors: NotFound for an unknown
// order; Conflict "payment.nothing_to_capture" when the order has no
// authorised card payment; Unavailable when no card key is configured; payment.ErrDeclined when the provider refuses
// (an expired authorisation); Unavailable "payment.unreachable" when it
// cannot be reached.
func (s *Service) Capture(ctx context.Context, number string) error {
	o, err := order.ByNumber(ctx, s.DB, number)
	if err != nil {
		return err
	}
	ps, err := order.Payments(ctx, s.DB, o.ID)
	if err != nil {
		return err
	}
	var auth *order.Payment
	for i := range ps {
		switch ps[i].Status {
		case "authorized":
			auth = &ps[i]
		case "succeeded":
			if auth != nil && ps[i].Reference == auth.Reference {
				return nil // captured already
			}
		}
	}
	pay, err := s.provider(ctx)
	if err != nil {
		return err
	}
	if auth == nil {
		return shop.Errorf(shop.Conflict, "payment.nothing_to_capture")
	}
	if pay == nil { // the key was removed: wait for it to be set again
		return &shop.Error{Kind: shop.Unavailable, Key: "payment.unreachable", Cause: errors.New("no card provider configured")}
	}
	// An order lowered after the authorisation (受注編集) is captured for
	// its total now; the provider releases the rest of the hold.
	amount := auth.Amount
	var cerr error
	if pc, ok := pay.(partialCapturer); ok && o.Total < auth.Amount {
		amount = o.Total
		_, cerr = pc.CaptureAmount(ctx, auth.Reference, int64(amount), "akinai-capture-"+auth.Reference)
	} else {
		_, cerr = pay.Capture(ctx, auth.Reference, "akinai-capture-"+auth.Reference)
	}
	rec := order.Payment{Provider: auth.Provider, Method: auth.Method, Reference: auth.Reference, Amount: amount, Status: "succeeded"}
	if cerr != nil {
		rec.Status, rec.Error = "failed", cerr.Error()
	}
	ctx = context.WithoutCancel(ctx)
	if err := s.DB.Tx(ctx, func(tx *db.Tx) error { return order.RecordPayment(ctx, tx, o.ID, rec) }); err != nil {
		return fmt.Errorf("checkout: capture of order %s (%s) not recorded: %w", number, auth.Reference, err)
	}
	if cerr != nil && shop.KindOf(cerr) != shop.Invalid {
		return &shop.Error{Kind: shop.Unavailable, Key: "payment.unreachable", Cause: cerr}
	}
	return cerr
}
