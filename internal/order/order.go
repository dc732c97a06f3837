// Package order stores orders: the header with the buyer and the totals,
// lines with a snapshot of what was sold, status moves, shipments and
// payment records. Stock is reserved in the transaction that creates the
// order, with a conditional UPDATE, so no interleaving of buyers can sell
// more than the shop has.
package order

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// Address is a name and postal address, for the buyer and the recipient.
type Address struct {
	FamilyName, GivenName string // 姓, 名
	FamilyKana, GivenKana string // セイ, メイ (katakana)
	Phone                 string // digits only
	PostalCode            string // 7 digits
	Pref                  int    // JIS X 0401 code
	City                  string
	Address1, Address2    string
}

// Line is one order line, a snapshot of the variant as sold.
type Line struct {
	VariantID            int64
	ProductID            int64
	NameJA, NameEN       string
	VariantJA, VariantEN string
	SKU                  string
	UnitPrice            shop.Yen // tax-included
	Rate                 shop.TaxRate
	Reduced              bool // 軽減税率対象 (※)
	Qty                  int
}

// Total is the line's tax-included amount.
func (l Line) Total() shop.Yen { return l.UnitPrice * shop.Yen(l.Qty) }

// RateTotal is one rate's tax-included total and the tax it contains.
type RateTotal struct {
	Rate    shop.TaxRate `json:"rate"`
	Reduced bool         `json:"reduced"`
	Total   shop.Yen     `json:"total"`
	Tax     shop.Yen     `json:"tax"`
}

// Excl is the rate's total excluding tax.
func (r RateTotal) Excl() shop.Yen { return r.Total - r.Tax }

// Payment methods.
const (
	BankTransfer = "bank_transfer"
	COD          = "cod"
	Card         = "card"
)

// Order is an order with its lines.
type Order struct {
	ID             int64
	Number         string
	IdempotencyKey string
	CustomerID     *int64
	Status         Status
	Lang           string
	Email          string
	Buyer          Address
	Ship           Address
	DeliveryMethod int64
	DeliveryDate   string // YYYY-MM-DD or "" (指定なし)
	DeliverySlot   string // slot code or ""
	PaymentMethod  string
	Subtotal       shop.Yen
	DeliveryFee    shop.Yen
	CODFee         shop.Yen
	Discount       shop.Yen
	// MemberDiscount is what the customer's rank took off the items
	// (MemberPercent of them, per rate); Total is Subtotal + fees −
	// MemberDiscount − Discount.
	MemberDiscount shop.Yen
	MemberPercent  int
	Total          shop.Yen
	Rates          []RateTotal
	InvoiceNumber  string
	Note           string
	CreatedAt      time.Time
	Lines          []Line
	// Parcels are the order's planned shipments, at least one for an order placed
	// at checkout; Ship and Delivery* above are the first one's.
	Parcels []Parcel
}

