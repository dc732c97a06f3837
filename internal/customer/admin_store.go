package customer

import (
	"context"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/jp"
	"github.com/akinai/akinai/internal/shop"
)

// Filter selects customers for the admin list.
type Filter struct {
	Q      string // email, name, kana or phone, partial
	Status string // "" for all
	Limit  int
	Offset int
}

// Search returns a page of customers, newest first, and the total count.
func Search(ctx context.Context, q db.Queryer, f Filter) ([]*Customer, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if s := strings.TrimSpace(jp.Fold(f.Q)); s != "" {
		like := "%" + db.LikeEscape(strings.ToLower(s)) + "%"
		where = append(where, `(email_key LIKE ? ESCAPE '\' OR family_name || given_name LIKE ? ESCAPE '\' OR family_kana || given_kana LIKE ? ESCAPE '\' OR phone LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := q.Query(ctx, `SELECT `+customerColumns+`, COUNT(*) OVER() FROM customers WHERE `+strings.Join(where, " AND ")+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Customer
	total := 0
	for rows.Next() {
		var n int
		c, err := scanCustomer(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &n)...) }))
		if err != nil {
			return nil, 0, err
		}
		total = n
		out = append(out, c)
	}
	return out, total, rows.Err()
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// SetStatus changes an account's status from the admin, in the caller's
// transaction (which also writes the audit entry). Suspending ends every
// session; withdrawing scrubs the personal data as Withdraw does. Errors:
// Invalid "customer.bad_status"; Conflict "customer.already_withdrawn"
// (a scrubbed account cannot come back); NotFound.
func SetStatus(ctx context.Context, tx *db.Tx, id int64, status string) error {
	c, err := ByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if c.Status == Withdrawn {
		return shop.Errorf(shop.Conflict, "customer.already_withdrawn")
	}
	switch status {
	case Withdrawn:
		return scrub(ctx, tx, c)
	case Active, Suspended:
	default:
		return shop.Errorf(shop.Invalid, "customer.bad_status")
	}
	if _, err := tx.Exec(ctx, `UPDATE customers SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?`, status, tx.Now(), id); err != nil {
		return err
	}
	if status == Suspended {
		return endOthers(ctx, tx, id, "")
	}
	return nil
}

// SetNote stores the shop's note about a customer.
func SetNote(ctx context.Context, tx *db.Tx, id int64, note string) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE customers SET note = ?, updated_at = ? WHERE id = ?`, note, tx.Now(), id))
	if err == nil && n == 0 {
		return shop.ErrNotFound
	}
	return err
}
