package checkout

import (
	"context"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/rank"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/pluginsdk"
)

// PluginQuote is what the enabled plugins did to a quote.
type PluginQuote struct {
	Discounts []plugin.Applied // each plugin's discount, in Discount
	Discount  shop.Yen
	Notes     []pluginsdk.Text // delivery notes ("送料無料" …)
	Refusal   *plugin.Refusal  // checkout.validate refused the order
}

// pluginCart is the cart as the plugins' hooks see it.
func pluginCart(ctx context.Context, q db.Queryer, qt *Quote, in *Input, ships []QuoteShipment, now time.Time) (pluginsdk.Cart, error) {
	c := pluginsdk.Cart{Now: now.UTC().Format(time.RFC3339), Lang: in.Lang, Subtotal: int64(qt.Subtotal)}
	if c.Lang == "" {
		c.Lang = "ja"
	}
	for _, l := range qt.Cart.Lines {
		name := l.NameJA
		if l.VariantJA != "" {
			name += " " + l.VariantJA
		}
		c.Lines = append(c.Lines, pluginsdk.Line{ProductID: l.ProductID, VariantID: l.VariantID, SKU: l.SKU, Name: name,
			Qty: l.Qty, UnitPrice: int64(l.UnitPrice), Total: int64(l.Total())})
	}
	for _, s := range ships {
		c.Ship = append(c.Ship, pluginAddress(s.Ship))
	}
	if in.CustomerID != nil {
		cu := &pluginsdk.Customer{ID: *in.CustomerID}
		r, ok, err := rank.OfCustomer(ctx, q, *in.CustomerID)
		if err != nil {
			return c, err
		}
		if ok {
			cu.RankID, cu.RankName = r.ID, r.NameJA
		}
		c.Customer = cu
	}
	return c, nil
}

func pluginAddress(a order.Address) pluginsdk.Address {
	return pluginsdk.Address{PostalCode: a.PostalCode, Pref: a.Pref, City: a.City, Address1: a.Address1, Address2: a.Address2,
		Name: a.FamilyName + " " + a.GivenName}
}

// applyPlugins runs the checkout's plugin hooks on the quote, after the
// shop's own fees and the rank's discount and before coupons, points and
// the payment methods: delivery.fee may change each destination's fee,
// cart.discount adds to the discount (together at most the items after
// the rank's discount), and checkout.validate may refuse the order on the
// field "plugin". Every plugin that fails is skipped (see
// plugin.Hook*); without enabled plugins nothing is read or built.
func (s *Service) applyPlugins(ctx context.Context, q db.Queryer, qt *Quote, in *Input, now time.Time, fields map[string]string) error {
	ps := s.Plugins
	del, disc, val := ps.With(ctx, q, plugin.HookDelivery), ps.With(ctx, q, plugin.HookDiscount), ps.With(ctx, q, plugin.HookValidate)
	if in.Adjust != nil && in.Adjust.DeliveryFee != nil {
		del = nil // the operator's fee stands
	}
	if len(del)+len(disc)+len(val) == 0 {
		return nil
	}
	c, err := pluginCart(ctx, q, qt, in, qt.Shipments, now)
	if err != nil {
		return err
	}
	qt.pluginCart = &c
	if len(del) > 0 {
		di := pluginsdk.DeliveryIn{Cart: c}
		for i, sh := range qt.Shipments {
			di.Shipments = append(di.Shipments, pluginsdk.Shipment{Index: i, MethodID: sh.MethodID, Method: sh.Method.NameJA, Pref: sh.Ship.Pref, Fee: int64(sh.Fee)})
		}
		ships, notes := ps.DeliveryFees(ctx, q, di)
		qt.DeliveryFee = 0
		for i := range qt.Shipments {
			qt.Shipments[i].Fee = shop.Yen(ships[i].Fee)
			qt.DeliveryFee += qt.Shipments[i].Fee
		}
		qt.Plugins.Notes = notes
	}
	if len(disc) > 0 {
		room := qt.Subtotal - qt.MemberDiscount - qt.Discount
		for _, a := range ps.Discounts(ctx, q, c) {
			amt := min(shop.Yen(a.Amount), room)
			if amt <= 0 {
				continue
			}
			a.Amount, room = int64(amt), room-amt
			qt.Plugins.Discounts = append(qt.Plugins.Discounts, a)
			qt.Plugins.Discount += amt
		}
		qt.Discount += qt.Plugins.Discount
	}
	if len(val) > 0 {
		if r := ps.Validate(ctx, q, c); r != nil {
			qt.Plugins.Refusal = r
			fields["plugin"] = "plugins.refused"
		}
	}
	return nil
}

// hiddenPayments is the payment methods the plugins hide for this order.
func (s *Service) hiddenPayments(ctx context.Context, q db.Queryer, qt *Quote, in *Input, base shop.Yen, codes []string, now time.Time) (map[string]bool, error) {
	ps := s.Plugins
	if len(ps.With(ctx, q, plugin.HookPayments)) == 0 {
		return nil, nil
	}
	if qt.pluginCart == nil {
		c, err := pluginCart(ctx, q, qt, in, qt.Shipments, now)
		if err != nil {
			return nil, err
		}
		qt.pluginCart = &c
	}
	return ps.HiddenPayments(ctx, q, pluginsdk.PaymentsIn{Cart: *qt.pluginCart, Total: int64(base), Methods: codes}), nil
}

// pluginPayMethods drops the methods a payment.methods plugin hides; the
// buyer who chose one gets the checkout's usual "not offered" answer.
func (s *Service) pluginPayMethods(ctx context.Context, q db.Queryer, qt *Quote, in *Input, base shop.Yen, methods []PayMethod, now time.Time) ([]PayMethod, error) {
	codes := make([]string, 0, len(methods))
	for _, m := range methods {
		codes = append(codes, m.Code)
	}
	hide, err := s.hiddenPayments(ctx, q, qt, in, base, codes, now)
	if err != nil || len(hide) == 0 {
		return methods, err
	}
	out := methods[:0:0]
	for _, m := range methods {
		if !hide[m.Code] {
			out = append(out, m)
		}
	}
	return out, nil
}

// pluginOrder is the input of the order.placed reaction.
func pluginOrder(o *order.Order) pluginsdk.Order {
	po := pluginsdk.Order{Number: o.Number, Total: int64(o.Total), PlacedAt: o.CreatedAt.UTC().Format(time.RFC3339)}
	if o.CustomerID != nil {
		po.CustomerID = *o.CustomerID
	}
	for _, l := range o.Lines {
		po.Lines = append(po.Lines, pluginsdk.Line{ProductID: l.ProductID, VariantID: l.VariantID, SKU: l.SKU, Name: l.NameJA,
			Qty: l.Qty, UnitPrice: int64(l.UnitPrice), Total: int64(l.UnitPrice) * int64(l.Qty)})
	}
	return po
}
