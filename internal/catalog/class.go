package catalog

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Error keys of the class masters (internal/i18n/locales/catalog13.json).
const (
	ErrKeyClassTaken  = "catalog13.class.error.taken"
	ErrKeyClassInUse  = "catalog13.class.error.in_use"
	ErrKeyClassValues = "catalog13.class.error.values"
)

// Class is a class master (規格): a reusable name such as サイズ with its
// values in order, from which a product's variant axes are made.
type Class struct {
	ID             int64
	NameJA, NameEN string
	Values         []ClassValue
}

// ClassValue is one value of a class master; Uses counts the product axes
// made from it.
type ClassValue struct {
	ID             int64
	NameJA, NameEN string
	Uses           int
}

// Name returns the class's name in ja or en.
func (c Class) Name(en bool) string {
	if en && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameJA
}

// Axis returns the variant axis made from the class: its names and all
// its values, linked to the master.
func (c Class) Axis() EditAxis {
	a := EditAxis{ClassID: c.ID, NameJA: c.NameJA, NameEN: c.NameEN}
	for _, v := range c.Values {
		a.Values = append(a.Values, AxisValue{NameJA: v.NameJA, NameEN: v.NameEN})
	}
	return a
}

// Classes returns every class master with its values and their uses.
func (s *Store) Classes(ctx context.Context) ([]Class, error) {
	rows, err := s.DB.Query(ctx, `SELECT c.id, c.name_ja, c.name_en, v.id, v.name_ja, v.name_en,
			(SELECT COUNT(*) FROM axis_values a WHERE a.class_value_id = v.id)
		FROM class_names c LEFT JOIN class_values v ON v.class_id = c.id
		ORDER BY c.sort_order, c.id, v.sort_order, v.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Class
	for rows.Next() {
		var c Class
		var vid sql.NullInt64
		var vja, ven sql.NullString
		var uses int
		if err := rows.Scan(&c.ID, &c.NameJA, &c.NameEN, &vid, &vja, &ven, &uses); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != c.ID {
			out = append(out, c)
		}
		if vid.Valid {
			last := &out[len(out)-1]
			last.Values = append(last.Values, ClassValue{ID: vid.Int64, NameJA: vja.String, NameEN: ven.String, Uses: uses})
		}
	}
	return out, rows.Err()
}

// Class returns class master id, or shop.ErrNotFound.
func (s *Store) Class(ctx context.Context, id int64) (Class, error) {
	all, err := s.Classes(ctx)
	if err != nil {
		return Class{}, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return Class{}, shop.ErrNotFound
}

// ParseClassValues reads values one a line, "S" or "S | Small".
func ParseClassValues(text string) []AxisValue {
	var out []AxisValue
	for line := range strings.SplitSeq(text, "\n") {
		ja, en, _ := strings.Cut(line, "|")
		if ja, en = strings.TrimSpace(ja), strings.TrimSpace(en); ja != "" {
			out = append(out, AxisValue{NameJA: ja, NameEN: en})
		}
	}
	return out
}

// SaveClass creates (id 0) or renames a class master and appends the
// given values that it does not have yet. It returns the class's ID.
// Invalid "name_ja" (required, too long, taken), "values" (too many, too
// long); shop.ErrNotFound for an unknown id.
func SaveClass(ctx context.Context, tx *db.Tx, id int64, nameJA, nameEN string, add []AxisValue) (int64, error) {
	nameJA, nameEN = strings.TrimSpace(nameJA), strings.TrimSpace(nameEN)
	f := map[string]string{}
	switch {
	case nameJA == "":
		f["name_ja"] = ErrKeyRequired
	case utf8.RuneCountInString(nameJA) > 50 || utf8.RuneCountInString(nameEN) > 50:
		f["name_ja"] = ErrKeyTooLong
	}
	if len(add) > MaxAxisValues {
		f["values"] = ErrKeyTooMany
	}
	for _, v := range add {
		if utf8.RuneCountInString(v.NameJA) > 100 || utf8.RuneCountInString(v.NameEN) > 100 {
			f["values"] = ErrKeyTooLong
		}
	}
	if len(f) > 0 {
		return 0, shop.Invalidf(f)
	}
	now := tx.Now()
	var err error
	if id == 0 {
		err = tx.QueryRow(ctx, `INSERT INTO class_names (name_ja, name_en, sort_order, created_at, updated_at)
			VALUES (?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM class_names), ?, ?) RETURNING id`,
			nameJA, nameEN, now, now).Scan(&id)
	} else {
		var n int64
		n, err = db.RowsAffected(tx.Exec(ctx, `UPDATE class_names SET name_ja = ?, name_en = ?, updated_at = ? WHERE id = ?`,
			nameJA, nameEN, now, id))
		if err == nil && n == 0 {
			return 0, shop.ErrNotFound
		}
	}
	if db.IsUniqueViolation(err) {
		return 0, shop.Invalidf(map[string]string{"name_ja": ErrKeyClassTaken})
	}
	if err != nil {
		return 0, err
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM class_values WHERE class_id = ?`, id).Scan(&have); err != nil {
		return 0, err
	}
	for _, v := range add {
		n, err := db.RowsAffected(tx.Exec(ctx, `INSERT INTO class_values (class_id, name_ja, name_en, sort_order)
			VALUES (?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM class_values WHERE class_id = ?))
			ON CONFLICT (class_id, name_ja) DO NOTHING`, id, v.NameJA, v.NameEN, id))
		if err != nil {
			return 0, err
		}
		have += int(n)
	}
	if have > MaxAxisValues {
		return 0, shop.Invalidf(map[string]string{"values": ErrKeyTooMany})
	}
	return id, nil
}

