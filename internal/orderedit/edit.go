// Package orderedit is 受注編集: an operator changes an order after it
// was placed — lines added, removed and re-priced, quantities, discount,
// fees, recipient, delivery date and slot, and each parcel's address and
// fee — in one transaction that moves the stock, recomputes the per-rate
// tax with the checkout's own code (order.ApplyEdit → invoice.Compute),
// refuses a stale page (409), gives back what a paid order no longer owes
// (internal/refund), and writes the before and after to the order's
// history and the audit log.
package orderedit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/orderentry"
	"github.com/akinai/akinai/internal/refund"
	"github.com/akinai/akinai/internal/shop"
)

// AddLine is a variant added to the order.
type AddLine struct {
	SKU string
	Qty int
}

// ParcelChange is the new recipient, fee, date and slot of one planned
// parcel of an order with several.
type ParcelChange struct {
	ID         int64
	Ship       order.Address
	Fee        shop.Yen
	Date, Slot string
}

// Change is everything the edit screen may change. order.Edit carries the
// quantities (0 removes a line), the first recipient, the fees, the
// rounding and the note; the rest is this screen's.
type Change struct {
	order.Edit
	Prices                     map[int64]shop.Yen // line ID → new tax-included unit price
	Add                        []AddLine
	Discount                   shop.Yen
	DeliveryDate, DeliverySlot string
	Parcels                    []ParcelChange // only for an order with several parcels
	Refee                      bool           // recompute the fees of the parcels at the shop (refee)
	Actor                      string
}

// Result is an applied change: the order before and after, and the refund
// it recorded (nil for none).
type Result struct {
	Before, After *order.Order
	Refund        *refund.Refund
}

