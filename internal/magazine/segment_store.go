package magazine

import (
	"context"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
)

var jst = time.FixedZone("JST", 9*60*60)

// bought is the condition on an order "o" that makes it a purchase of
// customer "c": returned and cancelled orders are not.
const bought = `o.customer_id = c.id AND o.status NOT IN ('cancelled', 'returned')`

// where returns the SQL condition on customers "c" that s selects, and its
// arguments, on the day now (for the age bands). Only active customers
// who opted in and whose address is not suppressed are ever selected.
func (s Segment) where(now time.Time) (string, []any) {
	conds := []string{
		`c.status = 'active'`, `c.newsletter = TRUE`,
		`NOT EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.email_key = c.email_key)`,
	}
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if s.Pref != 0 {
		add(`c.pref = ?`, s.Pref)
	}
	if s.RankID != 0 {
		add(`c.rank_id = ?`, s.RankID)
	}
	today := now.In(jst)
	if s.MinAge > 0 {
		// At least MinAge years old: born on or before today MinAge years ago.
		add(`c.birthday <> '' AND c.birthday <= ?`, today.AddDate(-s.MinAge, 0, 0).Format(time.DateOnly))
	}
	if s.MaxAge > 0 {
		// At most MaxAge: born after today MaxAge+1 years ago.
		add(`c.birthday <> '' AND c.birthday > ?`, today.AddDate(-s.MaxAge-1, 0, 0).Format(time.DateOnly))
	}
	switch s.Purchased {
	case "yes":
		add(`EXISTS (SELECT 1 FROM orders o WHERE ` + bought + `)`)
	case "no":
		add(`NOT EXISTS (SELECT 1 FROM orders o WHERE ` + bought + `)`)
	}
	if s.ProductID != 0 {
		add(`EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id
			WHERE `+bought+` AND l.product_id = ?)`, s.ProductID)
	}
	if s.CategoryID != 0 {
		add(`EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id
			JOIN product_categories pc ON pc.product_id = l.product_id
			WHERE `+bought+` AND pc.category_id = ?)`, s.CategoryID)
	}
	if s.MinTotal > 0 {
		add(`(SELECT COALESCE(SUM(o.total), 0) FROM orders o WHERE `+bought+`) >= ?`, int64(s.MinTotal))
	}
	if s.MaxTotal > 0 {
		add(`(SELECT COALESCE(SUM(o.total), 0) FROM orders o WHERE `+bought+`) <= ?`, int64(s.MaxTotal))
	}
	if s.LastFrom != "" {
		// The last purchase is on or after the day: some purchase is.
		add(`EXISTS (SELECT 1 FROM orders o WHERE `+bought+` AND o.created_at >= ?)`, dayStart(s.LastFrom, 0))
	}
	if s.LastTo != "" {
		// The last purchase is on or before the day: a purchase exists
		// and none is later.
		add(`EXISTS (SELECT 1 FROM orders o WHERE `+bought+`)
			AND NOT EXISTS (SELECT 1 FROM orders o WHERE `+bought+` AND o.created_at >= ?)`, dayStart(s.LastTo, 1))
	}
	return strings.Join(conds, " AND "), args
}

// dayStart is the start of the JST day (YYYY-MM-DD, validated) plus
// addDays, in UTC.
func dayStart(day string, addDays int) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, day, jst)
	return t.AddDate(0, 0, addDays).UTC()
}

// Count returns how many customers s selects now.
func (st *Store) Count(ctx context.Context, s Segment) (int, error) {
	cond, args := s.where(st.DB.Now())
	var n int
	err := st.DB.QueryRow(ctx, `SELECT COUNT(*) FROM customers c WHERE `+cond, args...).Scan(&n)
	return n, err
}

// listSlice is how many customers one listing transaction adds.
const listSlice = 1000

// listNext adds the next slice of the segment's customers (by ID, after
// the magazine's list_cursor) to its recipients, in tx, and moves the
// cursor. It reports whether the list is complete. Memory holds nothing
// of the list: the rows go from one table to the other inside the
// database.
func listNext(ctx context.Context, tx *db.Tx, m *Magazine, cursor int64) (bool, error) {
	cond, args := m.Segment.where(tx.Now())
	args = append([]any{m.ID}, append(args, cursor, listSlice)...)
	n, err := db.RowsAffected(tx.Exec(ctx, `INSERT INTO magazine_recipients (magazine_id, customer_id, email, lang)
		SELECT ?, c.id, c.email, c.lang FROM customers c
		WHERE `+cond+` AND c.id > ? ORDER BY c.id LIMIT ?`, args...))
	if err != nil {
		return false, err
	}
	done := n < listSlice
	if n > 0 {
		if err := tx.QueryRow(ctx, `SELECT customer_id FROM magazine_recipients WHERE magazine_id = ? ORDER BY customer_id DESC LIMIT 1`,
			m.ID).Scan(&cursor); err != nil {
			return false, err
		}
	}
	_, err = tx.Exec(ctx, `UPDATE magazines SET list_cursor = ?, listed = ? WHERE id = ?`, cursor, done, m.ID)
	return done, err
}
