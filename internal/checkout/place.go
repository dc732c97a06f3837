package checkout

import (
	"context"
	"errors"
	"fmt"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// Place creates the order for in, or returns the order an earlier submit
// with the same idempotency key created (a double click, a reload, a
// retry after a lost answer). In one transaction it re-quotes the cart,
// reserves the stock with conditional updates, writes the order and its
// lines, and — unless a card still has to be charged — writes both mails
// to the outbox and empties the cart. Errors: SoldOut "order.sold_out"
// when the stock ran out (nothing is written); the Invalid errors of
// Quote; payment.ErrDeclined when the card was refused (the order is then
// cancelled and its stock returned).
//
// Cards: reserve → charge → mark paid or cancel. The order and its stock
// reservation commit first (status awaiting_payment), then the card is
// charged outside any transaction, then a second transaction marks the
// order paid and queues the mails, or cancels it and returns the stock.
// Charging inside the order transaction would hold SQLite's only write
// lock (and PostgreSQL row locks on hot variants) for a network round trip
// to the provider, stalling every other buyer of a flash sale; and a
// charge taken before the reservation could leave a paid customer with no
// stock. The provider call carries the idempotency key, so a retry never
// charges twice.
func (s *Service) Place(ctx context.Context, in *Input) (*order.Order, error) {
	if o, err := order.ByKey(ctx, s.DB, in.Key); err == nil {
		return o, nil
	} else if shop.KindOf(err) != shop.NotFound {
		return nil, err
	}
	si, err := s.shopInfo(ctx)
	if err != nil {
		return nil, err
	}
	var o *order.Order
	var kind payment.Kind
	var days int
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		qt, err := s.quote(ctx, tx, in, tx.Now(), si, true)
		if err != nil {
			return err
		}
		o = newOrder(in, qt)
		o.InvoiceNumber = si.Shop.InvoiceNumber
		if err := order.Create(ctx, tx, o); err != nil {
			return err
		}
		if err := bookLoyalty(ctx, tx, o, in, qt); err != nil {
			return err
		}
		if s.Rules != nil {
			if err := s.Rules.Placed(ctx, tx, o, in); err != nil {
				return err
			}
		}
		if err := s.Plugins.EnqueueOrderPlaced(ctx, tx, pluginOrder(o)); err != nil {
			return err
		}
		if pm, ok := payingLater(qt, in.PaymentMethod); ok {
			kind, days = pm.Kind, pm.ExpiresDays
			return nil
		}
		if in.Adjust == nil || !in.Adjust.NoMail {
			if err := s.enqueueMails(ctx, tx, o, si); err != nil {
				return err
			}
		}
		return cart.Clear(ctx, tx, in.CartID)
	})
	if isConflict(err) {
		// Another submit with this key committed while we worked.
		return order.ByKey(ctx, s.DB, in.Key)
	}
	if err != nil {
		return nil, err
	}
	switch kind {
	case payment.Card:
		return o, s.charge(ctx, o, in, si)
	case payment.Konbini:
		return o, s.issueKonbini(ctx, o, in, si, days)
	}
	return o, nil
}

// payingLater returns the chosen method when the provider must be called
// after the order commits (a card or konbini).
func payingLater(qt *Quote, code string) (PayMethod, bool) {
	for _, p := range qt.Payments {
		if p.Code == code && (p.Kind == payment.Card || p.Kind == payment.Konbini) {
			return p.PayMethod, true
		}
	}
	return PayMethod{}, false
}

