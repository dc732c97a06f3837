package checkout

import (
	"context"
	"fmt"
	"sync"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// PayMethod is a payment method as the operator set it in the admin
// (payment.Method: its kind, fee rules, amount limits and the delivery
// methods it combines with).
//
// The amount a method's limits and fee rules are checked against is what
// the customer owes before the payment fee: subtotal plus delivery fees
// minus the discount (EC-CUBE checks its payment rules the same way). The
// fee is tax-included and taxed at the standard rate with the order
// (invoice.Order.CODFee, stored in orders.cod_fee for every method).
type PayMethod = payment.Method

// PayOption is a payment method the checkout offers for a quoted order,
// with the fee it would charge.
type PayOption struct {
	PayMethod
	Charge shop.Yen
	Tiers  bool // the fee follows the amount's tiers
}

// enabledPayMethods reads the payment methods the operator enabled, in the
// shop's order. q may be the transaction placing the order.
func enabledPayMethods(ctx context.Context, q db.Queryer) ([]PayMethod, error) {
	return payment.Methods(ctx, q, true)
}

// Cards builds the card provider from the settings the admin writes, at
// request time: the secret key sealed with the master secret
// (settings.Store.CardKey), or the older plain key StripeKey when no
// sealed key is set; StripeURL and CardCapture as they are now. A key set
// in the admin applies to the next checkout (after the settings cache's
// 3 s), no restart. The provider is rebuilt only when these change.
type Cards struct {
	Settings *settings.Store
	Master   []byte

	mu   sync.Mutex
	last cardConfig
	p    *payment.Stripe
}

type cardConfig struct {
	key, url string
	manual   bool
}

// Provider returns the card provider, or nil when no key is set (the shop
// then offers no card). Errors: the settings cannot be read, or the
// master secret no longer opens the sealed key.
func (c *Cards) Provider(ctx context.Context) (payment.Provider, error) {
	key, err := c.Settings.CardKey(ctx, c.Master)
	if err != nil {
		return nil, fmt.Errorf("checkout: card key: %w", err)
	}
	m, err := c.Settings.All(ctx)
	if err != nil {
		return nil, err
	}
	if key == "" {
		key = m[StripeKey] // the pre-admin plain setting, a fallback only
	}
	if key == "" {
		return nil, nil
	}
	cfg := cardConfig{key: key, url: m[StripeURL], manual: m[CardCapture] == "shipment"}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.p == nil || c.last != cfg {
		c.p = payment.NewStripe(cfg.key, cfg.url)
		c.p.ManualCapture = cfg.manual
		c.last = cfg
	}
	return c.p, nil
}

// provider is the card provider for this request: Payments when set (a
// fixed provider), else the one Cards builds from the settings, else nil.
func (s *Service) provider(ctx context.Context) (payment.Provider, error) {
	if s.Payments != nil {
		return s.Payments, nil
	}
	if s.Cards == nil {
		return nil, nil
	}
	return s.Cards.Provider(ctx)
}
