package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Store reads and maintains the sales summary.
type Store struct {
	DB  *db.DB
	Log *slog.Logger
}

// overlap is how far before the watermark a refresh looks again: an order
// written by a transaction that committed after the last refresh read the
// watermark may carry an updated_at just before it.
const overlap = 10 * time.Minute

// lockFor bounds how long one instance's refresh keeps others out.
const lockFor = 10 * time.Minute

// excluded are the statuses that are not sales.
const salesWhere = `o.status NOT IN ('cancelled', 'returned')`

// RefreshIfOlder refreshes the summary unless a refresh finished within
// age: a report page asks on every view, and a read is cheaper than the
// three writes a refresh takes on the shop's write path.
func (s *Store) RefreshIfOlder(ctx context.Context, age time.Duration) error {
	var at *time.Time
	if err := s.DB.QueryRow(ctx, `SELECT refreshed_at FROM report_state WHERE id = 1`).Scan(&at); err != nil {
		return fmt.Errorf("report: state: %w", err)
	}
	if at != nil && s.DB.Now().Sub(*at) < age {
		return nil
	}
	return s.Refresh(ctx)
}

// Refresh brings the summary up to date: every JST day that holds an
// order changed since the last refresh is summed again from the orders.
// Only one instance refreshes at a time; the others return at once and
// read the summary as it is. Each day is rewritten in its own
// transaction, so readers never see half a day.
func (s *Store) Refresh(ctx context.Context) error {
	now := s.DB.Now()
	epoch := time.Unix(0, 0).UTC()
	res, err := s.DB.Exec(ctx, `UPDATE report_state SET lock_until = ? WHERE id = 1 AND lock_until < ?`, now.Add(lockFor), now)
	if n, err := db.RowsAffected(res, err); err != nil || n == 0 {
		return err
	}
	defer s.DB.Exec(context.WithoutCancel(ctx), `UPDATE report_state SET lock_until = ? WHERE id = 1`, epoch)

	var mark time.Time
	if err := s.DB.QueryRow(ctx, `SELECT watermark FROM report_state WHERE id = 1`).Scan(&mark); err != nil {
		return fmt.Errorf("report: watermark: %w", err)
	}
	// The newest change, read before the days are summed: anything
	// written meanwhile is summed again next time.
	var next time.Time
	err = s.DB.QueryRow(ctx, `SELECT updated_at FROM orders ORDER BY updated_at DESC LIMIT 1`).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: newest order: %w", err)
	}
	days, err := s.changedDays(ctx, mark.Add(-overlap))
	if err != nil {
		return err
	}
	// A month's changed days and the month's row are rewritten in one
	// transaction, so the two levels never disagree.
	for len(days) > 0 {
		n := 1
		for n < len(days) && days[n].Year() == days[0].Year() && days[n].Month() == days[0].Month() {
			n++
		}
		month := days[:n]
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			for _, day := range month {
				if err := sumDay(ctx, tx, day); err != nil {
					return err
				}
			}
			return sumMonth(ctx, tx, month[0])
		})
		if err != nil {
			return err
		}
		days = days[n:]
	}
	_, err = s.DB.Exec(ctx, `UPDATE report_state SET watermark = ?, refreshed_at = ? WHERE id = 1`, next, s.DB.Now())
	if err == nil && len(days) > 0 {
		s.Log.Info("sales summary refreshed", "days", len(days))
	}
	return err
}

// changedDays lists, oldest first, the JST days of the orders updated
// after since.
func (s *Store) changedDays(ctx context.Context, since time.Time) ([]time.Time, error) {
	rows, err := s.DB.Query(ctx, `SELECT created_at FROM orders WHERE updated_at > ?`, since)
	if err != nil {
		return nil, fmt.Errorf("report: changed orders: %w", err)
	}
	defer rows.Close()
	set := map[time.Time]bool{}
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		t = t.In(jst)
		set[time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, jst)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	days := make([]time.Time, 0, len(set))
	for d := range set {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	return days, nil
}

// sumRow is one summary row being built.
type sumRow struct {
	dim, key, ja, en string
	Figures
}

// sumMonth rewrites the monthly rows of the JST month of day from its
// daily rows.
func sumMonth(ctx context.Context, tx *db.Tx, day time.Time) error {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, jst)
	month := first.Format("2006-01")
	if _, err := tx.Exec(ctx, `DELETE FROM report_monthly WHERE month = ?`, month); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO report_monthly (dim, month, key, label_ja, label_en, orders, qty, amount)
		SELECT dim, ?, key, MAX(label_ja), MAX(label_en), SUM(orders), SUM(qty), SUM(amount)
		FROM report_daily WHERE day >= ? AND day < ? GROUP BY dim, key`,
		month, first.Format("2006-01-02"), first.AddDate(0, 1, 0).Format("2006-01-02"))
	if err != nil {
		return fmt.Errorf("report: month %s: %w", month, err)
	}
	return nil
}

// sumDay rewrites the summary rows of one JST day in tx.
func sumDay(ctx context.Context, tx *db.Tx, day time.Time) error {
	from, to := day.UTC(), day.AddDate(0, 0, 1).UTC()
	key := day.Format("2006-01-02")
	rows, err := sumOrders(ctx, tx, from, to, day)
	if err != nil {
		return err
	}
	lines, err := sumLines(ctx, tx, from, to)
	if err != nil {
		return err
	}
	rows = append(rows, lines...)
	if _, err := tx.Exec(ctx, `DELETE FROM report_daily WHERE day = ?`, key); err != nil {
		return err
	}
	// Multi-row inserts, 100 rows a statement.
	for len(rows) > 0 {
		n := min(len(rows), 100)
		q := `INSERT INTO report_daily (dim, day, key, label_ja, label_en, orders, qty, amount) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?),", n), ",")
		args := make([]any, 0, 8*n)
		for _, r := range rows[:n] {
			args = append(args, r.dim, key, r.key, r.ja, r.en, r.Orders, r.Qty, int64(r.Amount))
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("report: %s: %w", key, err)
		}
		rows = rows[n:]
	}
	return nil
}

