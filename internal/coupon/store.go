package coupon

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

const columns = `id, code, name, kind, amount, scope, min_amount, starts_at, ends_at, max_uses, uses,
	per_customer, members_only, rank_id, with_points, active, batch, created_at`

func scan(row interface{ Scan(...any) error }) (*Coupon, error) {
	c := &Coupon{}
	var min int64
	var starts, ends sql.NullTime
	var maxUses, per, rank sql.NullInt64
	var withPoints bool
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.Kind, &c.Amount, &c.Scope, &min, &starts, &ends, &maxUses, &c.Uses,
		&per, &c.MembersOnly, &rank, &withPoints, &c.Active, &c.Batch, &c.CreatedAt)
	if err != nil {
		return nil, err
	}
	c.MinAmount, c.NoPoints = shop.Yen(min), !withPoints
	if starts.Valid {
		c.StartsAt = &starts.Time
	}
	if ends.Valid {
		c.EndsAt = &ends.Time
	}
	if maxUses.Valid {
		c.MaxUses = &maxUses.Int64
	}
	if per.Valid {
		c.PerCustomer = &per.Int64
	}
	if rank.Valid {
		c.RankID = &rank.Int64
	}
	return c, nil
}

// ByCode returns the coupon with code (normalised first), with its
// targets. Errors: NotFound.
func ByCode(ctx context.Context, q db.Queryer, code string) (*Coupon, error) {
	return load(ctx, q, `SELECT `+columns+` FROM coupons WHERE code = ?`, NormalizeCode(code))
}

// ByID returns the coupon id with its targets. Errors: NotFound.
func ByID(ctx context.Context, q db.Queryer, id int64) (*Coupon, error) {
	return load(ctx, q, `SELECT `+columns+` FROM coupons WHERE id = ?`, id)
}

