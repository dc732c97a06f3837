// Package cart keeps shopping carts in the database behind a random
// cookie token, so a cart survives a restart and works on every instance.
// Every read of a cart re-checks each line against the catalogue (public,
// active, stock, sale limit) and reports problems on the line itself; a
// line is never dropped silently.
package cart

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// MaxQty bounds one line's quantity; more is a typo, not an order.
const MaxQty = 999

// Line is a cart line joined with its variant as it is now.
type Line struct {
	VariantID            int64
	ProductID            int64
	Slug                 string
	NameJA, NameEN       string
	VariantJA, VariantEN string
	SKU                  string
	Class                shop.TaxClass
	Rate                 shop.TaxRate
	UnitPrice            shop.Yen // tax-included, computed now
	Qty                  int
	Stock                *int // nil: unlimited
	SaleLimit            *int
	LeadDays             int
	// PointsRate is the product's own points earn rate in percent, nil
	// when it earns the shop's rate (read with the line so the checkout
	// needs no query of its own for it).
	PointsRate *int
	// ParcelSize is the product's size class (60 … 160), 0 for none
	// (delivery.ParcelSize).
	ParcelSize int
	// Problem is an i18n key when the line cannot be bought as it is
	// (with ProblemArgs), "" when it can.
	Problem     string
	ProblemArgs []any
}

// Total is the line's tax-included amount.
func (l Line) Total() shop.Yen { return l.UnitPrice * shop.Yen(l.Qty) }

// Cart is a loaded cart.
type Cart struct {
	ID    int64
	Lines []Line
}

// Total is the sum of the lines, tax included.
func (c *Cart) Total() shop.Yen {
	var t shop.Yen
	for _, l := range c.Lines {
		t += l.Total()
	}
	return t
}

// Count is the number of items, for the header badge.
func (c *Cart) Count() int {
	n := 0
	for _, l := range c.Lines {
		n += l.Qty
	}
	return n
}

// OK reports whether every line can be bought as it is.
func (c *Cart) OK() bool {
	for _, l := range c.Lines {
		if l.Problem != "" {
			return false
		}
	}
	return len(c.Lines) > 0
}

// Store reads and writes carts.
type Store struct {
	DB *db.DB
}

// NewStore returns a cart store on d.
func NewStore(d *db.DB) *Store { return &Store{DB: d} }

// NewToken returns a random cart token for the cookie.
func NewToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what the database stores for a token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte("akinai-cart\x00" + token))
	return hex.EncodeToString(h[:])
}

