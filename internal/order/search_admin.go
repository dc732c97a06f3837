package order

import (
	"context"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Filter selects orders for the admin list and the CSV export. Empty
// fields do not filter. Name and Kana match the buyer's family or given
// name (or both, written together); From and To bound created_at (To
// excluded).
type Filter struct {
	Number  string
	Name    string
	Kana    string
	Email   string
	Phone   string // digits
	From    time.Time
	To      time.Time
	Status  Status
	Payment string
	// Delivery is the requested delivery date, YYYY-MM-DD.
	Delivery string
	// IDs, when set, limits the selection to these orders (an export of
	// the rows ticked on the list).
	IDs []int64
	// Sort is a key of SortKeys, "-" in front for descending; "" is
	// newest first.
	Sort   string
	Limit  int
	Offset int
}

// SortKeys maps the order list's sort keys to their columns; every key
// ends with the ID so that a page boundary never splits equal values
// unpredictably.
var SortKeys = map[string]string{
	"number":   "number",
	"date":     "created_at",
	"buyer":    "family_kana, given_kana",
	"payment":  "payment_method",
	"total":    "total",
	"status":   "status",
	"delivery": "delivery_date",
}

// orderBy returns the ORDER BY clause of f.Sort; an unknown key is the
// default, newest first.
func (f Filter) orderBy() string {
	key, desc := strings.CutPrefix(f.Sort, "-")
	cols, ok := SortKeys[key]
	if !ok {
		return " ORDER BY created_at DESC, id DESC"
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	var parts []string
	for _, c := range strings.Split(cols, ", ") {
		parts = append(parts, c+dir)
	}
	return " ORDER BY " + strings.Join(parts, ", ") + ", id" + dir
}

// Summary is one order in the admin list.
type Summary struct {
	ID            int64
	Number        string
	Status        Status
	Email         string
	Buyer         Address
	PaymentMethod string
	DeliveryFee   shop.Yen
	CODFee        shop.Yen
	Subtotal      shop.Yen
	Total         shop.Yen
	Rates         string // JSON as stored
	DeliveryDate  string // YYYY-MM-DD or ""
	CreatedAt     time.Time
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	like := func(cols []string, v string) {
		v = "%" + db.LikeEscape(v) + "%"
		var or []string
		for _, c := range cols {
			or = append(or, c+` LIKE ? ESCAPE '\'`)
			args = append(args, v)
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	if f.Number != "" {
		like([]string{"number"}, strings.ToUpper(f.Number))
	}
	if f.Name != "" {
		like([]string{"family_name", "given_name", "family_name || given_name", "ship_family_name || ship_given_name"}, strings.ReplaceAll(f.Name, " ", ""))
	}
	if f.Kana != "" {
		like([]string{"family_kana", "given_kana", "family_kana || given_kana"}, strings.ReplaceAll(f.Kana, " ", ""))
	}
	if f.Email != "" {
		like([]string{"email"}, strings.ToLower(f.Email))
	}
	if f.Phone != "" {
		like([]string{"phone", "ship_phone"}, f.Phone)
	}
	if !f.From.IsZero() {
		conds = append(conds, "created_at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds = append(conds, "created_at < ?")
		args = append(args, f.To.UTC())
	}
	if f.Status != "" {
		conds = append(conds, "status = ?")
		args = append(args, string(f.Status))
	}
	if f.Payment != "" {
		conds = append(conds, "payment_method = ?")
		args = append(args, f.Payment)
	}
	if len(f.IDs) > 0 {
		conds = append(conds, "id IN (?"+strings.Repeat(", ?", len(f.IDs)-1)+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.Delivery != "" {
		conds = append(conds, "delivery_date = ?")
		args = append(args, f.Delivery)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

const summaryColumns = `id, number, status, email, family_name, given_name, family_kana, given_kana, phone,
	postal_code, pref, city, address1, address2, payment_method, delivery_fee, cod_fee, subtotal, total, rates, delivery_date, created_at`

func scanSummary(sc interface{ Scan(...any) error }, s *Summary, extra ...any) error {
	var status string
	var fee, cod, sub, total int64
	dest := []any{&s.ID, &s.Number, &status, &s.Email, &s.Buyer.FamilyName, &s.Buyer.GivenName, &s.Buyer.FamilyKana, &s.Buyer.GivenKana, &s.Buyer.Phone,
		&s.Buyer.PostalCode, &s.Buyer.Pref, &s.Buyer.City, &s.Buyer.Address1, &s.Buyer.Address2, &s.PaymentMethod, &fee, &cod, &sub, &total, &s.Rates, &s.DeliveryDate, &s.CreatedAt}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	s.Status = Status(status)
	s.DeliveryFee, s.CODFee, s.Subtotal, s.Total = shop.Yen(fee), shop.Yen(cod), shop.Yen(sub), shop.Yen(total)
	return nil
}

// Search returns one page of the orders f selects, in f.Sort's order
// (newest first by default), and how many there are in all.
func Search(ctx context.Context, q db.Queryer, f Filter) ([]Summary, int, error) {
	where, args := f.where()
	if f.Limit <= 0 {
		f.Limit = 50
	}
	// The count and the page are two queries: COUNT(*) OVER() would make
	// the database read every matching order (a million) before the first
	// page; the page alone is read along the sort's index.
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orders`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.Query(ctx, `SELECT `+summaryColumns+` FROM orders`+where+
		f.orderBy()+` LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var s Summary
		if err := scanSummary(rows, &s); err != nil {
			return nil, 0, err
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// Each calls fn for every order f selects (Limit and Offset ignored),
// newest first, reading in pages of keyset order so that an export of
// any size holds one page in memory and no long-running read.
func Each(ctx context.Context, q db.Queryer, f Filter, fn func(*Summary) error) error {
	where, args := f.where()
	if where == "" {
		where = " WHERE 1 = 1"
	}
	const page = 1000
	var lastAt time.Time
	var lastID int64
	first := true
	for {
		cond, a := "", append([]any{}, args...)
		if !first {
			cond = " AND (created_at < ? OR (created_at = ? AND id < ?))"
			a = append(a, lastAt, lastAt, lastID)
		}
		rows, err := q.Query(ctx, `SELECT `+summaryColumns+` FROM orders`+where+cond+
			` ORDER BY created_at DESC, id DESC LIMIT ?`, append(a, page)...)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var s Summary
			if err := scanSummary(rows, &s); err != nil {
				rows.Close()
				return err
			}
			n++
			lastAt, lastID = s.CreatedAt, s.ID
			if err := fn(&s); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n < page {
			return nil
		}
		first = false
	}
}
