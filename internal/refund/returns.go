package refund

import (
	"context"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// Goods is a return or a cancellation the operator asks for.
type Goods struct {
	Number  string
	Version int // the version the page was loaded with
	// Lines, for a shipped order: the quantity returned of each line, the
	// amount refunded per unit, and whether it goes back into stock.
	Lines       []Line
	DeliveryFee shop.Yen
	CODFee      shop.Yen
	Reason      string
	Actor       string
	Rounding    shop.Rounding
}

// ReturnGoods records a return of a shipped order, or cancels an order
// that has not left, with its refund, in tx. The version is checked and
// bumped first (a stale page gets order.ErrVersion, 409).
//
// A shipped order: the lines come back as asked (stock only for lines
// marked Restock: returned goods are inspected first), the refund is
// priced per rate by Create, and the order moves to Returned once every
// unit of every line has come back (the reports then leave it out of
// sales). An order still at the shop is cancelled whole (order.Cancel
// returns all its stock; to take off only some lines, edit the order)
// and what it paid, if anything, is refunded. It returns the refund, nil
// when nothing had been paid. Errors: order.ErrVersion; NotFound; Conflict
// "refund.not_returnable" for a cancelled or returned order, or an
// unpaid shipped one (nothing to refund); the errors of Create and Move.
func ReturnGoods(ctx context.Context, tx *db.Tx, g Goods) (*Refund, error) {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE orders SET version = version + 1, updated_at = ? WHERE number = ? AND version = ?`,
		tx.Now(), g.Number, g.Version))
	if err != nil {
		return nil, err
	}
	if n != 1 {
		if _, _, err := order.Version(ctx, tx, g.Number); err != nil {
			return nil, err
		}
		return nil, order.ErrVersion
	}
	o, err := order.ByNumber(ctx, tx, g.Number)
	if err != nil {
		return nil, err
	}
	switch o.Status {
	case order.Cancelled, order.Returned:
		return nil, shop.Errorf(shop.Conflict, "refund.not_returnable")
	case order.Shipped:
		return returnShipped(ctx, tx, o, g)
	}
	paid, err := PaidOf(ctx, tx, o)
	if err != nil {
		return nil, err
	}
	var r *Refund
	if paid.Left() > 0 {
		r, err = Create(ctx, tx, o, Request{Kind: Cancel, Amount: paid.Left(), Rates: o.Rates, Reason: g.Reason, Actor: g.Actor})
		if err != nil {
			return nil, err
		}
	}
	if err := order.Cancel(ctx, tx, g.Number, "cancel: "+g.Reason); err != nil {
		return nil, err
	}
	return r, nil
}

func returnShipped(ctx context.Context, tx *db.Tx, o *order.Order, g Goods) (*Refund, error) {
	r, err := Create(ctx, tx, o, Request{Kind: Return, Lines: g.Lines, DeliveryFee: g.DeliveryFee, CODFee: g.CODFee,
		Reason: g.Reason, Actor: g.Actor, Rounding: g.Rounding})
	if err != nil {
		return nil, err
	}
	paid, err := PaidOf(ctx, tx, o)
	if err != nil {
		return nil, err
	}
	lines, err := order.AdminLines(ctx, tx, o.ID)
	if err != nil {
		return nil, err
	}
	all := true
	for _, l := range lines {
		all = all && paid.Returned[l.ID] >= l.Qty
	}
	note := "return: ¥" + r.Amount.String()
	if g.Reason != "" {
		note += " — " + g.Reason
	}
	if all {
		return r, order.Move(ctx, tx, o.Number, order.Returned, note)
	}
	return r, order.AddHistory(ctx, tx, o.ID, o.Status, note)
}