// sumOrders sums one day's orders by the order-level dimensions: the day
// as a whole, payment method, prefecture, member or guest, gender and age
// band (the customer's attributes as they are now, the age on the day of
// the order).
func sumOrders(ctx context.Context, tx *db.Tx, from, to, day time.Time) ([]sumRow, error) {
	rows, err := tx.Query(ctx, `
		SELECT o.total, o.payment_method, o.pref, o.customer_id IS NOT NULL, COALESCE(c.birthday, ''), COALESCE(c.gender, ''),
		       (SELECT COALESCE(SUM(l.qty), 0) FROM order_lines l WHERE l.order_id = o.id)
		FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
		WHERE o.created_at >= ? AND o.created_at < ? AND `+salesWhere, from, to)
	if err != nil {
		return nil, fmt.Errorf("report: orders: %w", err)
	}
	defer rows.Close()
	acc := map[[2]string]*sumRow{}
	add := func(dim, key string, total, qty int64) {
		r := acc[[2]string{dim, key}]
		if r == nil {
			r = &sumRow{dim: dim, key: key}
			acc[[2]string{dim, key}] = r
		}
		r.Orders++
		r.Qty += qty
		r.Amount += shop.Yen(total)
	}
	for rows.Next() {
		var total, qty int64
		var pay, birthday, gender string
		var pref int
		var member bool
		if err := rows.Scan(&total, &pay, &pref, &member, &birthday, &gender, &qty); err != nil {
			return nil, err
		}
		add(string(ByPeriod), "", total, qty)
		add(string(ByPayment), pay, total, qty)
		add(string(ByPref), strconv.Itoa(pref), total, qty)
		if member {
			add(string(ByMember), "member", total, qty)
			if gender == "" {
				gender = "unknown"
			}
			add(string(ByGender), gender, total, qty)
			add(string(ByAge), ageBand(birthday, day), total, qty)
		} else {
			add(string(ByMember), "guest", total, qty)
			add(string(ByGender), "guest", total, qty)
			add(string(ByAge), "guest", total, qty)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]sumRow, 0, len(acc))
	for _, r := range acc {
		out = append(out, *r)
	}
	return out, nil
}

// sumLines sums one day's order lines by product (the name as sold) and
// by category (a product in two categories counts in both).
func sumLines(ctx context.Context, tx *db.Tx, from, to time.Time) ([]sumRow, error) {
	var out []sumRow
	rows, err := tx.Query(ctx, `
		SELECT COALESCE(CAST(l.product_id AS TEXT), 'sku:' || MAX(l.sku)), MAX(l.name_ja), MAX(l.name_en),
		       COUNT(DISTINCT l.order_id), SUM(l.qty), SUM(l.line_total)
		FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE o.created_at >= ? AND o.created_at < ? AND `+salesWhere+`
		GROUP BY l.product_id, CASE WHEN l.product_id IS NULL THEN l.sku ELSE '' END`, from, to)
	if err != nil {
		return nil, fmt.Errorf("report: lines by product: %w", err)
	}
	for rows.Next() {
		r := sumRow{dim: string(ByProduct)}
		var amount int64
		if err := rows.Scan(&r.key, &r.ja, &r.en, &r.Orders, &r.Qty, &amount); err != nil {
			rows.Close()
			return nil, err
		}
		r.Amount = shop.Yen(amount)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `
		SELECT CAST(pc.category_id AS TEXT), COUNT(DISTINCT l.order_id), SUM(l.qty), SUM(l.line_total)
		FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN product_categories pc ON pc.product_id = l.product_id
		WHERE o.created_at >= ? AND o.created_at < ? AND `+salesWhere+`
		GROUP BY pc.category_id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("report: lines by category: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := sumRow{dim: string(ByCategory)}
		var amount int64
		if err := rows.Scan(&r.key, &r.Orders, &r.Qty, &amount); err != nil {
			return nil, err
		}
		r.Amount = shop.Yen(amount)
		out = append(out, r)
	}
	return out, rows.Err()
}
