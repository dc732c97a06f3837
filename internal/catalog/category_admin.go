package catalog

import (
	"context"
	"database/sql"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Error keys of category and tag edits.
const (
	ErrKeyCycle    = "admin_products.error.category_cycle"
	ErrKeyTooDeep  = "admin_products.error.category_depth"
	ErrKeyHasChild = "admin_products.error.category_children"
)

// CategoryInput is what the admin sets on a category.
type CategoryInput struct {
	ParentID       int64 // 0: top level
	Slug           string
	NameJA, NameEN string
}

func (in CategoryInput) validate() map[string]string {
	f := map[string]string{}
	if strings.TrimSpace(in.NameJA) == "" {
		f["name_ja"] = ErrKeyRequired
	}
	if utf8.RuneCountInString(in.NameJA) > 100 || utf8.RuneCountInString(in.NameEN) > 100 {
		f["name_ja"] = ErrKeyTooLong
	}
	if !slugRE.MatchString(in.Slug) {
		f["slug"] = ErrKeySlug
	}
	return f
}

// CreateCategory adds a category at the end of its parent's children and
// returns its ID. Errors: Invalid ("name_ja", "slug" bad or taken,
// "parent_id" unknown or too deep).
func CreateCategory(ctx context.Context, tx *db.Tx, in CategoryInput) (int64, error) {
	f := in.validate()
	if len(f) == 0 && in.ParentID != 0 {
		if d, err := categoryDepth(ctx, tx, in.ParentID); err != nil {
			return 0, err
		} else if d < 0 {
			f["parent_id"] = ErrKeyUnknown
		} else if d+1 >= MaxCategoryNest {
			f["parent_id"] = ErrKeyTooDeep
		}
	}
	if len(f) > 0 {
		return 0, shop.Invalidf(f)
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO categories (parent_id, slug, name_ja, name_en, sort_order, created_at, updated_at)
		VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM categories WHERE `+parentIs(in.ParentID)+`), ?, ?) RETURNING id`,
		append([]any{nullID(in.ParentID), in.Slug, in.NameJA, in.NameEN}, append(parentArgs(in.ParentID), tx.Now(), tx.Now())...)...).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, shop.Invalidf(map[string]string{"slug": ErrKeySlugTaken})
	}
	return id, err
}

func parentIs(parent int64) string {
	if parent == 0 {
		return "parent_id IS NULL"
	}
	return "parent_id = ?"
}

func parentArgs(parent int64) []any {
	if parent == 0 {
		return nil
	}
	return []any{parent}
}

// categoryDepth returns how many ancestors category id has (0 for a top
// level category), or -1 when it does not exist.
func categoryDepth(ctx context.Context, q db.Queryer, id int64) (int, error) {
	d := -1
	for n := 0; id != 0 && n <= 16; n++ {
		var parent sql.NullInt64
		err := q.QueryRow(ctx, `SELECT parent_id FROM categories WHERE id = ?`, id).Scan(&parent)
		if err == sql.ErrNoRows {
			return -1, nil
		}
		if err != nil {
			return 0, err
		}
		d++
		id = parent.Int64
	}
	return d, nil
}

// UpdateCategory renames category id and moves it under in.ParentID (at
// the end of the new parent's children when the parent changes).
// Errors: Invalid (as CreateCategory; "parent_id" ErrKeyCycle when the
// new parent is the category or below it), shop.ErrNotFound.
func UpdateCategory(ctx context.Context, tx *db.Tx, id int64, in CategoryInput) error {
	var oldParent sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT parent_id FROM categories WHERE id = ?`, id).Scan(&oldParent)
	if err == sql.ErrNoRows {
		return shop.ErrNotFound
	}
	if err != nil {
		return err
	}
	f := in.validate()
	if in.ParentID != 0 && len(f) == 0 {
		// Walk up from the new parent: meeting id means a cycle.
		depth := 0
		for n, cur := 0, in.ParentID; cur != 0; n++ {
			if cur == id {
				f["parent_id"] = ErrKeyCycle
				break
			}
			var p sql.NullInt64
			if err := tx.QueryRow(ctx, `SELECT parent_id FROM categories WHERE id = ?`, cur).Scan(&p); err == sql.ErrNoRows {
				f["parent_id"] = ErrKeyUnknown
				break
			} else if err != nil {
				return err
			}
			depth++
			cur = p.Int64
			if n > 16 {
				f["parent_id"] = ErrKeyCycle
				break
			}
		}
		if len(f) == 0 {
			below, err := subtreeHeight(ctx, tx, id)
			if err != nil {
				return err
			}
			if depth+below > MaxCategoryNest {
				f["parent_id"] = ErrKeyTooDeep
			}
		}
	}
	if len(f) > 0 {
		return shop.Invalidf(f)
	}
	sortSQL, sortArgs := "sort_order", []any{}
	if oldParent.Int64 != in.ParentID {
		sortSQL = `(SELECT COALESCE(MAX(sort_order), 0) + 1 FROM categories WHERE ` + parentIs(in.ParentID) + `)`
		sortArgs = parentArgs(in.ParentID)
	}
	args := append([]any{nullID(in.ParentID), in.Slug, in.NameJA, in.NameEN}, sortArgs...)
	_, err = tx.Exec(ctx, `UPDATE categories SET parent_id = ?, slug = ?, name_ja = ?, name_en = ?, sort_order = `+sortSQL+`,
		updated_at = ? WHERE id = ?`, append(args, tx.Now(), id)...)
	if db.IsUniqueViolation(err) {
		return shop.Invalidf(map[string]string{"slug": ErrKeySlugTaken})
	}
	return err
}

