// Package refund records money given back on an order — for goods
// returned, an order cancelled, or an edit that lowered a paid order's
// total — as one credit note (適格返還請求書) each: the amount per tax
// rate and the tax in it, computed by internal/invoice as the order's own
// invoice was. A card refund goes back through the payment provider after
// the commit (Worker); a bank transfer or cash-on-delivery refund is a
// record the shop pays out by hand.
package refund

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// Kinds of refund.
const (
	Return = "return" // goods came back
	Cancel = "cancel" // the whole order was cancelled
	Adjust = "adjust" // an edit lowered a paid order's total
)

// Statuses of a refund.
const (
	Pending   = "pending"   // a card refund waiting for the provider
	Succeeded = "succeeded" // the provider refunded the card
	Failed    = "failed"    // the provider refused, or out of attempts
	Recorded  = "recorded"  // bank transfer or COD: the shop pays it out
)

// Line is one returned order line.
type Line struct {
	OrderLineID int64
	Name, SKU   string
	Rate        shop.TaxRate
	Reduced     bool
	Qty         int
	UnitAmount  shop.Yen // refunded per unit, tax included
	Restock     bool
}

// Refund is one refund of an order: one credit note.
type Refund struct {
	ID          int64
	OrderID     int64
	Kind        string
	Method      string
	Amount      shop.Yen
	DeliveryFee shop.Yen
	CODFee      shop.Yen
	Rates       []order.RateTotal
	Reason      string
	Actor       string
	PaymentRef  string
	Reference   string
	Status      string
	LastError   string
	CreatedAt   time.Time
	Lines       []Line
}

// Paid is what an order has taken and given back so far.
type Paid struct {
	Taken    shop.Yen // card: captured; other methods: the order's total once paid
	Refunded shop.Yen // refunds not failed
	// Returned is the quantity of each order line already returned.
	Returned map[int64]int
	// Ref is the card payment (PaymentIntent) a refund goes back to.
	Ref string
	// Authorized is the card amount held but not yet captured.
	Authorized shop.Yen
}

// Left is what may still be refunded.
func (p Paid) Left() shop.Yen { return p.Taken - p.Refunded }

// paidStatuses are the statuses in which a bank transfer or COD order's
// total has been (or, shipped COD, is being) paid.
func paidStatus(s order.Status) bool {
	return s == order.Paid || s == order.Preparing || s == order.Shipped || s == order.Returned
}

