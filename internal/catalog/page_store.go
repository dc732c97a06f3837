package catalog

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Page is a shop page (特定商取引法に基づく表記, privacy policy, company,
// …) whose bodies are in the safe markup rendered by Markup.
type Page struct {
	Slug             string
	TitleJA, TitleEN string
	BodyJA, BodyEN   string
	SortOrder        int
	UpdatedAt        time.Time
}

// Page returns the published page with slug, or shop.ErrNotFound.
func (s *Store) Page(ctx context.Context, slug string) (*Page, error) {
	if len(slug) > 200 {
		return nil, shop.ErrNotFound
	}
	p := &Page{}
	err := s.DB.QueryRow(ctx, `SELECT slug, title_ja, title_en, body_ja, body_en, sort_order, updated_at
		FROM pages WHERE slug = ? AND published = ?`, slug, true).Scan(
		&p.Slug, &p.TitleJA, &p.TitleEN, &p.BodyJA, &p.BodyEN, &p.SortOrder, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Pages returns the slugs and update times of published pages, for the
// sitemap.
func (s *Store) Pages(ctx context.Context) ([]Page, error) {
	rows, err := s.DB.Query(ctx, `SELECT slug, title_ja, title_en, sort_order, updated_at FROM pages
		WHERE published = ? ORDER BY sort_order, slug`, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Page
	for rows.Next() {
		var p Page
		if err := rows.Scan(&p.Slug, &p.TitleJA, &p.TitleEN, &p.SortOrder, &p.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SavePage creates or replaces the page with p.Slug.
func SavePage(ctx context.Context, q db.Queryer, p Page) error {
	_, err := q.Exec(ctx, `INSERT INTO pages (slug, title_ja, title_en, body_ja, body_en, published, sort_order, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET title_ja = excluded.title_ja, title_en = excluded.title_en,
			body_ja = excluded.body_ja, body_en = excluded.body_en, sort_order = excluded.sort_order, updated_at = excluded.updated_at`,
		p.Slug, p.TitleJA, p.TitleEN, p.BodyJA, p.BodyEN, true, p.SortOrder, q.Now(), q.Now())
	return err
}