func newOrder(in *Input, qt *Quote) *order.Order {
	o := &order.Order{
		IdempotencyKey: in.Key, Status: order.New, Lang: in.Lang, Email: in.Email,
		Buyer: in.Buyer, Ship: in.Ship,
		DeliveryMethod: in.MethodID, DeliveryDate: in.Date, DeliverySlot: in.Slot,
		PaymentMethod: in.PaymentMethod,
		Subtotal:      qt.Subtotal, DeliveryFee: qt.DeliveryFee, CODFee: qt.CODFee, Discount: qt.Discount, Total: qt.Total,
		MemberDiscount: qt.MemberDiscount, MemberPercent: qt.MemberPercent,
		Rates: qt.Rates, Note: in.Note, CustomerID: in.CustomerID,
	}
	for _, p := range qt.Payments {
		if p.Code == in.PaymentMethod && p.Kind != payment.COD && p.Kind != payment.OnAccount {
			o.Status = order.AwaitingPayment
		}
	}
	for i, qs := range qt.Shipments {
		sh := order.Parcel{Seq: i + 1, Ship: qs.Ship, Method: qs.MethodID, Date: qs.Date, Slot: qs.Slot, Fee: qs.Fee, Items: qs.Items}
		if len(in.Dests) == 0 { // one destination: everything goes there
			sh.Items = nil
			for i, l := range qt.Cart.Lines {
				sh.Items = append(sh.Items, order.ParcelItem{Line: i, Qty: l.Qty})
			}
		}
		o.Parcels = append(o.Parcels, sh)
	}
	first := o.Parcels[0]
	o.Ship, o.DeliveryMethod, o.DeliveryDate, o.DeliverySlot = first.Ship, first.Method, first.Date, first.Slot
	for _, l := range qt.Cart.Lines {
		o.Lines = append(o.Lines, order.Line{
			VariantID: l.VariantID, ProductID: l.ProductID,
			NameJA: l.NameJA, NameEN: l.NameEN, VariantJA: l.VariantJA, VariantEN: l.VariantEN,
			SKU: l.SKU, UnitPrice: l.UnitPrice, Rate: l.Rate, Reduced: l.Class == shop.TaxReduced, Qty: l.Qty,
		})
	}
	return o
}

// charge takes the card payment of a committed, reserved order and then
// marks it paid — or new with an authorised payment when the provider
// only authorises — (mails queued, cart emptied), or cancels it (stock
// returned). An error reaching the provider is treated as a failure too:
// the order is cancelled and the customer told to try again; the
// provider's idempotency key keeps a charge that did go through from being
// taken twice, and the payment record names the attempt for the shop.
func (s *Service) charge(ctx context.Context, o *order.Order, in *Input, si *shopInfo) error {
	res, cerr := si.Pay.Charge(ctx, payment.Charge{
		Amount: o.Total, PaymentMethod: in.CardToken, OrderNumber: o.Number, Email: o.Email, IdempotencyKey: "akinai-" + in.Key,
	})
	rec := order.Payment{Provider: si.Pay.Name(), Method: order.Card, Reference: res.Reference, Amount: o.Total, Status: "succeeded"}
	// Don't let a cancelled request leave the order half-done.
	ctx = context.WithoutCancel(ctx)
	if cerr != nil {
		rec.Status, rec.Error = "failed", cerr.Error()
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			if err := order.RecordPayment(ctx, tx, o.ID, rec); err != nil {
				return err
			}
			if err := coupon.Release(ctx, tx, o.ID); err != nil {
				return err
			}
			return order.Cancel(ctx, tx, o.Number, "payment failed")
		})
		if err != nil {
			return errors.Join(cerr, err)
		}
		o.Status = order.Cancelled
		if shop.KindOf(cerr) == shop.Invalid {
			return cerr
		}
		return &shop.Error{Kind: shop.Unavailable, Key: "payment.unreachable", Cause: cerr}
	}
	// An authorisation (manual capture) makes the order ready to prepare;
	// the money is taken by Capture at shipment.
	to := order.Paid
	if res.Authorized {
		rec.Status, to = "authorized", order.New
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := order.RecordPayment(ctx, tx, o.ID, rec); err != nil {
			return err
		}
		if err := order.Move(ctx, tx, o.Number, to, "card "+res.Reference); err != nil {
			return err
		}
		o.Status = to
		if err := s.enqueueMails(ctx, tx, o, si); err != nil {
			return err
		}
		return cart.Clear(ctx, tx, in.CartID)
	})
	if err != nil {
		return fmt.Errorf("checkout: order %s paid (%s) but not recorded: %w", o.Number, res.Reference, err)
	}
	return nil
}
