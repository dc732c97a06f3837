package delivery

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Carriers the label exports and tracking links know; "other" for the rest.
var Carriers = []string{"yamato", "sagawa", "japanpost", "other"}

// Cool values of a method.
var CoolKinds = []string{"", "chilled", "frozen"}

// Setup is a delivery method as the operator edits it: the method, its
// fee per prefecture (a prefecture without one is not delivered to) and
// its time slots in order.
type Setup struct {
	Method
	Fees map[int]shop.Yen
}

var methodCodeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// Validate checks what the operator entered. Errors: Invalid with Fields.
func (s Setup) Validate() error {
	f := map[string]string{}
	if !methodCodeRE.MatchString(s.Code) {
		f["code"] = "paydeliv.bad_code"
	}
	if s.NameJA == "" || len([]rune(s.NameJA)) > 60 || len([]rune(s.NameEN)) > 60 {
		f["name_ja"] = "paydeliv.bad_name"
	}
	if !contains(Carriers, s.Carrier) {
		f["carrier"] = "paydeliv.bad_carrier"
	}
	if !contains(CoolKinds, s.Cool) {
		f["cool"] = "paydeliv.bad_cool"
	}
	if t := s.TrackingURL; t != "" && (!strings.HasPrefix(t, "https://") || strings.Count(t, "%s") != 1 || len(t) > 300) {
		f["tracking_url"] = "admin.settings.bad_tracking_url"
	}
	if s.TransitDays < 0 || s.TransitDays > 30 {
		f["transit_days"] = "paydeliv.bad_days"
	}
	if s.LeadDays < 0 || s.LeadDays > 60 {
		f["lead_days"] = "paydeliv.bad_days"
	}
	seen := map[string]bool{}
	for _, sl := range s.Slots {
		if sl.Code == "" || sl.LabelJA == "" || seen[sl.Code] || len(sl.Code) > 20 || len([]rune(sl.LabelJA)) > 40 || len([]rune(sl.LabelEN)) > 40 {
			f["slots"] = "admin.settings.bad_slots"
		}
		seen[sl.Code] = true
	}
	for p, fee := range s.Fees {
		if p < 1 || p > 47 || fee < 0 {
			f["fees"] = "paydeliv.bad_prefs"
		}
	}
	if len(f) > 0 {
		return shop.Invalidf(f)
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Fees returns a method's fee per prefecture.
func Fees(ctx context.Context, q db.Queryer, methodID int64) (map[int]shop.Yen, error) {
	rows, err := q.Query(ctx, `SELECT pref, fee FROM delivery_fees WHERE method_id = ?`, methodID)
	if err != nil {
		return nil, fmt.Errorf("delivery: fees: %w", err)
	}
	defer rows.Close()
	out := map[int]shop.Yen{}
	for rows.Next() {
		var p int
		var fee int64
		if err := rows.Scan(&p, &fee); err != nil {
			return nil, err
		}
		out[p] = shop.Yen(fee)
	}
	return out, rows.Err()
}

// MethodByID returns one method (enabled or not) with its slots.
// Errors: NotFound.
func MethodByID(ctx context.Context, q db.Queryer, id int64) (Method, error) {
	ms, err := AllMethods(ctx, q)
	if err != nil {
		return Method{}, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return Method{}, shop.ErrNotFound
}

// SaveSetup writes a method with its fees and slots: a new one when
// s.ID is 0 (returned), else the one with s.ID. Errors: Invalid (Validate;
// "paydeliv.code_taken" on code); NotFound.
func SaveSetup(ctx context.Context, tx *db.Tx, s Setup) (int64, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	id := s.ID
	if id == 0 {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM delivery_methods WHERE code = ?`, s.Code).Scan(&n); err != nil {
			return 0, err
		}
		if n > 0 {
			return 0, shop.Invalidf(map[string]string{"code": "paydeliv.code_taken"})
		}
		err := tx.QueryRow(ctx, `INSERT INTO delivery_methods (code, name_ja, name_en, carrier, active, sort_order)
			VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM delivery_methods)) RETURNING id`,
			s.Code, s.NameJA, s.NameEN, s.Carrier, s.Active).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("delivery: create: %w", err)
		}
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE delivery_methods SET name_ja = ?, name_en = ?, carrier = ?, tracking_url = ?,
		transit_days = ?, lead_days = ?, cool = ?, active = ? WHERE id = ?`,
		s.NameJA, s.NameEN, s.Carrier, s.TrackingURL, s.TransitDays, s.LeadDays, s.Cool, s.Active, id))
	if err != nil {
		return 0, fmt.Errorf("delivery: save: %w", err)
	}
	if n != 1 {
		return 0, shop.ErrNotFound
	}
	if s.ID != 0 || len(s.Fees) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM delivery_fees WHERE method_id = ?`, id); err != nil {
			return 0, err
		}
		for p, fee := range s.Fees {
			if _, err := tx.Exec(ctx, `INSERT INTO delivery_fees (method_id, pref, fee) VALUES (?, ?, ?)`, id, p, int64(fee)); err != nil {
				return 0, err
			}
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM delivery_slots WHERE method_id = ?`, id); err != nil {
		return 0, err
	}
	for i, sl := range s.Slots {
		if _, err := tx.Exec(ctx, `INSERT INTO delivery_slots (method_id, code, label_ja, label_en, sort_order) VALUES (?, ?, ?, ?, ?)`,
			id, sl.Code, sl.LabelJA, sl.LabelEN, i+1); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// Usage counts the orders and parcels sent by a method.
func Usage(ctx context.Context, q db.Queryer, id int64) (orders int, numbers []string, err error) {
	rows, err := q.Query(ctx, `SELECT o.number, COUNT(*) OVER () FROM orders o
		WHERE o.delivery_method_id = ? OR EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.delivery_method_id = ?)
		ORDER BY o.id DESC LIMIT 5`, id, id)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n, &orders); err != nil {
			return 0, nil, err
		}
		numbers = append(numbers, n)
	}
	return orders, numbers, rows.Err()
}

// DeleteMethod deletes a method no order or parcel uses (its fees, slots
// and payment combinations go with it). Errors: NotFound; Conflict
// "paydeliv.delivery_in_use" with the count and some order numbers.
func DeleteMethod(ctx context.Context, tx *db.Tx, id int64) error {
	n, numbers, err := Usage(ctx, tx, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return &shop.Error{Kind: shop.Conflict, Key: "paydeliv.delivery_in_use", Args: []any{n, strings.Join(numbers, ", ")}}
	}
	c, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM delivery_methods WHERE id = ?`, id))
	if err != nil {
		return err
	}
	if c != 1 {
		return shop.ErrNotFound
	}
	return nil
}

// MoveMethod moves a method one place up (-1) or down (+1), renumbering
// all 1….
func MoveMethod(ctx context.Context, tx *db.Tx, id int64, dir int) error {
	rows, err := tx.Query(ctx, `SELECT id FROM delivery_methods ORDER BY sort_order, id`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, v)
	}
	rows.Close()
	i := -1
	for j, v := range ids {
		if v == id {
			i = j
		}
	}
	if i < 0 {
		return shop.ErrNotFound
	}
	if j := i + dir; j >= 0 && j < len(ids) {
		ids[i], ids[j] = ids[j], ids[i]
	}
	for n, v := range ids {
		if _, err := tx.Exec(ctx, `UPDATE delivery_methods SET sort_order = ? WHERE id = ?`, n+1, v); err != nil {
			return err
		}
	}
	return nil
}
