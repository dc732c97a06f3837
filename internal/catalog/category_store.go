package catalog

import (
	"context"
	"database/sql"
	"time"
)

// Tree returns the category tree, from the cache when it is fresh.
func (s *Store) Tree(ctx context.Context) (*Tree, error) {
	s.mu.Lock()
	if s.tree != nil && time.Since(s.treeAt) < CacheTTL {
		t := s.tree
		s.mu.Unlock()
		return t, nil
	}
	s.mu.Unlock()
	rows, err := s.DB.Query(ctx, `SELECT id, parent_id, slug, name_ja, name_en, sort_order
		FROM categories ORDER BY sort_order, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cats []*Category
	for rows.Next() {
		c := &Category{}
		var parent sql.NullInt64
		if err := rows.Scan(&c.ID, &parent, &c.Slug, &c.NameJA, &c.NameEN, &c.SortOrder); err != nil {
			return nil, err
		}
		c.ParentID = parent.Int64
		cats = append(cats, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	t := newTree(cats)
	s.mu.Lock()
	s.tree, s.treeAt = t, time.Now()
	s.mu.Unlock()
	return t, nil
}
