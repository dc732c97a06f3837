package konbini

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// WebhookPath is where the provider posts its events. The request carries
// no CSRF token: its Stripe-Signature header authenticates it instead
// (web.Config.CSRFExempt).
const WebhookPath = "/webhooks/stripe"

// maxEvent bounds an event body; Stripe's are a few KiB.
const maxEvent = 256 << 10

// Webhook receives the provider's events about konbini payments.
type Webhook struct {
	DB *db.DB
	// Secret returns the signing secret ("whsec_…"), "" when none is set.
	Secret func(ctx context.Context) (string, error)
	Log    *slog.Logger
}

// Routes mounts the webhook.
func (h *Webhook) Routes(mux *http.ServeMux) {
	mux.Handle("POST "+WebhookPath, h)
}

// ServeHTTP verifies the event's signature (stripe-go's webhook package:
// HMAC-SHA256 of "timestamp.body" with the signing secret, a timestamp at
// most five minutes old) and then settles the order: succeeded → paid,
// payment_failed or canceled (an expired konbini payment) → cancelled
// with its stock returned. A bad or missing signature is refused with 400
// and changes nothing; no secret set is 503 (the provider retries); a
// database failure is 500 (so it retries too); an event about anything
// else is acknowledged with 200 and ignored.
func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEvent))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusBadRequest)
		return
	}
	secret, err := h.Secret(ctx)
	if err != nil || secret == "" {
		h.Log.Error("stripe webhook without a signing secret", "err", err)
		http.Error(w, "webhook not configured", http.StatusServiceUnavailable)
		return
	}
	ev, err := webhook.ConstructEventWithOptions(body, r.Header.Get("Stripe-Signature"), secret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		h.Log.Warn("stripe webhook refused", "err", err)
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	out, err := h.handle(ctx, ev)
	if err != nil {
		h.Log.Error("stripe webhook", "event", ev.ID, "type", ev.Type, "err", err)
		http.Error(w, "could not record the event", http.StatusInternalServerError)
		return
	}
	h.Log.Info("stripe webhook", "event", ev.ID, "type", ev.Type, "outcome", out)
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "ok\n")
}

func (h *Webhook) handle(ctx context.Context, ev stripe.Event) (Outcome, error) {
	switch ev.Type {
	case "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled":
	default:
		return "ignored", nil
	}
	var pi stripe.PaymentIntent
	if ev.Data == nil || json.Unmarshal(ev.Data.Raw, &pi) != nil || pi.ID == "" {
		return "ignored", nil
	}
	if len(pi.PaymentMethodTypes) > 0 && !slices.Contains(pi.PaymentMethodTypes, "konbini") {
		return "ignored", nil // cards are settled in the checkout itself
	}
	var out Outcome
	err := h.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if ev.Type == "payment_intent.succeeded" {
			amount := pi.AmountReceived
			if amount == 0 {
				amount = pi.Amount
			}
			out, err = MarkPaid(ctx, tx, pi.ID, shop.Yen(amount))
		} else {
			out, err = Expire(ctx, tx, pi.ID, "not paid in time ("+string(ev.Type)+")")
		}
		return err
	})
	return out, err
}
