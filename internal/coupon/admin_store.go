package coupon

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// MaxBatch bounds one bulk generation.
const MaxBatch = 10000

// Create stores c (its code normalised) with its targets and sets c.ID.
// Errors: Conflict "coupon.code_taken" when the code exists.
func Create(ctx context.Context, tx *db.Tx, c *Coupon) error {
	c.Code = NormalizeCode(c.Code)
	var exists int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM coupons WHERE code = ?`, c.Code).Scan(&exists); err != nil {
		return err
	}
	if exists > 0 {
		return &shop.Error{Kind: shop.Conflict, Key: "coupon.code_taken", Fields: map[string]string{"code": "coupon.code_taken"}}
	}
	now := tx.Now()
	err := tx.QueryRow(ctx, `INSERT INTO coupons (code, name, kind, amount, scope, min_amount, starts_at, ends_at, max_uses,
		per_customer, members_only, rank_id, with_points, active, batch, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Code, c.Name, c.Kind, c.Amount, c.Scope, int64(c.MinAmount), c.StartsAt, c.EndsAt, c.MaxUses,
		c.PerCustomer, c.MembersOnly, c.RankID, !c.NoPoints, c.Active, c.Batch, now, now).Scan(&c.ID)
	if err != nil {
		return err
	}
	c.CreatedAt = now
	for _, p := range c.Products {
		if _, err := tx.Exec(ctx, `INSERT INTO coupon_targets (coupon_id, product_id) VALUES (?, ?)`, c.ID, p); err != nil {
			return err
		}
	}
	for _, cat := range c.Categories {
		if _, err := tx.Exec(ctx, `INSERT INTO coupon_targets (coupon_id, category_id) VALUES (?, ?)`, c.ID, cat); err != nil {
			return err
		}
	}
	return nil
}

// codeAlphabet leaves out 0/O and 1/I/L, which customers mistype.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewCode returns prefix followed by n random characters of codeAlphabet.
func NewCode(prefix string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	var sb strings.Builder
	sb.WriteString(prefix)
	for _, x := range b {
		sb.WriteByte(codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return sb.String()
}

// Generate creates count coupons like tmpl, each with its own random code
// (prefix + 10 characters) and tmpl.Batch as their batch name, in one
// transaction, and returns the codes. A code that happens to exist is
// drawn again.
func Generate(ctx context.Context, tx *db.Tx, tmpl Coupon, prefix string, count int) ([]string, error) {
	codes := make([]string, 0, count)
	for len(codes) < count {
		c := tmpl
		c.Code = NewCode(NormalizeCode(prefix), 10)
		err := Create(ctx, tx, &c)
		if shop.KindOf(err) == shop.Conflict {
			continue
		}
		if err != nil {
			return nil, err
		}
		codes = append(codes, c.Code)
	}
	return codes, nil
}

// List returns the coupons whose code or name contains qs (all when
// empty), newest first, limit from offset.
func List(ctx context.Context, q db.Queryer, qs string, limit, offset int) ([]Coupon, int, error) {
	like := "%" + strings.ToUpper(strings.TrimSpace(qs)) + "%"
	rows, err := q.Query(ctx, `SELECT `+columns+`, COUNT(*) OVER() FROM coupons
		WHERE UPPER(code) LIKE ? OR UPPER(name) LIKE ? OR UPPER(batch) LIKE ? ORDER BY id DESC LIMIT ? OFFSET ?`, like, like, like, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Coupon
	total := 0
	for rows.Next() {
		c, err := scan(scanTotal{rows, &total})
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *c)
	}
	return out, total, rows.Err()
}

// scanTotal scans a row of List: the coupon's columns and the total.
type scanTotal struct {
	row   interface{ Scan(...any) error }
	total *int
}

func (s scanTotal) Scan(dest ...any) error { return s.row.Scan(append(dest, s.total)...) }

// SetActive enables or disables a coupon. Errors: NotFound.
func SetActive(ctx context.Context, tx *db.Tx, id int64, on bool) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE coupons SET active = ?, updated_at = ? WHERE id = ?`, on, tx.Now(), id))
	if err != nil {
		return err
	}
	if n != 1 {
		return shop.ErrNotFound
	}
	return nil
}

// Uses returns the orders that used coupon id, newest first (at most 500).
func Uses(ctx context.Context, q db.Queryer, id int64) ([]Use, error) {
	rows, err := q.Query(ctx, `SELECT u.order_id, o.number, u.code, u.who, u.discount, u.created_at
		FROM coupon_uses u JOIN orders o ON o.id = u.order_id WHERE u.coupon_id = ? ORDER BY u.id DESC LIMIT 500`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Use
	for rows.Next() {
		var u Use
		var d int64
		if err := rows.Scan(&u.OrderID, &u.Number, &u.Code, &u.Who, &d, &u.At); err != nil {
			return nil, err
		}
		u.Discount = shop.Yen(d)
		out = append(out, u)
	}
	return out, rows.Err()
}
