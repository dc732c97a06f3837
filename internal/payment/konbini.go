package payment

import (
	"context"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v82"

	"github.com/akinai/akinai/internal/shop"
)

// KonbiniProvider issues convenience-store payment instructions. The
// customer pays at the till later; the provider says so by webhook.
type KonbiniProvider interface {
	// Konbini creates and confirms a konbini payment for the amount and
	// returns its instructions. IdempotencyKey makes a retried call issue
	// one payment. Errors: ErrDeclined when the provider refused it
	// (Kind Invalid); any other error is a failure to reach it.
	Konbini(ctx context.Context, k KonbiniCharge) (KonbiniResult, error)
}

// KonbiniCharge is one convenience-store payment to issue.
type KonbiniCharge struct {
	Amount         shop.Yen
	OrderNumber    string
	Name, Email    string
	ExpiresDays    int
	IdempotencyKey string
}

// KonbiniStore is one chain's instructions.
type KonbiniStore struct {
	Store              string `json:"store"` // familymart, lawson, ministop, seicomart
	ConfirmationNumber string `json:"confirmation_number"`
	PaymentCode        string `json:"payment_code"`
}

// KonbiniResult is what the customer needs to pay at the store.
type KonbiniResult struct {
	Reference  string // the PaymentIntent ID
	ExpiresAt  time.Time
	VoucherURL string
	Stores     []KonbiniStore
}

// Konbini implements KonbiniProvider with a PaymentIntent of type
// konbini, created and confirmed in one call; the intent waits in
// requires_action with the instructions in next_action.
func (s *Stripe) Konbini(ctx context.Context, k KonbiniCharge) (KonbiniResult, error) {
	params := &stripe.PaymentIntentParams{
		Amount:             stripe.Int64(int64(k.Amount)),
		Currency:           stripe.String(string(stripe.CurrencyJPY)),
		PaymentMethodTypes: []*string{stripe.String("konbini")},
		PaymentMethodData: &stripe.PaymentIntentPaymentMethodDataParams{
			Type: stripe.String("konbini"),
			BillingDetails: &stripe.PaymentIntentPaymentMethodDataBillingDetailsParams{
				Name: stripe.String(k.Name), Email: stripe.String(k.Email),
			},
		},
		PaymentMethodOptions: &stripe.PaymentIntentPaymentMethodOptionsParams{
			Konbini: &stripe.PaymentIntentPaymentMethodOptionsKonbiniParams{
				ExpiresAfterDays: stripe.Int64(int64(k.ExpiresDays)),
			},
		},
		Confirm:     stripe.Bool(true),
		Description: stripe.String("Order " + k.OrderNumber),
	}
	params.AddMetadata("order_number", k.OrderNumber)
	params.SetIdempotencyKey(k.IdempotencyKey)
	params.Context = ctx
	pi, err := s.client.New(params)
	if err != nil {
		_, err = result(nil, err, false)
		return KonbiniResult{}, err
	}
	res := KonbiniResult{Reference: pi.ID}
	if pi.Status != stripe.PaymentIntentStatusRequiresAction || pi.NextAction == nil || pi.NextAction.KonbiniDisplayDetails == nil {
		return res, fmt.Errorf("%w: konbini status %s", ErrDeclined, pi.Status)
	}
	d := pi.NextAction.KonbiniDisplayDetails
	res.ExpiresAt, res.VoucherURL = time.Unix(d.ExpiresAt, 0).UTC(), d.HostedVoucherURL
	if st := d.Stores; st != nil {
		add := func(name, conf, code string) {
			if conf != "" || code != "" {
				res.Stores = append(res.Stores, KonbiniStore{Store: name, ConfirmationNumber: conf, PaymentCode: code})
			}
		}
		if v := st.FamilyMart; v != nil {
			add("familymart", v.ConfirmationNumber, v.PaymentCode)
		}
		if v := st.Lawson; v != nil {
			add("lawson", v.ConfirmationNumber, v.PaymentCode)
		}
		if v := st.Ministop; v != nil {
			add("ministop", v.ConfirmationNumber, v.PaymentCode)
		}
		if v := st.Seicomart; v != nil {
			add("seicomart", v.ConfirmationNumber, v.PaymentCode)
		}
	}
	if res.ExpiresAt.Unix() <= 0 || len(res.Stores) == 0 {
		return res, fmt.Errorf("%w: konbini instructions missing", ErrDeclined)
	}
	return res, nil
}
