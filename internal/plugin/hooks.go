package plugin

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/pluginsdk"
)

// MaxAmount bounds any amount a plugin returns (the invoice's limit).
const MaxAmount = 100_000_000

// Applied is one plugin's discount.
type Applied struct {
	Plugin string
	Label  pluginsdk.Text
	Amount int64
}

// Discounts runs cart.discount of every enabled plugin, in name order.
// A plugin that fails, or returns a negative amount or one over the
// subtotal, is skipped (fail open: no discount); the caller caps the sum.
func (ps *Plugins) Discounts(ctx context.Context, q db.Queryer, c pluginsdk.Cart) []Applied {
	var out []Applied
	for _, p := range ps.With(ctx, q, HookDiscount) {
		var d pluginsdk.Discount
		if !ps.call(ctx, p, HookDiscount, q, c, &d) {
			continue
		}
		if d.Amount < 0 || d.Amount > c.Subtotal {
			ps.Failed(p, HookDiscount, errors.New("discount out of range"))
			continue
		}
		if d.Amount == 0 {
			continue
		}
		if d.Label.JA == "" {
			d.Label = pluginsdk.Text{JA: p.Manifest.Title.JA, EN: p.Manifest.Title.EN}
		}
		out = append(out, Applied{Plugin: p.Name, Label: d.Label, Amount: d.Amount})
	}
	return out
}

// DeliveryFees runs delivery.fee of every enabled plugin in name order,
// each seeing the fees the previous ones set, and returns the shipments
// with their final fees and the notes to show. A plugin that fails or
// names a destination that does not exist or a fee out of range is
// skipped (fail open: the fees as they were).
func (ps *Plugins) DeliveryFees(ctx context.Context, q db.Queryer, in pluginsdk.DeliveryIn) ([]pluginsdk.Shipment, []pluginsdk.Text) {
	var notes []pluginsdk.Text
	for _, p := range ps.With(ctx, q, HookDelivery) {
		var out pluginsdk.DeliveryOut
		if !ps.call(ctx, p, HookDelivery, q, in, &out) {
			continue
		}
		ok := true
		for _, f := range out.Fees {
			if f.Index < 0 || f.Index >= len(in.Shipments) || f.Fee < 0 || f.Fee > MaxAmount {
				ok = false
			}
		}
		if !ok {
			ps.Failed(p, HookDelivery, errors.New("fee out of range"))
			continue
		}
		ships := slices.Clone(in.Shipments)
		for _, f := range out.Fees {
			ships[f.Index].Fee = f.Fee
		}
		in.Shipments = ships
		if out.Note.JA != "" && len(out.Fees) > 0 {
			notes = append(notes, out.Note)
		}
	}
	return in.Shipments, notes
}

// HiddenPayments runs payment.methods of every enabled plugin and
// returns the codes to hide (fail open: a failed plugin hides nothing).
func (ps *Plugins) HiddenPayments(ctx context.Context, q db.Queryer, in pluginsdk.PaymentsIn) map[string]bool {
	var hide map[string]bool
	for _, p := range ps.With(ctx, q, HookPayments) {
		var out pluginsdk.PaymentsOut
		if !ps.call(ctx, p, HookPayments, q, in, &out) {
			continue
		}
		for _, c := range out.Hide {
			if hide == nil {
				hide = map[string]bool{}
			}
			hide[c] = true
		}
	}
	return hide
}

// Refusal is a plugin's checkout.validate refusing an order.
type Refusal struct {
	Plugin  string
	Message pluginsdk.Text
}

// Validate runs checkout.validate of every enabled plugin and returns the
// first refusal, nil when every plugin accepts (or failed: fail open,
// counted and shown to the owner; a broken validator must not stop the
// shop selling). A refusal without a message is a failure.
func (ps *Plugins) Validate(ctx context.Context, q db.Queryer, c pluginsdk.Cart) *Refusal {
	for _, p := range ps.With(ctx, q, HookValidate) {
		var v pluginsdk.Verdict
		if !ps.call(ctx, p, HookValidate, q, c, &v) {
			continue
		}
		if !v.OK {
			if v.Message.JA == "" || len(v.Message.JA) > 500 || len(v.Message.EN) > 500 {
				ps.Failed(p, HookValidate, errors.New("refusal without a usable message"))
				continue
			}
			return &Refusal{Plugin: p.Name, Message: v.Message}
		}
	}
	return nil
}

func ignoreNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// Yen is the discount's amount as the shop's money type.
func (a Applied) Yen() shop.Yen { return shop.Yen(a.Amount) }