func load(ctx context.Context, q db.Queryer, query string, arg any) (*Coupon, error) {
	c, err := scan(q.QueryRow(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil || c.Scope != ScopeItems {
		return c, err // targets only matter to a coupon on items
	}
	rows, err := q.Query(ctx, `SELECT product_id, category_id FROM coupon_targets WHERE coupon_id = ?`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p, cat sql.NullInt64
		if err := rows.Scan(&p, &cat); err != nil {
			return nil, err
		}
		if p.Valid {
			c.Products = append(c.Products, p.Int64)
		}
		if cat.Valid {
			c.Categories = append(c.Categories, cat.Int64)
		}
	}
	return c, rows.Err()
}

// Apply checks code against o and prices it. It reads only. Errors, each
// Invalid with Fields{"coupon": key} and a key naming the reason:
// coupon.unknown (no such code, or disabled), coupon.not_started,
// coupon.expired, coupon.used_up, coupon.members_only, coupon.rank_only,
// coupon.per_customer (this customer used it up), coupon.min_amount
// (args: the minimum), coupon.no_points (not combinable with points),
// coupon.no_items (no item of the order is a target).
func Apply(ctx context.Context, q db.Queryer, code string, o Order, now time.Time) (*Applied, error) {
	c, err := ByCode(ctx, q, code)
	if shop.KindOf(err) == shop.NotFound {
		return nil, refuse("coupon.unknown")
	}
	if err != nil {
		return nil, err
	}
	if !c.Active {
		return nil, refuse("coupon.unknown")
	}
	if c.StartsAt != nil && now.Before(*c.StartsAt) {
		return nil, refuse("coupon.not_started")
	}
	if c.EndsAt != nil && !now.Before(*c.EndsAt) {
		return nil, refuse("coupon.expired")
	}
	if c.MaxUses != nil && c.Uses >= *c.MaxUses {
		return nil, refuse("coupon.used_up")
	}
	if (c.MembersOnly || c.RankID != nil) && o.CustomerID == 0 {
		return nil, refuse("coupon.members_only")
	}
	if c.RankID != nil {
		var rank sql.NullInt64
		if err := q.QueryRow(ctx, `SELECT rank_id FROM customers WHERE id = ?`, o.CustomerID).Scan(&rank); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if !rank.Valid || rank.Int64 != *c.RankID {
			return nil, refuse("coupon.rank_only")
		}
	}
	if c.PerCustomer != nil {
		var used int64
		err := q.QueryRow(ctx, `SELECT uses FROM coupon_customer_uses WHERE coupon_id = ? AND who = ?`, c.ID, o.Who()).Scan(&used)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if used >= *c.PerCustomer {
			return nil, refuse("coupon.per_customer")
		}
	}
	if c.NoPoints && o.Points > 0 {
		return nil, refuse("coupon.no_points")
	}
	var items shop.Yen
	for _, l := range o.Lines {
		items += l.Amount
	}
	if items < c.MinAmount {
		return nil, refuse("coupon.min_amount", c.MinAmount)
	}
	in, err := targets(ctx, q, c, o.Lines)
	if err != nil {
		return nil, err
	}
	d, shares := price(c, o, in)
	if d == 0 {
		return nil, refuse("coupon.no_items")
	}
	return &Applied{Coupon: c, Discount: d, ByRate: shares}, nil
}

// targets returns the test for a line being one of c's targets: its
// product is listed, or it is in a listed category.
func targets(ctx context.Context, q db.Queryer, c *Coupon, lines []Line) (func(Line) bool, error) {
	ok := map[int64]bool{}
	for _, p := range c.Products {
		ok[p] = true
	}
	if c.Scope == ScopeItems && len(c.Categories) > 0 {
		for _, l := range lines {
			if ok[l.ProductID] {
				continue
			}
			rows, err := q.Query(ctx, `SELECT category_id FROM product_categories WHERE product_id = ?`, l.ProductID)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var cat int64
				if err := rows.Scan(&cat); err != nil {
					rows.Close()
					return nil, err
				}
				if slices.Contains(c.Categories, cat) {
					ok[l.ProductID] = true
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return func(l Line) bool { return ok[l.ProductID] }, nil
}

// Reserve counts one use of a's coupon by o for the order orderID, in
// the order's transaction: the total and the customer's uses are raised
// by conditional updates, so concurrent checkouts can never pass the
// limits. Errors: Invalid coupon.used_up or coupon.per_customer when a
// concurrent order took the last use (the transaction must then roll
// back).
func Reserve(ctx context.Context, tx *db.Tx, a *Applied, o Order, orderID int64) error {
	c := a.Coupon
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE coupons SET uses = uses + 1, updated_at = ?
		WHERE id = ? AND active AND (max_uses IS NULL OR uses < max_uses)`, tx.Now(), c.ID))
	if err != nil {
		return err
	}
	if n != 1 {
		return refuse("coupon.used_up")
	}
	if c.PerCustomer != nil {
		n, err := db.RowsAffected(tx.Exec(ctx, `INSERT INTO coupon_customer_uses (coupon_id, who, uses) VALUES (?, ?, 1)
			ON CONFLICT (coupon_id, who) DO UPDATE SET uses = coupon_customer_uses.uses + 1
			WHERE coupon_customer_uses.uses < ?`, c.ID, o.Who(), *c.PerCustomer))
		if err != nil {
			return err
		}
		if n != 1 {
			return refuse("coupon.per_customer")
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO coupon_uses (coupon_id, order_id, who, code, discount, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, orderID, o.Who(), c.Code, int64(a.Discount), tx.Now())
	return err
}

// Use is the coupon an order used.
type Use struct {
	OrderID  int64
	Number   string // the order's number
	Code     string
	Who      string
	Discount shop.Yen
	At       time.Time
}

// OfOrder returns the coupon use of an order, nil when it used none.
func OfOrder(ctx context.Context, q db.Queryer, orderID int64) (*Use, error) {
	u := &Use{OrderID: orderID}
	var d int64
	err := q.QueryRow(ctx, `SELECT code, who, discount, created_at FROM coupon_uses WHERE order_id = ?`, orderID).Scan(&u.Code, &u.Who, &d, &u.At)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u.Discount = shop.Yen(d)
	return u, nil
}

// Release gives back the coupon use of an order that did not go through
// (a declined card), in the transaction that cancels it: the use row is
// deleted and both counts lowered. An order without a coupon is left as it
// is.
func Release(ctx context.Context, tx *db.Tx, orderID int64) error {
	var id int64
	var who string
	err := tx.QueryRow(ctx, `DELETE FROM coupon_uses WHERE order_id = ? RETURNING coupon_id, who`, orderID).Scan(&id, &who)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE coupons SET uses = uses - 1, updated_at = ? WHERE id = ? AND uses > 0`, tx.Now(), id); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE coupon_customer_uses SET uses = uses - 1 WHERE coupon_id = ? AND who = ? AND uses > 0`, id, who)
	return err
}
