package rank

import (
	"context"
	"database/sql"
	"errors"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// List returns every rank in display order, with its member count.
func List(ctx context.Context, q db.Queryer) ([]Rank, error) {
	rows, err := q.Query(ctx, `SELECT r.id, r.name_ja, r.name_en, r.discount_percent, r.sort_order,
		(SELECT COUNT(*) FROM customers c WHERE c.rank_id = r.id)
		FROM customer_ranks r ORDER BY r.sort_order, r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rank
	for rows.Next() {
		var r Rank
		if err := rows.Scan(&r.ID, &r.NameJA, &r.NameEN, &r.Percent, &r.SortOrder, &r.Members); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ByID returns one rank. Errors: NotFound.
func ByID(ctx context.Context, q db.Queryer, id int64) (Rank, error) {
	var r Rank
	err := q.QueryRow(ctx, `SELECT r.id, r.name_ja, r.name_en, r.discount_percent, r.sort_order,
		(SELECT COUNT(*) FROM customers c WHERE c.rank_id = r.id)
		FROM customer_ranks r WHERE r.id = ?`, id).Scan(&r.ID, &r.NameJA, &r.NameEN, &r.Percent, &r.SortOrder, &r.Members)
	if errors.Is(err, sql.ErrNoRows) {
		return r, shop.ErrNotFound
	}
	return r, err
}

// Create stores a new rank after the others and returns its ID.
func Create(ctx context.Context, tx *db.Tx, r Rank) (int64, error) {
	now := tx.Now()
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO customer_ranks (name_ja, name_en, discount_percent, sort_order, created_at, updated_at)
		VALUES (?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM customer_ranks), ?, ?) RETURNING id`,
		r.NameJA, r.NameEN, r.Percent, now, now).Scan(&id)
	return id, err
}

// Update changes a rank's names and discount. Errors: NotFound.
func Update(ctx context.Context, tx *db.Tx, id int64, r Rank) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE customer_ranks SET name_ja = ?, name_en = ?, discount_percent = ?, updated_at = ? WHERE id = ?`,
		r.NameJA, r.NameEN, r.Percent, tx.Now(), id))
	if err == nil && n == 0 {
		err = shop.ErrNotFound
	}
	return err
}

// Delete removes a rank no customer is in. Errors: NotFound; Conflict
// "rank.in_use" with the member count.
func Delete(ctx context.Context, tx *db.Tx, id int64) error {
	r, err := ByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if r.Members > 0 {
		return shop.Errorf(shop.Conflict, "rank.in_use", r.Members)
	}
	// The condition repeats the check in the statement, so a customer put
	// in the rank meanwhile still stops the delete (the foreign key would
	// too, with a less helpful message).
	n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM customer_ranks WHERE id = ? AND NOT EXISTS (SELECT 1 FROM customers WHERE rank_id = ?)`, id, id))
	if err == nil && n == 0 {
		return shop.Errorf(shop.Conflict, "rank.in_use", 1)
	}
	return err
}

// Move swaps a rank with its neighbour above (up) or below; at either end
// it does nothing. The ranks are renumbered 1…n first, so equal sort
// orders (from an import or an older version) cannot stall a move.
func Move(ctx context.Context, tx *db.Tx, id int64, up bool) error {
	list, err := List(ctx, tx)
	if err != nil {
		return err
	}
	at := -1
	for i, r := range list {
		if r.ID == id {
			at = i
		}
	}
	if at < 0 {
		return shop.ErrNotFound
	}
	to := at + 1
	if up {
		to = at - 1
	}
	if to >= 0 && to < len(list) {
		list[at], list[to] = list[to], list[at]
	}
	for i, r := range list {
		if r.SortOrder == i+1 {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE customer_ranks SET sort_order = ?, updated_at = ? WHERE id = ?`, i+1, tx.Now(), r.ID); err != nil {
			return err
		}
	}
	return nil
}

// SetCustomer puts a customer in a rank (0: in none). Errors: NotFound
// for an unknown customer or rank.
func SetCustomer(ctx context.Context, tx *db.Tx, customerID, rankID int64) error {
	var rid any
	if rankID != 0 {
		if _, err := ByID(ctx, tx, rankID); err != nil {
			return err
		}
		rid = rankID
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE customers SET rank_id = ?, updated_at = ?, version = version + 1 WHERE id = ?`, rid, tx.Now(), customerID))
	if err == nil && n == 0 {
		err = shop.ErrNotFound
	}
	return err
}

// OfCustomer returns the rank of a customer; ok is false when the customer
// is in none.
func OfCustomer(ctx context.Context, q db.Queryer, customerID int64) (r Rank, ok bool, err error) {
	err = q.QueryRow(ctx, `SELECT r.id, r.name_ja, r.name_en, r.discount_percent, r.sort_order
		FROM customers c JOIN customer_ranks r ON r.id = c.rank_id WHERE c.id = ?`, customerID).
		Scan(&r.ID, &r.NameJA, &r.NameEN, &r.Percent, &r.SortOrder)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}
