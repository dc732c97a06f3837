package order

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// SavedFilter is a named search of the order list, kept as the list's
// query string; relative values in it ("delivery=tomorrow") are resolved
// when it is used, so "paid, delivery tomorrow" means tomorrow every day.
type SavedFilter struct {
	ID    int64
	Name  string
	Query string
}

// Href is the list's link with the filter ("?status=paid&…").
func (f SavedFilter) Href() string { return "?" + f.Query }

// SavedFilters returns the saved filters by name.
func SavedFilters(ctx context.Context, q db.Queryer) ([]SavedFilter, error) {
	rows, err := q.Query(ctx, `SELECT id, name, query FROM order_saved_filters ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SavedFilter
	for rows.Next() {
		var f SavedFilter
		if err := rows.Scan(&f.ID, &f.Name, &f.Query); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SaveFilter stores a filter under a name, replacing the one of that
// name. Errors: Invalid (field "filter_name") for an empty name or one
// over 50 characters, (field "filter_query") for a query over 2000 bytes.
func SaveFilter(ctx context.Context, tx *db.Tx, f SavedFilter, by string) error {
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" || utf8.RuneCountInString(f.Name) > 50 {
		return shop.Invalidf(map[string]string{"filter_name": "order.filter.bad_name"})
	}
	if len(f.Query) > 2000 {
		return shop.Invalidf(map[string]string{"filter_query": "order.filter.bad_query"})
	}
	_, err := tx.Exec(ctx, `INSERT INTO order_saved_filters (name, query, created_by, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET query = excluded.query, created_by = excluded.created_by, created_at = excluded.created_at`,
		f.Name, f.Query, by, tx.Now())
	return err
}

// DeleteFilter removes a saved filter and returns its name. Errors: NotFound.
func DeleteFilter(ctx context.Context, tx *db.Tx, id int64) (string, error) {
	var name string
	err := tx.QueryRow(ctx, `DELETE FROM order_saved_filters WHERE id = ? RETURNING name`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", shop.ErrNotFound
	}
	return name, err
}