// Create inserts o and its lines in tx and reserves their stock. It sets
// o.ID, o.Number and o.CreatedAt. Errors: SoldOut (key "order.sold_out",
// with the SKU) when a variant has less stock than the line's quantity —
// the caller must roll the transaction back, which Tx does when the error
// is returned; Conflict when the idempotency key was already used.
func Create(ctx context.Context, tx *db.Tx, o *Order) error {
	for _, l := range o.Lines {
		if err := reserve(ctx, tx, l.VariantID, l.Qty); err != nil {
			return err
		}
	}
	rates, err := json.Marshal(o.Rates)
	if err != nil {
		return err
	}
	now := tx.Now()
	for attempt := 0; ; attempt++ {
		o.Number = NewNumber(now)
		err = tx.QueryRow(ctx, `INSERT INTO orders (number, idempotency_key, customer_id, status, lang, email,
			family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2,
			ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1, ship_address2,
			delivery_method_id, delivery_date, delivery_slot, payment_method,
			subtotal, delivery_fee, cod_fee, discount, total, rates, invoice_number, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (number) DO NOTHING RETURNING id`,
			o.Number, o.IdempotencyKey, o.CustomerID, string(o.Status), o.Lang, o.Email,
			o.Buyer.FamilyName, o.Buyer.GivenName, o.Buyer.FamilyKana, o.Buyer.GivenKana, o.Buyer.Phone, o.Buyer.PostalCode, o.Buyer.Pref, o.Buyer.City, o.Buyer.Address1, o.Buyer.Address2,
			o.Ship.FamilyName, o.Ship.GivenName, o.Ship.FamilyKana, o.Ship.GivenKana, o.Ship.Phone, o.Ship.PostalCode, o.Ship.Pref, o.Ship.City, o.Ship.Address1, o.Ship.Address2,
			o.DeliveryMethod, o.DeliveryDate, o.DeliverySlot, o.PaymentMethod,
			int64(o.Subtotal), int64(o.DeliveryFee), int64(o.CODFee), int64(o.Discount), int64(o.Total), string(rates), o.InvoiceNumber, o.Note, now, now,
		).Scan(&o.ID)
		if err == nil {
			break
		}
		if db.IsUniqueViolation(err) {
			return shop.Errorf(shop.Conflict, "order.duplicate")
		}
		// No row: the random number collided with another order's.
		if errors.Is(err, sql.ErrNoRows) && attempt < 5 {
			continue
		}
		return fmt.Errorf("order: insert: %w", err)
	}
	if o.MemberDiscount != 0 || o.MemberPercent != 0 {
		if _, err := tx.Exec(ctx, `UPDATE orders SET member_discount = ?, member_percent = ? WHERE id = ?`,
			int64(o.MemberDiscount), o.MemberPercent, o.ID); err != nil {
			return fmt.Errorf("order: member discount: %w", err)
		}
	}
	lineIDs := make([]int64, len(o.Lines))
	for i, l := range o.Lines {
		err := tx.QueryRow(ctx, `INSERT INTO order_lines (order_id, variant_id, product_id, name_ja, name_en, variant_ja, variant_en,
			sku, unit_price, tax_rate_bp, reduced, qty, line_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			o.ID, l.VariantID, l.ProductID, l.NameJA, l.NameEN, l.VariantJA, l.VariantEN,
			l.SKU, int64(l.UnitPrice), int(l.Rate), l.Reduced, l.Qty, int64(l.Total())).Scan(&lineIDs[i])
		if err != nil {
			return fmt.Errorf("order: insert line: %w", err)
		}
	}
	if err := createParcels(ctx, tx, o, lineIDs); err != nil {
		return err
	}
	o.CreatedAt = now
	if err := webhook.Emit(ctx, tx, webhook.OrderCreated, EventData(o.ID, o.Number, o.Status)); err != nil {
		return err
	}
	return logEvent(ctx, tx, o.ID, "", o.Status, "")
}

// EventData is the data of an order's webhook events: the IDs to fetch it
// through the API and its status.
func EventData(id int64, number string, status Status) map[string]any {
	return map[string]any{"id": id, "number": number, "status": string(status)}
}

// reserve takes qty from a variant's stock in one conditional statement:
// concurrent buyers can never both take the last unit, on either engine.
// A variant with NULL stock is unlimited.
func reserve(ctx context.Context, tx *db.Tx, variantID int64, qty int) error {
	var left *int
	err := tx.QueryRow(ctx,
		`UPDATE variants SET stock = stock - ? WHERE id = ? AND (stock IS NULL OR stock >= ?) RETURNING stock`,
		qty, variantID, qty).Scan(&left)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("order: reserve stock: %w", err)
	}
	if err == nil && left != nil {
		before := *left + qty
		return webhook.StockChanged(ctx, tx, variantID, &before, left)
	}
	if err != nil {
		var sku string
		_ = tx.QueryRow(ctx, `SELECT sku FROM variants WHERE id = ?`, variantID).Scan(&sku)
		return &shop.Error{Kind: shop.SoldOut, Key: "order.sold_out", Args: []any{sku}}
	}
	return nil
}

// release returns qty to a variant's stock (unlimited stays unlimited).
func release(ctx context.Context, tx *db.Tx, variantID int64, qty int) error {
	_, err := tx.Exec(ctx, `UPDATE variants SET stock = stock + ? WHERE id = ? AND stock IS NOT NULL`, qty, variantID)
	return err
}

func logEvent(ctx context.Context, tx *db.Tx, orderID int64, from, to Status, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO order_events (order_id, from_status, to_status, note, created_at) VALUES (?, ?, ?, ?, ?)`,
		orderID, string(from), string(to), note, tx.Now())
	return err
}

// AddHistory adds a line to an order's history without moving it (who took
// the order and how, for one).
func AddHistory(ctx context.Context, tx *db.Tx, orderID int64, status Status, note string) error {
	return logEvent(ctx, tx, orderID, "", status, note)
}
