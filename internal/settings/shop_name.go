package settings

import (
	"context"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
)

// ShopNameIn returns the shop's name in lang (Shop.DisplayName) read
// through q, so code that composes a mail inside a transaction reads it
// through that transaction (no second connection from the pool) and sees
// no cached value.
func ShopNameIn(ctx context.Context, q db.Queryer, lang i18n.Lang) (string, error) {
	rows, err := q.Query(ctx, `SELECT key, value FROM settings WHERE key IN (?, ?)`, ShopName, ShopNameEN)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var s Shop
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return "", err
		}
		if k == ShopName {
			s.Name = v
		} else {
			s.NameEN = v
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return s.DisplayName(lang), nil
}
