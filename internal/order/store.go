package order

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

const orderColumns = `id, number, idempotency_key, customer_id, status, lang, email,
	family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2,
	ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1, ship_address2,
	delivery_method_id, delivery_date, delivery_slot, payment_method,
	subtotal, delivery_fee, cod_fee, discount, total, rates, invoice_number, note, created_at,
	member_discount, member_percent`

// ByNumber returns the order with its lines. Errors: NotFound.
func ByNumber(ctx context.Context, q db.Queryer, number string) (*Order, error) {
	return load(ctx, q, `SELECT `+orderColumns+` FROM orders WHERE number = ?`, number)
}

// ByKey returns the order created with an idempotency key. Errors: NotFound.
func ByKey(ctx context.Context, q db.Queryer, key string) (*Order, error) {
	return load(ctx, q, `SELECT `+orderColumns+` FROM orders WHERE idempotency_key = ?`, key)
}

func load(ctx context.Context, q db.Queryer, query string, arg any) (*Order, error) {
	var o Order
	var status, rates string
	var sub, fee, cod, disc, total, member int64
	err := q.QueryRow(ctx, query, arg).Scan(&o.ID, &o.Number, &o.IdempotencyKey, &o.CustomerID, &status, &o.Lang, &o.Email,
		&o.Buyer.FamilyName, &o.Buyer.GivenName, &o.Buyer.FamilyKana, &o.Buyer.GivenKana, &o.Buyer.Phone, &o.Buyer.PostalCode, &o.Buyer.Pref, &o.Buyer.City, &o.Buyer.Address1, &o.Buyer.Address2,
		&o.Ship.FamilyName, &o.Ship.GivenName, &o.Ship.FamilyKana, &o.Ship.GivenKana, &o.Ship.Phone, &o.Ship.PostalCode, &o.Ship.Pref, &o.Ship.City, &o.Ship.Address1, &o.Ship.Address2,
		&o.DeliveryMethod, &o.DeliveryDate, &o.DeliverySlot, &o.PaymentMethod,
		&sub, &fee, &cod, &disc, &total, &rates, &o.InvoiceNumber, &o.Note, &o.CreatedAt,
		&member, &o.MemberPercent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("order: load: %w", err)
	}
	o.Status = Status(status)
	o.Subtotal, o.DeliveryFee, o.CODFee, o.Discount, o.Total = shop.Yen(sub), shop.Yen(fee), shop.Yen(cod), shop.Yen(disc), shop.Yen(total)
	o.MemberDiscount = shop.Yen(member)
	if err := json.Unmarshal([]byte(rates), &o.Rates); err != nil {
		return nil, fmt.Errorf("order %s: rates: %w", o.Number, err)
	}
	rows, err := q.Query(ctx, `SELECT id, variant_id, product_id, name_ja, name_en, variant_ja, variant_en, sku, unit_price, tax_rate_bp, reduced, qty
		FROM order_lines WHERE order_id = ? ORDER BY id`, o.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lineIDs []int64
	for rows.Next() {
		var l Line
		var lid int64
		var vid, pid sql.NullInt64
		var price int64
		var rate int
		if err := rows.Scan(&lid, &vid, &pid, &l.NameJA, &l.NameEN, &l.VariantJA, &l.VariantEN, &l.SKU, &price, &rate, &l.Reduced, &l.Qty); err != nil {
			return nil, err
		}
		l.VariantID, l.ProductID, l.UnitPrice, l.Rate = vid.Int64, pid.Int64, shop.Yen(price), shop.TaxRate(rate)
		o.Lines = append(o.Lines, l)
		lineIDs = append(lineIDs, lid)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := loadParcels(ctx, q, &o, lineIDs); err != nil {
		return nil, err
	}
	return &o, nil
}

// Move changes an order's status if the move is allowed from the status it
// has now; the check and the change are one statement, so two admins (or
// an admin and a payment callback) cannot both move it. Moving to
// Cancelled returns the stock. Errors: NotFound; Conflict
// ("order.cannot_move_to.<status>") when the move is not allowed.
func Move(ctx context.Context, tx *db.Tx, number string, to Status, note string) error {
	var id int64
	var from string
	err := tx.QueryRow(ctx, `SELECT id, status FROM orders WHERE number = ?`, number).Scan(&id, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return shop.ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := checkMove(Status(from), to); err != nil {
		return err
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
		string(to), tx.Now(), id, from))
	if err != nil {
		return err
	}
	if n != 1 {
		return badMove(to)
	}
	if to == Cancelled {
		if err := releaseLines(ctx, tx, id); err != nil {
			return err
		}
	}
	if to == Shipped {
		if err := queueCapture(ctx, tx, id); err != nil {
			return err
		}
	}
	if ev := moveEvents[to]; ev != "" {
		if err := webhook.Emit(ctx, tx, ev, EventData(id, number, to)); err != nil {
			return err
		}
	}
	return logEvent(ctx, tx, id, Status(from), to, note)
}

// moveEvents are the webhook events of status moves.
var moveEvents = map[Status]string{Paid: webhook.OrderPaid, Shipped: webhook.OrderShipped, Cancelled: webhook.OrderCancelled}

// Cancel cancels an order and returns its stock. Errors as Move.
func Cancel(ctx context.Context, tx *db.Tx, number, note string) error {
	return Move(ctx, tx, number, Cancelled, note)
}

func releaseLines(ctx context.Context, tx *db.Tx, orderID int64) error {
	rows, err := tx.Query(ctx, `SELECT variant_id, qty FROM order_lines WHERE order_id = ? AND variant_id IS NOT NULL`, orderID)
	if err != nil {
		return err
	}
	type vq struct {
		id  int64
		qty int
	}
	var lines []vq
	for rows.Next() {
		var l vq
		if err := rows.Scan(&l.id, &l.qty); err != nil {
			rows.Close()
			return err
		}
		lines = append(lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range lines {
		if err := release(ctx, tx, l.id, l.qty); err != nil {
			return err
		}
	}
	return nil
}

// Payment is a payment attempt recorded against an order.
type Payment struct {
	Provider, Method, Reference string
	Amount                      shop.Yen
	Status                      string // pending, authorized, succeeded, failed, refunded
	Error                       string // provider's message for a failure, never card data
}

// RecordPayment stores a payment attempt.
func RecordPayment(ctx context.Context, tx *db.Tx, orderID int64, p Payment) error {
	_, err := tx.Exec(ctx, `INSERT INTO payments (order_id, provider, method, reference, amount, status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		orderID, p.Provider, p.Method, p.Reference, int64(p.Amount), p.Status, p.Error, tx.Now())
	return err
}

// Payments returns an order's payment records, oldest first.
func Payments(ctx context.Context, q db.Queryer, orderID int64) ([]Payment, error) {
	rows, err := q.Query(ctx, `SELECT provider, method, reference, amount, status, error FROM payments WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Payment
	for rows.Next() {
		var p Payment
		var amt int64
		if err := rows.Scan(&p.Provider, &p.Method, &p.Reference, &amt, &p.Status, &p.Error); err != nil {
			return nil, err
		}
		p.Amount = shop.Yen(amt)
		out = append(out, p)
	}
	return out, rows.Err()
}