// ClassValueUses returns the names (Japanese) of the products whose axes
// use class value id, at most 20.
func ClassValueUses(ctx context.Context, q db.Queryer, where string, id int64) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT p.id, p.name_ja FROM axis_values av
		JOIN variant_axes a ON a.id = av.axis_id JOIN products p ON p.id = a.product_id
		WHERE `+where+` ORDER BY p.id LIMIT 20`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var pid int64
		var name string
		if err := rows.Scan(&pid, &name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// DeleteClassValue deletes a value of class classID. A value a product
// uses is refused with Conflict ErrKeyClassInUse, whose argument names
// the products ("藍染めシャツ、手ぬぐい"). shop.ErrNotFound.
func DeleteClassValue(ctx context.Context, tx *db.Tx, classID, valueID int64) error {
	uses, err := ClassValueUses(ctx, tx, `av.class_value_id = ?`, valueID)
	if err != nil {
		return err
	}
	if len(uses) > 0 {
		return shop.Errorf(shop.Conflict, ErrKeyClassInUse, strings.Join(uses, "、"))
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM class_values WHERE id = ? AND class_id = ?`, valueID, classID))
	if err == nil && n == 0 {
		return shop.ErrNotFound
	}
	return err
}

// DeleteClass deletes a class master and its values, refused like
// DeleteClassValue when a product uses any of its values.
func DeleteClass(ctx context.Context, tx *db.Tx, classID int64) error {
	uses, err := ClassValueUses(ctx, tx, `av.class_value_id IN (SELECT id FROM class_values WHERE class_id = ?)`, classID)
	if err != nil {
		return err
	}
	if len(uses) > 0 {
		return shop.Errorf(shop.Conflict, ErrKeyClassInUse, strings.Join(uses, "、"))
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM class_names WHERE id = ?`, classID))
	if err == nil && n == 0 {
		return shop.ErrNotFound
	}
	return err
}

// linkClassValues returns, for an axis made from a class master, the
// master's value IDs by Japanese name (values typed in that the master
// lacks stay unlinked). An unknown class leaves the axis unlinked.
func linkClassValues(ctx context.Context, tx *db.Tx, classID int64) (map[string]int64, bool, error) {
	if classID == 0 {
		return nil, false, nil
	}
	out := map[string]int64{}
	rows, err := tx.Query(ctx, `SELECT id, name_ja FROM class_values WHERE class_id = ?`, classID)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, false, err
		}
		out[name] = id
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	var x int
	err = tx.QueryRow(ctx, `SELECT 1 FROM class_names WHERE id = ?`, classID).Scan(&x)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return out, err == nil, err
}

// ResolveProducts returns the IDs of the products named by refs (slugs
// or numeric IDs), in order and without repeats, and the refs that name
// no product.
func (s *Store) ResolveProducts(ctx context.Context, refs []string) (ids []int64, unknown []string, err error) {
	seen := map[int64]bool{}
	for _, ref := range refs {
		var id int64
		err := s.DB.QueryRow(ctx, `SELECT id FROM products WHERE slug = ?`, ref).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if n, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
				err = s.DB.QueryRow(ctx, `SELECT id FROM products WHERE id = ?`, n).Scan(&id)
			}
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknown = append(unknown, ref)
		case err != nil:
			return nil, nil, err
		case !seen[id]:
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, unknown, nil
}

// ProductSlugs returns the slugs of the given products, in order.
func (s *Store) ProductSlugs(ctx context.Context, ids []int64) ([]string, error) {
	var out []string
	for _, id := range ids {
		var slug string
		if err := s.DB.QueryRow(ctx, `SELECT slug FROM products WHERE id = ?`, id).Scan(&slug); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		} else if err == nil {
			out = append(out, slug)
		}
	}
	return out, nil
}
