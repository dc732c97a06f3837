package payment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// Stripe charges through Stripe's PaymentIntents API: one PaymentIntent
// created and confirmed in a single call with the PaymentMethod the
// browser tokenised (Stripe Elements), in JPY, a zero-decimal currency.
type Stripe struct {
	client *stripe.Client
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
	return &Stripe{client: stripe.NewClient(secretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(cfg)))}
}

// Name implements Provider.
func (s *Stripe) Name() string { return "stripe" }

// Charge implements Provider. A PaymentIntent that ends in any status but
// succeeded (a card needing 3-D Secure this flow cannot show, a decline)
// is ErrDeclined.
func (s *Stripe) Charge(ctx context.Context, c Charge) (Result, error) {
	params := &stripe.PaymentIntentCreateParams{
		Amount:             stripe.Int64(int64(c.Amount)),
		Currency:           stripe.String(string(stripe.CurrencyJPY)),
		PaymentMethod:      stripe.String(c.PaymentMethod),
		PaymentMethodTypes: []*string{stripe.String("card")},
		Confirm:            stripe.Bool(true),
		Description:        stripe.String("Order " + c.OrderNumber),
	}
	if c.Email != "" {
		params.ReceiptEmail = stripe.String(c.Email)
	}
	params.AddMetadata("order_number", c.OrderNumber)
	params.SetIdempotencyKey(c.IdempotencyKey)
	pi, err := s.client.V1PaymentIntents.Create(ctx, params)
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
	if pi.Status != stripe.PaymentIntentStatusSucceeded {
		return res, fmt.Errorf("%w: status %s", ErrDeclined, pi.Status)
	}
	return res, nil
}