// subtreeHeight returns the number of levels of category id's subtree
// (1 for a leaf).
func subtreeHeight(ctx context.Context, q db.Queryer, id int64) (int, error) {
	level, h := []int64{id}, 0
	for len(level) > 0 && h <= 16 {
		h++
		next, err := ids(ctx, q, `SELECT id FROM categories WHERE parent_id IN (`+placeholders(len(level))+`)`, int64sAny(level)...)
		if err != nil {
			return 0, err
		}
		level = next
	}
	return h, nil
}

func int64sAny(v []int64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// MoveCategory moves category id one place up (delta -1) or down (+1)
// among its siblings, renumbering them 1..n. Moving past either end does
// nothing. shop.ErrNotFound for an unknown id.
func MoveCategory(ctx context.Context, tx *db.Tx, id int64, delta int) error {
	var parent sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT parent_id FROM categories WHERE id = ?`, id).Scan(&parent)
	if err == sql.ErrNoRows {
		return shop.ErrNotFound
	}
	if err != nil {
		return err
	}
	sibs, err := ids(ctx, tx, `SELECT id FROM categories WHERE `+parentIs(parent.Int64)+` ORDER BY sort_order, id`, parentArgs(parent.Int64)...)
	if err != nil {
		return err
	}
	for i, s := range sibs {
		if s == id && i+delta >= 0 && i+delta < len(sibs) {
			sibs[i], sibs[i+delta] = sibs[i+delta], sibs[i]
			break
		}
	}
	for i, s := range sibs {
		if _, err := tx.Exec(ctx, `UPDATE categories SET sort_order = ?, updated_at = ? WHERE id = ?`, i+1, tx.Now(), s); err != nil {
			return err
		}
	}
	return nil
}

// DeleteCategory deletes a category without children (its products lose
// the link). Errors: Conflict ErrKeyHasChild, shop.ErrNotFound.
func DeleteCategory(ctx context.Context, tx *db.Tx, id int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM categories WHERE parent_id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return shop.Errorf(shop.Conflict, ErrKeyHasChild)
	}
	res, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM categories WHERE id = ?`, id))
	if err == nil && res == 0 {
		return shop.ErrNotFound
	}
	return err
}
