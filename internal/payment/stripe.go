package payment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/paymentintent"
	"github.com/stripe/stripe-go/v82/refund"
)

// Stripe charges through Stripe's PaymentIntents API: one PaymentIntent
// created and confirmed in a single call with the PaymentMethod the
// browser tokenised (Stripe Elements), in JPY, a zero-decimal currency.
type Stripe struct {
	// The PaymentIntents client alone: stripe.NewClient holds every
	// service of the API, which the linker then keeps (about 4 MB of the
	// binary, docs/PERFORMANCE.md).
	client  paymentintent.Client
	refunds refund.Client
	// ManualCapture authorises at the order and leaves the capture to
	// Capture (at shipment); false takes the money at the order.
	ManualCapture bool
}

// NewStripe returns a Stripe provider with a secret key. apiURL overrides
// Stripe's API address (stripe-mock in tests); "" uses Stripe.
func NewStripe(secretKey, apiURL string) *Stripe {
	cfg := &stripe.BackendConfig{
		HTTPClient:        &http.Client{Timeout: 30 * time.Second},
		MaxNetworkRetries: stripe.Int64(2),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	if apiURL != "" {
		cfg.URL = stripe.String(apiURL)
	}
	b := stripe.GetBackendWithConfig(stripe.APIBackend, cfg)
	return &Stripe{client: paymentintent.Client{B: b, Key: secretKey}, refunds: refund.Client{B: b, Key: secretKey}}
}

// Name implements Provider.
func (s *Stripe) Name() string { return "stripe" }

// Charge implements Provider.
func (s *Stripe) Charge(ctx context.Context, c Charge) (Result, error) {
	params := &stripe.PaymentIntentParams{
		Amount:             stripe.Int64(int64(c.Amount)),
		Currency:           stripe.String(string(stripe.CurrencyJPY)),
		PaymentMethod:      stripe.String(c.PaymentMethod),
		PaymentMethodTypes: []*string{stripe.String("card")},
		Confirm:            stripe.Bool(true),
		Description:        stripe.String("Order " + c.OrderNumber),
	}
	if s.ManualCapture {
		params.CaptureMethod = stripe.String(string(stripe.PaymentIntentCaptureMethodManual))
	}
	if c.Email != "" {
		params.ReceiptEmail = stripe.String(c.Email)
	}
	params.AddMetadata("order_number", c.OrderNumber)
	params.SetIdempotencyKey(c.IdempotencyKey)
	params.Context = ctx
	pi, err := s.client.New(params)
	return result(pi, err, s.ManualCapture)
}

// Capture implements Provider.
func (s *Stripe) Capture(ctx context.Context, reference, idempotencyKey string) (Result, error) {
	params := &stripe.PaymentIntentCaptureParams{}
	params.SetIdempotencyKey(idempotencyKey)
	params.Context = ctx
	pi, err := s.client.Capture(reference, params)
	return result(pi, err, false)
}

// CaptureAmount captures only amount of an authorised payment (the order
// was lowered after the authorisation); Stripe releases the rest of the
// hold. Errors as Capture.
func (s *Stripe) CaptureAmount(ctx context.Context, reference string, amount int64, idempotencyKey string) (Result, error) {
	params := &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(amount)}
	params.SetIdempotencyKey(idempotencyKey)
	params.Context = ctx
	pi, err := s.client.Capture(reference, params)
	return result(pi, err, false)
}

// result maps a PaymentIntent (or the error creating or capturing it) to
// a Result: succeeded, or requires_capture when held is wanted, is a
// success; any other status (a card needing 3-D Secure this flow cannot
// show, a decline) is ErrDeclined.
func result(pi *stripe.PaymentIntent, err error, held bool) (Result, error) {
	if err != nil {
		var se *stripe.Error
		if errors.As(err, &se) && (se.Type == stripe.ErrorTypeCard || se.Type == stripe.ErrorTypeInvalidRequest) {
			ref := ""
			if se.PaymentIntent != nil {
				ref = se.PaymentIntent.ID
			}
			return Result{Reference: ref, Status: "failed"}, fmt.Errorf("%w: %s", ErrDeclined, se.Msg)
		}
		return Result{}, fmt.Errorf("payment: stripe: %w", err)
	}
	res := Result{Reference: pi.ID, Status: string(pi.Status)}
	switch {
	case pi.Status == stripe.PaymentIntentStatusSucceeded:
		return res, nil
	case held && pi.Status == stripe.PaymentIntentStatusRequiresCapture:
		res.Authorized = true
		return res, nil
	}
	return res, fmt.Errorf("%w: status %s", ErrDeclined, pi.Status)
}

// Refund returns amount of a captured PaymentIntent to the card (a
// partial refund when amount is less than what was taken) and returns the
// provider's refund ID. IdempotencyKey makes a retried call refund at
// most once. Errors: ErrDeclined when Stripe refuses (more than is left
// to refund, an intent never captured) or the refund failed or was
// cancelled; any other error is a failure to reach it.
func (s *Stripe) Refund(ctx context.Context, reference string, amount int64, idempotencyKey string) (string, error) {
	params := &stripe.RefundParams{PaymentIntent: stripe.String(reference), Amount: stripe.Int64(amount)}
	params.SetIdempotencyKey(idempotencyKey)
	params.Context = ctx
	re, err := s.refunds.New(params)
	if err != nil {
		var se *stripe.Error
		if errors.As(err, &se) && (se.Type == stripe.ErrorTypeCard || se.Type == stripe.ErrorTypeInvalidRequest) {
			return "", fmt.Errorf("%w: %s", ErrDeclined, se.Msg)
		}
		return "", fmt.Errorf("payment: stripe refund: %w", err)
	}
	switch re.Status {
	case stripe.RefundStatusFailed, stripe.RefundStatusCanceled:
		return re.ID, fmt.Errorf("%w: refund %s", ErrDeclined, re.Status)
	}
	return re.ID, nil
}