// PaidOf reads what order o has taken and given back: for a card, the
// captured payments; for another method, the order's total plus the
// refunds of earlier edits (what the buyer paid before the edits lowered
// it) once the order is paid.
func PaidOf(ctx context.Context, q db.Queryer, o *order.Order) (Paid, error) {
	p := Paid{Returned: map[int64]int{}}
	rows, err := q.Query(ctx, `SELECT kind, amount, status FROM refunds WHERE order_id = ?`, o.ID)
	if err != nil {
		return p, fmt.Errorf("refund: paid: %w", err)
	}
	var adjusted shop.Yen
	for rows.Next() {
		var kind, status string
		var amt int64
		if err := rows.Scan(&kind, &amt, &status); err != nil {
			rows.Close()
			return p, err
		}
		if status == Failed {
			continue
		}
		p.Refunded += shop.Yen(amt)
		if kind == Adjust {
			adjusted += shop.Yen(amt)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	rows, err = q.Query(ctx, `SELECT l.order_line_id, l.qty FROM refund_lines l JOIN refunds r ON r.id = l.refund_id
		WHERE r.order_id = ? AND r.status <> 'failed' AND l.order_line_id IS NOT NULL`, o.ID)
	if err != nil {
		return p, err
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return p, err
		}
		p.Returned[id] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	if o.PaymentMethod != order.Card {
		if paidStatus(o.Status) {
			p.Taken = o.Total + adjusted
		}
		return p, nil
	}
	ps, err := order.Payments(ctx, q, o.ID)
	if err != nil {
		return p, err
	}
	captured := map[string]bool{}
	for _, pay := range ps {
		switch pay.Status {
		case "succeeded":
			if !captured[pay.Reference] {
				captured[pay.Reference] = true
				p.Taken += pay.Amount
				p.Ref = pay.Reference
			}
		case "authorized":
			p.Authorized += pay.Amount
		}
	}
	if p.Ref != "" {
		p.Authorized = 0
	}
	return p, nil
}

// Request is a refund to record.
type Request struct {
	Kind        string
	Lines       []Line // for Return
	DeliveryFee shop.Yen
	CODFee      shop.Yen
	// Amount and Rates, for Adjust and Cancel, are given by the caller
	// (the difference of the order's totals, or what is left of what was
	// paid); for Return they are computed from Lines and the fees.
	Amount   shop.Yen
	Rates    []order.RateTotal
	Reason   string
	Actor    string
	Rounding shop.Rounding
}

// keyTooMuch is the message of a refund larger than what is left of
// what was paid.
const keyTooMuch = "refund.too_much"

// Create records a refund of order o in tx: the refund row (pending for a
// card, for the Worker; recorded otherwise), its lines, and the stock of
// lines returned to stock. The amount per rate comes from invoice.Compute
// over the returned lines and fees (rounded once per rate). Errors:
// Invalid with a field message — "qty_<line>" for more than is left to
// return, "amount_<line>" for a negative or larger-than-price unit
// amount, "delivery_fee"/"cod_fee" for a fee above the order's,
// "total" for nothing to refund or more than was paid
// (refund.too_much); Conflict "refund.card_not_captured" for a card whose
// payment was only authorised (lower the order instead: the capture takes
// the order's total). On error the caller's transaction must roll back.
func Create(ctx context.Context, tx *db.Tx, o *order.Order, req Request) (*Refund, error) {
	paid, err := PaidOf(ctx, tx, o)
	if err != nil {
		return nil, err
	}
	r := &Refund{OrderID: o.ID, Kind: req.Kind, Method: o.PaymentMethod, Reason: req.Reason, Actor: req.Actor,
		DeliveryFee: req.DeliveryFee, CODFee: req.CODFee, Lines: req.Lines}
	if req.Kind == Adjust || req.Kind == Cancel {
		r.Amount, r.Rates = req.Amount, req.Rates
	} else if err := price(ctx, tx, o, paid, r, req.Rounding); err != nil {
		return nil, err
	}
	if r.Amount <= 0 {
		return nil, shop.Invalidf(map[string]string{"total": "refund.nothing"})
	}
	if o.PaymentMethod == order.Card && paid.Ref == "" {
		return nil, shop.Errorf(shop.Conflict, "refund.card_not_captured")
	}
	if r.Amount > paid.Left() {
		return nil, &shop.Error{Kind: shop.Invalid, Key: keyTooMuch, Args: []any{paid.Left().String()},
			Fields: map[string]string{"total": "refund.too_much_field"}}
	}
	r.Status = Recorded
	if o.PaymentMethod == order.Card {
		r.Status, r.PaymentRef = Pending, paid.Ref
	}
	rj, err := json.Marshal(r.Rates)
	if err != nil {
		return nil, err
	}
	now := tx.Now()
	err = tx.QueryRow(ctx, `INSERT INTO refunds (order_id, kind, method, amount, delivery_fee, cod_fee, rates, reason, actor,
		payment_ref, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.ID, r.Kind, r.Method, int64(r.Amount), int64(r.DeliveryFee), int64(r.CODFee), string(rj), r.Reason, r.Actor,
		r.PaymentRef, r.Status, now, now).Scan(&r.ID)
	if err != nil {
		return nil, fmt.Errorf("refund: insert: %w", err)
	}
	r.CreatedAt = now
	for _, l := range r.Lines {
		if l.Qty == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refund_lines (refund_id, order_line_id, name, sku, tax_rate_bp, reduced, qty, unit_amount, restock)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, l.OrderLineID, l.Name, l.SKU, int(l.Rate), l.Reduced, l.Qty, int64(l.UnitAmount), l.Restock); err != nil {
			return nil, fmt.Errorf("refund: insert line: %w", err)
		}
		if l.Restock {
			if _, err := tx.Exec(ctx, `UPDATE variants SET stock = stock + ?
				WHERE id = (SELECT variant_id FROM order_lines WHERE id = ?) AND stock IS NOT NULL`, l.Qty, l.OrderLineID); err != nil {
				return nil, fmt.Errorf("refund: restock: %w", err)
			}
		}
	}
	return r, nil
}

// price checks a return's lines and fees against the order and what was
// returned before, fills each line's snapshot, and computes the amount
// and the per-rate totals.
func price(ctx context.Context, tx *db.Tx, o *order.Order, paid Paid, r *Refund, rounding shop.Rounding) error {
	lines, err := order.AdminLines(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	byID := map[int64]order.AdminLine{}
	for _, l := range lines {
		byID[l.ID] = l
	}
	fields := map[string]string{}
	in := invoice.Order{DeliveryFee: r.DeliveryFee, CODFee: r.CODFee}
	for i := range r.Lines {
		l := &r.Lines[i]
		ol, ok := byID[l.OrderLineID]
		if !ok {
			return shop.ErrNotFound
		}
		qf, af := fmt.Sprintf("qty_%d", ol.ID), fmt.Sprintf("amount_%d", ol.ID)
		switch {
		case l.Qty < 0:
			fields[qf] = "refund.bad_qty"
		case l.Qty > ol.Qty-paid.Returned[ol.ID]:
			fields[qf] = "refund.qty_over"
		}
		switch {
		case l.UnitAmount < 0:
			fields[af] = "refund.negative"
		case l.UnitAmount > ol.UnitPrice:
			fields[af] = "refund.over_price"
		}
		l.Name, l.SKU, l.Rate, l.Reduced = ol.NameJA, ol.SKU, ol.Rate, ol.Reduced
		if v := ol.VariantJA; v != "" {
			l.Name += " (" + v + ")"
		}
		class := shop.TaxStandard
		if ol.Reduced {
			class = shop.TaxReduced
		}
		in.Lines = append(in.Lines, invoice.Line{Rate: ol.Rate, UnitPrice: l.UnitAmount, Qty: max(l.Qty, 0), Class: class})
	}
	for name, fee := range map[string][2]shop.Yen{"delivery_fee": {r.DeliveryFee, o.DeliveryFee}, "cod_fee": {r.CODFee, o.CODFee}} {
		switch {
		case fee[0] < 0:
			fields[name] = "refund.negative"
		case fee[0] > fee[1]:
			fields[name] = "refund.fee_over"
		}
	}
	if len(fields) > 0 {
		return shop.Invalidf(fields)
	}
	if in.StandardRate, err = standardRate(o); err != nil {
		return err
	}
	b, err := invoice.Compute(in, rounding)
	if err != nil {
		return err
	}
	r.Amount = b.Total
	for _, rt := range b.Rates {
		if rt.Total > 0 {
			r.Rates = append(r.Rates, order.RateTotal{Rate: rt.Rate, Reduced: rt.Reduced, Total: rt.Total, Tax: rt.Tax})
		}
	}
	return nil
}

// standardRate is the rate the order's fees were taxed at: the highest
// non-reduced rate of its stored totals (fees sit with the standard
// rate), or 10% for an order without one.
func standardRate(o *order.Order) (shop.TaxRate, error) {
	for _, rt := range o.Rates {
		if !rt.Reduced {
			return rt.Rate, nil
		}
	}
	return shop.StandardRate, nil
}

// RateDiff is what an edit changed in each rate's total and tax (before
// − after): positive for a rate that went down, negative for one that
// went up (an item added at another rate). The rates of an Adjust
// refund's credit note; their sum is what the edit took off the total.
func RateDiff(before, after []order.RateTotal) []order.RateTotal {
	var out []order.RateTotal
	seen := map[shop.TaxRate]bool{}
	for _, b := range before {
		d := b
		for _, a := range after {
			if a.Rate == b.Rate {
				d.Total, d.Tax = b.Total-a.Total, b.Tax-a.Tax
			}
		}
		seen[b.Rate] = true
		if d.Total != 0 {
			out = append(out, d)
		}
	}
	for _, a := range after {
		if !seen[a.Rate] && a.Total != 0 {
			out = append(out, order.RateTotal{Rate: a.Rate, Reduced: a.Reduced, Total: -a.Total, Tax: -a.Tax})
		}
	}
	return out
}

// ByOrder returns an order's refunds with their lines, oldest first.
func ByOrder(ctx context.Context, q db.Queryer, orderID int64) ([]*Refund, error) {
	return load(ctx, q, `WHERE order_id = ? ORDER BY id`, orderID)
}

// ByID returns refund id of order orderID. Errors: NotFound.
func ByID(ctx context.Context, q db.Queryer, orderID, id int64) (*Refund, error) {
	rs, err := load(ctx, q, `WHERE order_id = ? AND id = ?`, orderID, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, shop.ErrNotFound
	}
	return rs[0], nil
}

func load(ctx context.Context, q db.Queryer, where string, args ...any) ([]*Refund, error) {
	rows, err := q.Query(ctx, `SELECT id, order_id, kind, method, amount, delivery_fee, cod_fee, rates, reason, actor,
		payment_ref, reference, status, last_error, created_at FROM refunds `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("refund: load: %w", err)
	}
	var out []*Refund
	for rows.Next() {
		r := &Refund{}
		var amt, fee, cod int64
		var rates string
		if err := rows.Scan(&r.ID, &r.OrderID, &r.Kind, &r.Method, &amt, &fee, &cod, &rates, &r.Reason, &r.Actor,
			&r.PaymentRef, &r.Reference, &r.Status, &r.LastError, &r.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		r.Amount, r.DeliveryFee, r.CODFee = shop.Yen(amt), shop.Yen(fee), shop.Yen(cod)
		if err := json.Unmarshal([]byte(rates), &r.Rates); err != nil {
			rows.Close()
			return nil, fmt.Errorf("refund %d: rates: %w", r.ID, err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		if r.Lines, err = lines(ctx, q, r.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func lines(ctx context.Context, q db.Queryer, refundID int64) ([]Line, error) {
	rows, err := q.Query(ctx, `SELECT order_line_id, name, sku, tax_rate_bp, reduced, qty, unit_amount, restock
		FROM refund_lines WHERE refund_id = ? ORDER BY id`, refundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		var lid sql.NullInt64
		var rate int
		var amt int64
		if err := rows.Scan(&lid, &l.Name, &l.SKU, &rate, &l.Reduced, &l.Qty, &amt, &l.Restock); err != nil {
			return nil, err
		}
		l.OrderLineID, l.Rate, l.UnitAmount = lid.Int64, shop.TaxRate(rate), shop.Yen(amt)
		out = append(out, l)
	}
	return out, rows.Err()
}
