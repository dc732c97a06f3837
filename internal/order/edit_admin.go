package order

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/shop"
)

// AdminLine is an order line with its ID, for the admin edit form.
type AdminLine struct {
	ID int64
	Line
}

// AdminLines returns the order's lines with their IDs, in order.
func AdminLines(ctx context.Context, q db.Queryer, orderID int64) ([]AdminLine, error) {
	rows, err := q.Query(ctx, `SELECT id, variant_id, product_id, name_ja, name_en, variant_ja, variant_en, sku, unit_price, tax_rate_bp, reduced, qty
		FROM order_lines WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdminLine
	for rows.Next() {
		var l AdminLine
		var vid, pid sql.NullInt64
		var price int64
		var rate int
		if err := rows.Scan(&l.ID, &vid, &pid, &l.NameJA, &l.NameEN, &l.VariantJA, &l.VariantEN, &l.SKU, &price, &rate, &l.Reduced, &l.Qty); err != nil {
			return nil, err
		}
		l.VariantID, l.ProductID, l.UnitPrice, l.Rate = vid.Int64, pid.Int64, shop.Yen(price), shop.TaxRate(rate)
		out = append(out, l)
	}
	return out, rows.Err()
}

// Version returns an order's ID and current version. Errors: NotFound.
func Version(ctx context.Context, q db.Queryer, number string) (id int64, version int, err error) {
	err = q.QueryRow(ctx, `SELECT id, version FROM orders WHERE number = ?`, number).Scan(&id, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, shop.ErrNotFound
	}
	return id, version, err
}

// ErrVersion is returned when an order changed since the form was loaded.
var ErrVersion = &shop.Error{Kind: shop.Conflict, Key: "order.admin.version_conflict"}

// claim bumps the version of an order from version, in one statement, and
// returns its ID and status: of two admins saving the same page, the
// second finds the version gone. Errors: NotFound; ErrVersion.
func claim(ctx context.Context, tx *db.Tx, number string, version int) (int64, Status, error) {
	var id int64
	var status string
	err := tx.QueryRow(ctx, `UPDATE orders SET version = version + 1, updated_at = ? WHERE number = ? AND version = ? RETURNING id, status`,
		tx.Now(), number, version).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		if _, _, err := Version(ctx, tx, number); err != nil {
			return 0, "", err
		}
		return 0, "", ErrVersion
	}
	return id, Status(status), err
}

// Edit is an admin's change to an order's lines, recipient and fees.
type Edit struct {
	Number  string
	Version int           // the version the form was loaded with
	Qty     map[int64]int // line ID → new quantity (0 removes the line)
	Ship    Address
	// DeliveryFee and CODFee are tax-included and taxed at the standard
	// rate in force when the order was placed.
	DeliveryFee, CODFee shop.Yen
	Rounding            shop.Rounding
	Note                string
}

// Editable reports whether an order in status s may still be edited: not
// after it left the shop or was closed.
func Editable(s Status) bool {
	return s == New || s == AwaitingPayment || s == Paid || s == Preparing
}

// ApplyEdit changes an order's lines, recipient and fees in tx, adjusts
// the stock by the difference of each quantity (a conditional UPDATE for
// an increase, so it never takes stock that is not there), recomputes the
// totals and per-rate tax with invoice.Compute (rounded once per rate),
// and logs an event. Errors: NotFound; ErrVersion (Conflict) when the
// order changed since the form was loaded; Conflict
// "order.admin.not_editable" after shipping or cancelling; Invalid
// "order.admin.no_lines" when every line would be removed; SoldOut
// "order.admin.stock_short" (args SKU, units available) when an increase
// needs more stock than there is; Invalid
// "order.admin.parcels_inconsistent" when the change cannot be carried
// into the order's parcels (see planParcels); invoice.ErrInvalid for
// amounts out of range. On any error the caller's transaction must roll back.
func ApplyEdit(ctx context.Context, tx *db.Tx, e Edit) (*Order, error) {
	id, status, err := claim(ctx, tx, e.Number, e.Version)
	if err != nil {
		return nil, err
	}
	if !Editable(status) {
		return nil, shop.Errorf(shop.Conflict, "order.admin.not_editable")
	}
	lines, err := AdminLines(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	plan, err := planParcels(ctx, tx, id, lines, e)
	if err != nil {
		return nil, err
	}
	left := 0
	for _, l := range lines {
		qty, ok := e.Qty[l.ID]
		if !ok {
			qty = l.Qty
		}
		if qty < 0 || qty > 9999 {
			return nil, shop.Invalidf(map[string]string{fmt.Sprintf("qty_%d", l.ID): "order.admin.bad_qty"})
		}
		if qty > 0 {
			left++
		}
		if err := adjustLine(ctx, tx, l, qty); err != nil {
			return nil, err
		}
	}
	if left == 0 {
		return nil, shop.Errorf(shop.Invalid, "order.admin.no_lines")
	}
	var created time.Time
	var discount int64
	var memberPct int // the rank's percentage stays as it was at checkout
	if err := tx.QueryRow(ctx, `SELECT created_at, discount, member_percent FROM orders WHERE id = ?`, id).Scan(&created, &discount, &memberPct); err != nil {
		return nil, err
	}
	std, err := standardRateAt(ctx, tx, created)
	if err != nil {
		return nil, err
	}
	lines, err = AdminLines(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	io := invoice.Order{DeliveryFee: e.DeliveryFee, CODFee: e.CODFee, StandardRate: std, Discount: shop.Yen(discount), ItemPercent: memberPct}
	for _, l := range lines {
		class := shop.TaxStandard
		if l.Reduced {
			class = shop.TaxReduced
		}
		io.Lines = append(io.Lines, invoice.Line{Rate: l.Rate, UnitPrice: l.UnitPrice, Qty: l.Qty, Class: class})
	}
	b, err := invoice.Compute(io, e.Rounding)
	if err != nil {
		return nil, err
	}
	var rates []RateTotal
	for _, r := range b.Rates {
		rates = append(rates, RateTotal{Rate: r.Rate, Reduced: r.Reduced, Total: r.Total, Tax: r.Tax})
	}
	rj, err := json.Marshal(rates)
	if err != nil {
		return nil, err
	}
	s := e.Ship
	_, err = tx.Exec(ctx, `UPDATE orders SET ship_family_name = ?, ship_given_name = ?, ship_family_kana = ?, ship_given_kana = ?,
		ship_phone = ?, ship_postal_code = ?, ship_pref = ?, ship_city = ?, ship_address1 = ?, ship_address2 = ?,
		subtotal = ?, delivery_fee = ?, cod_fee = ?, total = ?, rates = ?, member_discount = ? WHERE id = ?`,
		s.FamilyName, s.GivenName, s.FamilyKana, s.GivenKana, s.Phone, s.PostalCode, s.Pref, s.City, s.Address1, s.Address2,
		int64(b.Items), int64(b.DeliveryFee), int64(b.CODFee), int64(b.Total), string(rj), int64(b.ItemDiscount), id)
	if err != nil {
		return nil, fmt.Errorf("order: edit: %w", err)
	}
	if err := plan.apply(ctx, tx, id, e); err != nil {
		return nil, err
	}
	if err := logEvent(ctx, tx, id, status, status, "edited: "+e.Note); err != nil {
		return nil, err
	}
	return ByNumber(ctx, tx, e.Number)
}

// adjustLine sets a line's quantity and moves the difference to or from
// the variant's stock.
func adjustLine(ctx context.Context, tx *db.Tx, l AdminLine, qty int) error {
	delta := qty - l.Qty
	if delta == 0 {
		return nil
	}
	if l.VariantID != 0 {
		if delta > 0 {
			n, err := db.RowsAffected(tx.Exec(ctx,
				`UPDATE variants SET stock = stock - ? WHERE id = ? AND (stock IS NULL OR stock >= ?)`, delta, l.VariantID, delta))
			if err != nil {
				return fmt.Errorf("order: take stock: %w", err)
			}
			if n != 1 {
				var stock sql.NullInt64
				_ = tx.QueryRow(ctx, `SELECT stock FROM variants WHERE id = ?`, l.VariantID).Scan(&stock)
				return &shop.Error{Kind: shop.SoldOut, Key: "order.admin.stock_short", Args: []any{l.SKU, stock.Int64},
					Fields: map[string]string{fmt.Sprintf("qty_%d", l.ID): "order.admin.stock_short_field"}}
			}
		} else if err := release(ctx, tx, l.VariantID, -delta); err != nil {
			return err
		}
	}
	if qty == 0 {
		_, err := tx.Exec(ctx, `DELETE FROM order_lines WHERE id = ?`, l.ID)
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE order_lines SET qty = ?, line_total = ? WHERE id = ?`, qty, int64(l.UnitPrice)*int64(qty), l.ID)
	return err
}

