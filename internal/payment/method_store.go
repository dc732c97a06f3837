package payment

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Methods returns the payment methods with their fee rules and delivery
// combinations, in the shop's order; only the enabled ones when active.
// q may be the transaction placing an order.
func Methods(ctx context.Context, q db.Queryer, active bool) ([]Method, error) {
	query := `SELECT code, kind, name_ja, name_en, description_ja, description_en, fee_type, fee, free_over,
		min_amount, max_amount, active, sort_order, expires_days FROM payment_methods`
	var args []any
	if active {
		query += ` WHERE active = ?`
		args = append(args, true)
	}
	rows, err := q.Query(ctx, query+` ORDER BY sort_order, code`, args...)
	if err != nil {
		return nil, fmt.Errorf("payment: methods: %w", err)
	}
	var out []Method
	idx := map[string]int{}
	for rows.Next() {
		var m Method
		var fee, free, lo, hi int64
		if err := rows.Scan(&m.Code, &m.Kind, &m.NameJA, &m.NameEN, &m.DescJA, &m.DescEN, &m.FeeType, &fee, &free,
			&lo, &hi, &m.Active, &m.SortOrder, &m.ExpiresDays); err != nil {
			rows.Close()
			return nil, err
		}
		m.Fee, m.FreeOver, m.Min, m.Max = shop.Yen(fee), shop.Yen(free), shop.Yen(lo), shop.Yen(hi)
		idx[m.Code] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT method_code, up_to, fee FROM payment_fee_tiers ORDER BY method_code, up_to`, func(code string, a, b int64) {
		if i, ok := idx[code]; ok {
			out[i].Tiers = append(out[i].Tiers, Tier{UpTo: shop.Yen(a), Fee: shop.Yen(b)})
		}
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT method_code, pref, fee FROM payment_fee_prefs`, func(code string, a, b int64) {
		if i, ok := idx[code]; ok {
			if out[i].Prefs == nil {
				out[i].Prefs = map[int]shop.Yen{}
			}
			out[i].Prefs[int(a)] = shop.Yen(b)
		}
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT method_code, delivery_method_id, 0 FROM payment_delivery ORDER BY method_code, delivery_method_id`, func(code string, a, _ int64) {
		if i, ok := idx[code]; ok {
			out[i].Delivery = append(out[i].Delivery, a)
		}
	})
	return out, err
}

func eachRow(ctx context.Context, q db.Queryer, query string, fn func(string, int64, int64)) error {
	rows, err := q.Query(ctx, query)
	if err != nil {
		return fmt.Errorf("payment: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var a, b int64
		if err := rows.Scan(&s, &a, &b); err != nil {
			return err
		}
		fn(s, a, b)
	}
	return rows.Err()
}

// MethodByCode returns one method, enabled or not. Errors: NotFound.
func MethodByCode(ctx context.Context, q db.Queryer, code string) (Method, error) {
	ms, err := Methods(ctx, q, false)
	if err != nil {
		return Method{}, err
	}
	for _, m := range ms {
		if m.Code == code {
			return m, nil
		}
	}
	return Method{}, shop.ErrNotFound
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// Validate checks what an operator entered, field by field (the keys are
// form field names). Errors: Invalid with Fields.
func (m Method) Validate() error {
	f := map[string]string{}
	if !codeRE.MatchString(m.Code) {
		f["code"] = "paydeliv.bad_code"
	}
	if m.NameJA == "" || len([]rune(m.NameJA)) > 60 || len([]rune(m.NameEN)) > 60 {
		f["name_ja"] = "paydeliv.bad_name"
	}
	if len([]rune(m.DescJA)) > 500 || len([]rune(m.DescEN)) > 500 {
		f["description_ja"] = "paydeliv.bad_description"
	}
	switch m.FeeType {
	case FeeFlat, FeePref:
	case FeeTiers:
		if len(m.Tiers) == 0 {
			f["tiers"] = "paydeliv.tiers_empty"
		}
		for i, t := range m.Tiers {
			if t.UpTo <= 0 || t.Fee < 0 || i > 0 && t.UpTo <= m.Tiers[i-1].UpTo {
				f["tiers"] = "paydeliv.bad_tiers"
			}
		}
	default:
		f["fee_type"] = "paydeliv.bad_fee_type"
	}
	if m.Fee < 0 || m.FreeOver < 0 || m.Min < 0 || m.Max < 0 {
		f["fee"] = "paydeliv.bad_amount"
	}
	if m.Max != 0 && m.Max < m.Min {
		f["max_amount"] = "paydeliv.bad_limits"
	}
	for p, fee := range m.Prefs {
		if p < 1 || p > 47 || fee < 0 {
			f["prefs"] = "paydeliv.bad_prefs"
		}
	}
	if m.Kind == Konbini && (m.Min < 120 || m.Max == 0 || m.Max > 300000) {
		f["max_amount"] = "paydeliv.konbini_limits"
	}
	if m.ExpiresDays < 1 || m.ExpiresDays > 60 {
		f["expires_days"] = "paydeliv.bad_expiry"
	}
	if len(f) > 0 {
		return shop.Invalidf(f)
	}
	return nil
}

// SaveMethod writes m (a new method when create, else the one with
// m.Code) with its tiers, prefecture fees and delivery combinations.
// Errors: Invalid (Validate; "paydeliv.code_taken" on code for a code in
// use; a new method's kind other than Manual); NotFound.
func SaveMethod(ctx context.Context, tx *db.Tx, m Method, create bool) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if create {
		if m.Kind != Manual {
			return shop.Invalidf(map[string]string{"kind": "paydeliv.bad_kind"})
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM payment_methods WHERE code = ?`, m.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return shop.Invalidf(map[string]string{"code": "paydeliv.code_taken"})
		}
		_, err := tx.Exec(ctx, `INSERT INTO payment_methods (code, kind, name_ja, name_en, active, sort_order)
			VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM payment_methods))`, m.Code, string(m.Kind), m.NameJA, m.NameEN, m.Active)
		if err != nil {
			return fmt.Errorf("payment: create method: %w", err)
		}
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE payment_methods SET name_ja = ?, name_en = ?, description_ja = ?, description_en = ?,
		fee_type = ?, fee = ?, free_over = ?, min_amount = ?, max_amount = ?, active = ?, expires_days = ? WHERE code = ?`,
		m.NameJA, m.NameEN, m.DescJA, m.DescEN, m.FeeType, int64(m.Fee), int64(m.FreeOver), int64(m.Min), int64(m.Max), m.Active, m.ExpiresDays, m.Code))
	if err != nil {
		return fmt.Errorf("payment: save method: %w", err)
	}
	if n != 1 {
		return shop.ErrNotFound
	}
	for _, t := range []string{"payment_fee_tiers", "payment_fee_prefs", "payment_delivery"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+t+` WHERE method_code = ?`, m.Code); err != nil {
			return err
		}
	}
	for _, t := range m.Tiers {
		if _, err := tx.Exec(ctx, `INSERT INTO payment_fee_tiers (method_code, up_to, fee) VALUES (?, ?, ?)`, m.Code, int64(t.UpTo), int64(t.Fee)); err != nil {
			return err
		}
	}
	for p, fee := range m.Prefs {
		if _, err := tx.Exec(ctx, `INSERT INTO payment_fee_prefs (method_code, pref, fee) VALUES (?, ?, ?)`, m.Code, p, int64(fee)); err != nil {
			return err
		}
	}
	for _, id := range m.Delivery {
		if _, err := tx.Exec(ctx, `INSERT INTO payment_delivery (method_code, delivery_method_id) VALUES (?, ?)`, m.Code, id); err != nil {
			return shop.Invalidf(map[string]string{"delivery": "paydeliv.bad_delivery"})
		}
	}
	return nil
}

// Usage is where a method is in use: the number of orders paid with it
// and a few of their numbers.
type Usage struct {
	Orders  int
	Numbers []string
}

// MethodUsage counts the orders that use the method.
func MethodUsage(ctx context.Context, q db.Queryer, code string) (Usage, error) {
	var u Usage
	rows, err := q.Query(ctx, `SELECT number, COUNT(*) OVER () FROM orders WHERE payment_method = ? ORDER BY id DESC LIMIT 5`, code)
	if err != nil {
		return u, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n, &u.Orders); err != nil {
			return u, err
		}
		u.Numbers = append(u.Numbers, n)
	}
	return u, rows.Err()
}

// ErrInUse is returned when a method still used by orders is deleted.
var ErrInUse = errors.New("payment: method in use")

// DeleteMethod deletes an operator's own method that no order uses.
// Errors: NotFound; Conflict "paydeliv.builtin" for a built-in method;
// Conflict "paydeliv.in_use" (wrapping ErrInUse) with the usage as Args.
func DeleteMethod(ctx context.Context, tx *db.Tx, code string) error {
	var kind Kind
	if err := tx.QueryRow(ctx, `SELECT kind FROM payment_methods WHERE code = ?`, code).Scan(&kind); err != nil {
		return shop.ErrNotFound
	}
	if kind.Builtin() {
		return shop.Errorf(shop.Conflict, "paydeliv.builtin")
	}
	u, err := MethodUsage(ctx, tx, code)
	if err != nil {
		return err
	}
	if u.Orders > 0 {
		return &shop.Error{Kind: shop.Conflict, Key: "paydeliv.in_use", Args: []any{u.Orders, joinNumbers(u.Numbers)}, Cause: ErrInUse}
	}
	_, err = tx.Exec(ctx, `DELETE FROM payment_methods WHERE code = ?`, code)
	return err
}

func joinNumbers(ns []string) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// MoveMethod moves a method one place up (dir -1) or down (+1) in the
// shop's order, renumbering all methods 1… so ties never stick.
func MoveMethod(ctx context.Context, tx *db.Tx, code string, dir int) error {
	rows, err := tx.Query(ctx, `SELECT code FROM payment_methods ORDER BY sort_order, code`)
	if err != nil {
		return err
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		codes = append(codes, c)
	}
	rows.Close()
	i := -1
	for j, c := range codes {
		if c == code {
			i = j
		}
	}
	if i < 0 {
		return shop.ErrNotFound
	}
	if j := i + dir; j >= 0 && j < len(codes) {
		codes[i], codes[j] = codes[j], codes[i]
	}
	for n, c := range codes {
		if _, err := tx.Exec(ctx, `UPDATE payment_methods SET sort_order = ? WHERE code = ?`, n+1, c); err != nil {
			return err
		}
	}
	return nil
}
