package catalog

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Tag is a product tag (新商品, おすすめ…).
type Tag struct {
	ID             int64
	Slug           string
	NameJA, NameEN string
}

// Tags returns every tag by Japanese name.
func (s *Store) Tags(ctx context.Context) ([]Tag, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, slug, name_ja, name_en FROM tags ORDER BY name_ja, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Tag
	for rows.Next() {
		var t Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.NameJA, &t.NameEN); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveTag creates (t.ID == 0) or updates a tag and returns its ID.
// Errors: Invalid ("name_ja", "slug" bad or taken), shop.ErrNotFound.
func SaveTag(ctx context.Context, tx *db.Tx, t Tag) (int64, error) {
	f := map[string]string{}
	if strings.TrimSpace(t.NameJA) == "" {
		f["name_ja"] = ErrKeyRequired
	}
	if utf8.RuneCountInString(t.NameJA) > 100 || utf8.RuneCountInString(t.NameEN) > 100 {
		f["name_ja"] = ErrKeyTooLong
	}
	if !slugRE.MatchString(t.Slug) {
		f["slug"] = ErrKeySlug
	}
	if len(f) > 0 {
		return 0, shop.Invalidf(f)
	}
	var err error
	if t.ID == 0 {
		err = tx.QueryRow(ctx, `INSERT INTO tags (slug, name_ja, name_en) VALUES (?, ?, ?) RETURNING id`, t.Slug, t.NameJA, t.NameEN).Scan(&t.ID)
	} else {
		var n int64
		n, err = db.RowsAffected(tx.Exec(ctx, `UPDATE tags SET slug = ?, name_ja = ?, name_en = ? WHERE id = ?`, t.Slug, t.NameJA, t.NameEN, t.ID))
		if err == nil && n == 0 {
			return 0, shop.ErrNotFound
		}
	}
	if db.IsUniqueViolation(err) {
		return 0, shop.Invalidf(map[string]string{"slug": ErrKeySlugTaken})
	}
	return t.ID, err
}

// DeleteTag deletes a tag (products lose it). shop.ErrNotFound if unknown.
func DeleteTag(ctx context.Context, tx *db.Tx, id int64) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM tags WHERE id = ?`, id))
	if err == nil && n == 0 {
		return shop.ErrNotFound
	}
	return err
}