// standardRateAt returns the standard rate in force at t (10% when the
// shop has no rule, as the catalogue assumes).
func standardRateAt(ctx context.Context, q db.Queryer, t time.Time) (shop.TaxRate, error) {
	var bp int
	err := q.QueryRow(ctx, `SELECT rate_bp FROM tax_rules WHERE tax_class = 'standard' AND effective_from <= ?
		ORDER BY effective_from DESC LIMIT 1`, t).Scan(&bp)
	if errors.Is(err, sql.ErrNoRows) {
		return shop.StandardRate, nil
	}
	return shop.TaxRate(bp), err
}

// MoveChecked is Move for an admin: it first claims the version the page
// was loaded with. Errors: those of claim and Move.
func MoveChecked(ctx context.Context, tx *db.Tx, number string, version int, to Status, note string) error {
	if _, _, err := claim(ctx, tx, number, version); err != nil {
		return err
	}
	return Move(ctx, tx, number, to, note)
}

// EditSummary is what an edit's audit entry records of an order before
// and after: the amounts, each line's quantity by SKU and the ship-to
// address, so the audit log alone says what an edit changed.
func EditSummary(o *Order) map[string]any {
	qty := map[string]int{}
	for _, l := range o.Lines {
		qty[l.SKU] += l.Qty
	}
	s := o.Ship
	return map[string]any{"subtotal": int64(o.Subtotal), "delivery_fee": int64(o.DeliveryFee), "cod_fee": int64(o.CODFee),
		"discount": int64(o.Discount), "total": int64(o.Total), "qty": qty,
		"ship": fmt.Sprintf("%s %s / %s / %d %s %s %s / %s", s.FamilyName, s.GivenName, s.PostalCode, s.Pref, s.City, s.Address1, s.Address2, s.Phone)}
}
