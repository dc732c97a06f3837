package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/konbini"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

// issueKonbini asks the provider for the convenience-store payment of a
// committed, reserved order (the same reserve-then-call order as charge).
// With the instructions it records them, queues the mails that carry them
// and empties the cart; the order waits for payment (the provider's
// webhook settles it, package konbini). A refusal or an unreachable
// provider cancels the order and returns its stock.
func (s *Service) issueKonbini(ctx context.Context, o *order.Order, in *Input, si *shopInfo, days int) error {
	kp, ok := si.Pay.(payment.KonbiniProvider)
	if !ok {
		return shop.Errorf(shop.Invalid, "checkout.bad_payment")
	}
	name := o.Buyer.FamilyName + " " + o.Buyer.GivenName
	res, kerr := kp.Konbini(ctx, payment.KonbiniCharge{Amount: o.Total, OrderNumber: o.Number, Name: name, Email: o.Email,
		ExpiresDays: days, IdempotencyKey: "akinai-" + in.Key})
	rec := order.Payment{Provider: si.Pay.Name(), Method: string(payment.Konbini), Reference: res.Reference, Amount: o.Total, Status: "pending"}
	ctx = context.WithoutCancel(ctx)
	if kerr != nil {
		rec.Status, rec.Error = "failed", kerr.Error()
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			if err := order.RecordPayment(ctx, tx, o.ID, rec); err != nil {
				return err
			}
			return order.Cancel(ctx, tx, o.Number, "konbini payment not issued")
		})
		if err != nil {
			return errors.Join(kerr, err)
		}
		o.Status = order.Cancelled
		if shop.KindOf(kerr) == shop.Invalid {
			return kerr
		}
		return &shop.Error{Kind: shop.Unavailable, Key: "payment.unreachable", Cause: kerr}
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := order.RecordPayment(ctx, tx, o.ID, rec); err != nil {
			return err
		}
		if err := konbini.Save(ctx, tx, o.ID, res); err != nil {
			return err
		}
		if err := s.enqueueMails(ctx, tx, o, si); err != nil {
			return err
		}
		return cart.Clear(ctx, tx, in.CartID)
	})
	if err != nil {
		return fmt.Errorf("checkout: order %s konbini %s issued but not recorded: %w", o.Number, res.Reference, err)
	}
	return nil
}

// KonbiniView is a konbini order's instructions as the completion page
// and the mail show them.
type KonbiniView struct {
	Expires    string // "2026年12月5日 23:59" in Japan time
	VoucherURL string
	Stores     []KonbiniStoreView
}

// KonbiniStoreView is one chain's numbers.
type KonbiniStoreView struct {
	Name               string
	ConfirmationNumber string
	PaymentCode        string
}

var jst = time.FixedZone("JST", 9*3600)

func konbiniView(ctx context.Context, q db.Queryer, orderID int64, lang i18n.Lang) (*KonbiniView, error) {
	p, err := konbini.ByOrder(ctx, q, orderID)
	if shop.KindOf(err) == shop.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t := p.ExpiresAt.In(jst)
	v := &KonbiniView{VoucherURL: p.VoucherURL, Expires: t.Format("2006年1月2日 15:04")}
	if lang == i18n.English {
		v.Expires = t.Format("2 Jan 2006 15:04") + " (JST)"
	}
	for _, s := range p.Stores {
		v.Stores = append(v.Stores, KonbiniStoreView{Name: i18n.T(lang, "paydeliv.store."+s.Store), ConfirmationNumber: s.ConfirmationNumber, PaymentCode: s.PaymentCode})
	}
	return v, nil
}
