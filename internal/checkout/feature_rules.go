package checkout

import (
	"context"
	"time"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// setPrices puts the unit prices of in.Prices, then those of the Rules,
// on the cart's lines before anything is totalled.
func (s *Service) setPrices(ctx context.Context, q db.Queryer, in *Input, c *cart.Cart, now time.Time) error {
	prices := in.Prices
	if s.Rules != nil && prices == nil {
		var err error
		if prices, err = s.Rules.Prices(ctx, q, in, c, now); err != nil {
			return err
		}
	}
	for i, l := range c.Lines {
		if p, ok := prices[l.VariantID]; ok {
			c.Lines[i].UnitPrice = p
		}
	}
	return nil
}

// ruleRefusal is the Rules' refusal of method m for amount. Without
// Rules, 掛け払い (whose terms the Rules know) is never offered.
func (s *Service) ruleRefusal(ctx context.Context, q db.Queryer, in *Input, m PayMethod, amount shop.Yen) (string, error) {
	if s.Rules == nil {
		if m.Kind == payment.OnAccount {
			return "checkout.bad_payment", nil
		}
		return "", nil
	}
	return s.Rules.PayRefusal(ctx, q, in, m, amount, s.DB.Now())
}