// Apply makes the change in tx. The version the page was loaded with is
// checked first, with a row lock, so of two operators saving the same
// order the second gets ErrVersion (409) and nothing is written. Errors:
// order.ErrVersion; NotFound; Invalid with messages by field (negative
// price "price_<line>", unknown SKU or bad quantity "add_sku"/"add_qty",
// stock short "add_qty" or "qty_<line>", discount over the total
// "discount", a card increase "total"); SoldOut from order.ApplyEdit;
// the errors of order.ApplyEdit and refund.Create. The caller rolls back
// on any error.
func Apply(ctx context.Context, tx *db.Tx, c Change) (*Result, error) {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE orders SET updated_at = ? WHERE number = ? AND version = ?`, tx.Now(), c.Number, c.Version))
	if err != nil {
		return nil, err
	}
	if n != 1 {
		if _, _, err := order.Version(ctx, tx, c.Number); err != nil {
			return nil, err
		}
		return nil, order.ErrVersion
	}
	before, err := order.ByNumber(ctx, tx, c.Number)
	if err != nil {
		return nil, err
	}
	if !order.Editable(before.Status) {
		return nil, shop.Errorf(shop.Conflict, "order.admin.not_editable")
	}
	if err := setPrices(ctx, tx, before.ID, c.Prices); err != nil {
		return nil, err
	}
	if err := addLines(ctx, tx, before, c.Add, c.Rounding); err != nil {
		return nil, err
	}
	if c.Refee {
		if err := refee(ctx, tx, before, &c); err != nil {
			return nil, err
		}
	}
	if err := setDelivery(ctx, tx, before, &c); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `UPDATE orders SET discount = ? WHERE id = ?`, int64(c.Discount), before.ID); err != nil {
		return nil, err
	}
	after, err := order.ApplyEdit(ctx, tx, c.Edit)
	if errors.Is(err, invoice.ErrInvalid) {
		// The only amount the operator can push out of range here is a
		// discount larger than what it is taken from.
		return nil, shop.Invalidf(map[string]string{"discount": "orderedit.discount_over"})
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Before: before, After: after}
	if res.Refund, err = Settle(ctx, tx, before, after, c.Actor, c.Note, c.Rounding); err != nil {
		return nil, err
	}
	if err := order.AddHistory(ctx, tx, after.ID, after.Status, Diff(before, after)); err != nil {
		return nil, err
	}
	return res, nil
}

// setPrices writes new unit prices. Errors: Invalid "price_<line>" for a
// negative price.
func setPrices(ctx context.Context, tx *db.Tx, orderID int64, prices map[int64]shop.Yen) error {
	fields := map[string]string{}
	for id, p := range prices {
		if p < 0 || p > invoice.MaxAmount {
			fields[fmt.Sprintf("price_%d", id)] = "orderedit.bad_price"
		}
	}
	if len(fields) > 0 {
		return shop.Invalidf(fields)
	}
	for id, p := range prices {
		if _, err := tx.Exec(ctx, `UPDATE order_lines SET unit_price = ?, line_total = ? * qty WHERE id = ? AND order_id = ?`,
			int64(p), int64(p), id, orderID); err != nil {
			return fmt.Errorf("orderedit: price: %w", err)
		}
	}
	return nil
}

// addLines adds variants by SKU at their catalogue price (tax included at
// the rate in force when the order was placed), takes their stock with a
// conditional UPDATE, and packs them in the first parcel still at the
// shop.
func addLines(ctx context.Context, tx *db.Tx, o *order.Order, adds []AddLine, rounding shop.Rounding) error {
	for _, a := range adds {
		var id, productID int64
		var class string
		err := tx.QueryRow(ctx, `SELECT v.id, p.id, p.tax_class FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = ?`,
			strings.TrimSpace(a.SKU)).Scan(&id, &productID, &class)
		if errors.Is(err, sql.ErrNoRows) {
			return shop.Invalidf(map[string]string{"add_sku": "orderedit.unknown_sku"})
		}
		if err != nil {
			return err
		}
		if a.Qty < 1 || a.Qty > 9999 {
			return shop.Invalidf(map[string]string{"add_qty": "orderedit.bad_qty"})
		}
		vs, err := orderentry.VariantsByID(ctx, tx, []int64{id})
		if err != nil {
			return err
		}
		v := vs[id]
		// The rate in force when the order was placed, by the catalogue's
		// one rule (product, category, shop).
		rate, err := catalog.TaxRate(ctx, tx, productID, shop.TaxClass(class), o.CreatedAt)
		if err != nil {
			return err
		}
		bp := int(rate)
		price := invoice.PriceIncl(v.Price, rate, rounding)
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE variants SET stock = stock - ? WHERE id = ? AND (stock IS NULL OR stock >= ?)`, a.Qty, id, a.Qty))
		if err != nil {
			return err
		}
		if n != 1 {
			left := 0
			if v.Stock != nil {
				left = *v.Stock
			}
			return &shop.Error{Kind: shop.Invalid, Key: "orderedit.stock_short", Args: []any{v.SKU, left},
				Fields: map[string]string{"add_qty": "orderedit.stock_short_field"}}
		}
		var lineID int64
		err = tx.QueryRow(ctx, `INSERT INTO order_lines (order_id, variant_id, product_id, name_ja, name_en, variant_ja, variant_en,
			sku, unit_price, tax_rate_bp, reduced, qty, line_total)
			SELECT ?, v.id, v.product_id, ?, ?, ?, ?, v.sku, ?, ?, ?, ?, ? FROM variants v WHERE v.id = ? RETURNING id`,
			o.ID, v.NameJA, v.NameEN, v.VariantJA, v.VariantEN, int64(price), bp, class == string(shop.TaxReduced), a.Qty,
			int64(price)*int64(a.Qty), id).Scan(&lineID)
		if err != nil {
			return fmt.Errorf("orderedit: add line: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO shipment_items (shipment_id, order_line_id, qty)
			SELECT id, ?, ? FROM shipments WHERE order_id = ? AND shipped_at IS NULL ORDER BY seq, id LIMIT 1`, lineID, a.Qty, o.ID); err != nil {
			return fmt.Errorf("orderedit: pack added line: %w", err)
		}
	}
	return nil
}

// setDelivery writes the delivery date and slot and, for an order with
// several parcels, each parcel still at the shop: its recipient, fee,
// date and slot. The order's delivery fee becomes the sum of the parcels'
// fees (order.ApplyEdit refuses any other fee on a split order) and its
// first recipient the first parcel's.
func setDelivery(ctx context.Context, tx *db.Tx, o *order.Order, c *Change) error {
	if len(o.Parcels) < 2 {
		if _, err := tx.Exec(ctx, `UPDATE orders SET delivery_date = ?, delivery_slot = ? WHERE id = ?`, c.DeliveryDate, c.DeliverySlot, o.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE shipments SET delivery_date = ?, delivery_slot = ? WHERE order_id = ? AND shipped_at IS NULL`,
			c.DeliveryDate, c.DeliverySlot, o.ID)
		return err
	}
	var sum shop.Yen
	first := o.Parcels[0]
	c.Ship, c.DeliveryDate, c.DeliverySlot = first.Ship, first.Date, first.Slot
	for _, p := range c.Parcels {
		a := p.Ship
		_, err := tx.Exec(ctx, `UPDATE shipments SET family_name = ?, given_name = ?, family_kana = ?, given_kana = ?, phone = ?,
			postal_code = ?, pref = ?, city = ?, address1 = ?, address2 = ?, fee = ?, delivery_date = ?, delivery_slot = ?
			WHERE id = ? AND order_id = ? AND shipped_at IS NULL`,
			a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana, a.Phone, a.PostalCode, a.Pref, a.City, a.Address1, a.Address2,
			int64(p.Fee), p.Date, p.Slot, p.ID, o.ID)
		if err != nil {
			return fmt.Errorf("orderedit: parcel: %w", err)
		}
		if p.ID == first.ID && first.ShippedAt == nil {
			c.Ship, c.DeliveryDate, c.DeliverySlot = a, p.Date, p.Slot
		}
	}
	// Fees of parcels that already left count as they were.
	if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(fee), 0) FROM shipments WHERE order_id = ?`, o.ID).Scan((*int64)(&sum)); err != nil {
		return err
	}
	c.DeliveryFee = sum
	_, err := tx.Exec(ctx, `UPDATE orders SET delivery_fee = ?, delivery_date = ?, delivery_slot = ? WHERE id = ?`,
		int64(sum), c.DeliveryDate, c.DeliverySlot, o.ID)
	return err
}

// Settle makes the payment follow an edit that took order before to
// after, in tx (the inline quantity form of the order page calls it too). A card whose payment was
// captured gets the difference back through the provider (a refund row
// the Worker sends); a card only authorised is captured at shipment for
// the order's total then, so only an increase beyond the authorisation
// is refused; a paid bank transfer or COD order that now owes less gets a
// refund record. An increase on a captured card is refused: the card
// cannot be charged again without the buyer. It returns the refund
// recorded, nil for none. Errors: Invalid on field "total" for a card
// increase; those of refund.Create.
func Settle(ctx context.Context, tx *db.Tx, before, after *order.Order, actor, note string, rounding shop.Rounding) (*refund.Refund, error) {
	paid, err := refund.PaidOf(ctx, tx, after)
	if err != nil {
		return nil, err
	}
	if after.PaymentMethod == order.Card {
		switch {
		case paid.Ref == "" && paid.Authorized > 0 && after.Total > paid.Authorized:
			return nil, &shop.Error{Kind: shop.Invalid, Key: "orderedit.card_over_auth", Args: []any{paid.Authorized.String()},
				Fields: map[string]string{"total": "orderedit.card_over_auth_field"}}
		case paid.Ref != "" && after.Total > paid.Left():
			return nil, &shop.Error{Kind: shop.Invalid, Key: "orderedit.card_increase", Args: []any{paid.Left().String()},
				Fields: map[string]string{"total": "orderedit.card_increase_field"}}
		case paid.Ref == "":
			return nil, nil
		}
	}
	owed := paid.Left() - after.Total
	if paid.Taken == 0 || owed <= 0 {
		return nil, nil
	}
	return refund.Create(ctx, tx, after, refund.Request{Kind: refund.Adjust, Amount: owed,
		Rates: refund.RateDiff(before.Rates, after.Rates), Reason: note, Actor: actor, Rounding: rounding})
}