// Find returns the ID of the cart with token. Errors: NotFound.
func (s *Store) Find(ctx context.Context, token string) (int64, error) {
	if token == "" {
		return 0, shop.ErrNotFound
	}
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM carts WHERE token_hash = ?`, HashToken(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, shop.ErrNotFound
	}
	return id, err
}

// Create makes an empty cart for token and returns its ID.
func (s *Store) Create(ctx context.Context, token string) (int64, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		return tx.QueryRow(ctx, `INSERT INTO carts (token_hash, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`,
			HashToken(token), now, now).Scan(&id)
	})
	return id, err
}

// Load returns the cart with every line checked against the catalogue at
// time at, prices computed with rounding. q may be a transaction (the
// checkout reads the cart in the order's transaction).
func Load(ctx context.Context, q db.Queryer, cartID int64, at time.Time, rounding shop.Rounding) (*Cart, error) {
	rows, err := q.Query(ctx, `SELECT ci.variant_id, ci.qty, v.product_id, p.slug, p.name_ja, p.name_en,
			COALESCE(a1.name_ja, ''), COALESCE(a1.name_en, ''), COALESCE(a2.name_ja, ''), COALESCE(a2.name_en, ''),
			v.sku, v.price, v.stock, v.sale_limit, v.lead_days, v.active, p.status, p.tax_class,
			v.sale_price, p.sale_from, p.sale_until, p.publish_from, p.publish_until, pp.rate, p.parcel_size
		FROM cart_items ci
		JOIN variants v ON v.id = ci.variant_id
		JOIN products p ON p.id = v.product_id
		LEFT JOIN product_points pp ON pp.product_id = p.id
		LEFT JOIN axis_values a1 ON a1.id = v.value1_id
		LEFT JOIN axis_values a2 ON a2.id = v.value2_id
		WHERE ci.cart_id = ?
		ORDER BY ci.added_at, ci.variant_id`, cartID)
	if err != nil {
		return nil, fmt.Errorf("cart: load: %w", err)
	}
	defer rows.Close()
	c := &Cart{ID: cartID}
	var excl []shop.Yen
	for rows.Next() {
		var l Line
		var v1ja, v1en, v2ja, v2en, status, class string
		var price int64
		var stock, limit sql.NullInt64
		var active bool
		var sale sql.NullInt64
		var saleFrom, saleUntil, from, until sql.NullTime
		var pointsRate, size sql.NullInt64
		if err := rows.Scan(&l.VariantID, &l.Qty, &l.ProductID, &l.Slug, &l.NameJA, &l.NameEN,
			&v1ja, &v1en, &v2ja, &v2en, &l.SKU, &price, &stock, &limit, &l.LeadDays, &active, &status, &class,
			&sale, &saleFrom, &saleUntil, &from, &until, &pointsRate, &size); err != nil {
			return nil, err
		}
		l.ParcelSize = int(size.Int64)
		if pointsRate.Valid {
			r := int(pointsRate.Int64)
			l.PointsRate = &r
		}
		// During the product's sale period the sale price is the price.
		if sale.Valid && catalog.OnSale(timeOf(saleFrom), timeOf(saleUntil), at) {
			price = sale.Int64
		}
		l.VariantJA, l.VariantEN = label(v1ja, v2ja), label(v1en, v2en)
		l.Class = shop.TaxClass(class)
		excl = append(excl, shop.Yen(price))
		if stock.Valid {
			n := int(stock.Int64)
			l.Stock = &n
		}
		if limit.Valid {
			n := int(limit.Int64)
			l.SaleLimit = &n
		}
		l.Problem, l.ProblemArgs = check(l, active && catalog.Visible(status, timeOf(from), timeOf(until), at))
		c.Lines = append(c.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ids := make([]int64, len(c.Lines))
	for i, l := range c.Lines {
		ids[i] = l.ProductID
	}
	rules, err := catalog.LoadTaxRules(ctx, q, ids...)
	if err != nil {
		return nil, err
	}
	statutory(rules)
	for i := range c.Lines {
		l := &c.Lines[i]
		if l.Rate, err = rules.Rate(l.ProductID, l.Class, at); err != nil {
			return nil, err
		}
		l.UnitPrice = shop.IncludeTax(excl[i], l.Rate, rounding)
	}
	return c, nil
}

func timeOf(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// check returns the problem of a line, "" when it can be bought.
func check(l Line, forSale bool) (string, []any) {
	switch {
	case !forSale:
		return "cart.unavailable", nil
	case l.Stock != nil && *l.Stock == 0:
		return "cart.sold_out", nil
	case l.Stock != nil && l.Qty > *l.Stock:
		return "cart.stock_short", []any{*l.Stock}
	case l.SaleLimit != nil && l.Qty > *l.SaleLimit:
		return "cart.over_limit", []any{*l.SaleLimit}
	}
	return "", nil
}

func label(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " / " + b
}

// TaxRates returns the shop's rate in force at time at for each tax class
// (the rate of delivery and payment fees), from the dated tax_rules. A
// class without any rule yet falls back to the statutory rate (10%,
// reduced 8%) so that a fresh shop can sell.
func TaxRates(ctx context.Context, q db.Queryer, at time.Time) (map[shop.TaxClass]shop.TaxRate, error) {
	rules, err := catalog.LoadTaxRules(ctx, q, 0)
	if err != nil {
		return nil, fmt.Errorf("cart: tax rate: %w", err)
	}
	statutory(rules)
	out := map[shop.TaxClass]shop.TaxRate{}
	for _, class := range []shop.TaxClass{shop.TaxStandard, shop.TaxReduced} {
		if out[class], err = rules.Rate(0, class, at); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// statutory gives a class without any shop rule the statutory rate from
// the beginning of time.
func statutory(r *catalog.TaxRules) {
	for class, rate := range map[shop.TaxClass]shop.TaxRate{shop.TaxStandard: shop.StandardRate, shop.TaxReduced: shop.ReducedRate} {
		if len(r.Class[class]) == 0 {
			r.Class[class] = []catalog.DatedRate{{Rate: rate}}
		}
	}
}
