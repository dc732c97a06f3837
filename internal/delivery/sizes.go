package delivery

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Sizes are the parcel size classes Japanese carriers charge by (60サイズ
// … 160サイズ: the sum of the box's length, width and height in cm).
var Sizes = []int{60, 80, 100, 120, 140, 160}

// ValidSize reports whether n is one of Sizes (0, no size, is not).
func ValidSize(n int) bool { return slices.Contains(Sizes, n) }

// ParcelSize is the size class of a parcel holding items of the given
// size classes: the largest of them. The rule assumes the parcel is
// packed in the box of its largest item (smaller items go in beside it);
// an order that does not fit one box is split into parcels, each priced
// on its own. An item without a size class (0) counts as the smallest,
// so a parcel of such items is a 60 and a shop that never sets sizes is
// charged as before. It is the one rule the checkout, 受注登録 and
// 受注編集 use.
func ParcelSize(items []int) int {
	size := Sizes[0]
	for _, s := range items {
		size = max(size, s)
	}
	return size
}

// ParcelFee is the tax-included fee of a parcel of size (ParcelSize) sent
// by m to prefecture pref. A method without fees by size charges its fee
// per prefecture whatever the size. One with fees by size charges the
// smallest size class in its table that holds the parcel, so a table with
// only some columns filled still works: an 80 parcel is charged the 80
// fee, or the 100 fee when the table has no 80 column. Errors: NotFound "delivery.no_fee" when the
// method does not deliver there (no fee for the prefecture, or none for a
// size this large).
func ParcelFee(ctx context.Context, q db.Queryer, m Method, pref, size int) (shop.Yen, error) {
	if !m.FeeBySize {
		return Fee(ctx, q, m.ID, pref)
	}
	var fee int64
	err := q.QueryRow(ctx, `SELECT fee FROM delivery_size_fees WHERE method_id = ? AND pref = ? AND size >= ? ORDER BY size LIMIT 1`,
		m.ID, pref, size).Scan(&fee)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, shop.Errorf(shop.NotFound, "delivery.no_fee")
	}
	if err != nil {
		return 0, fmt.Errorf("delivery: size fee: %w", err)
	}
	return shop.Yen(fee), nil
}

// SizeFees returns a method's fees by size and prefecture: size → pref → fee.
func SizeFees(ctx context.Context, q db.Queryer, methodID int64) (map[int]map[int]shop.Yen, error) {
	rows, err := q.Query(ctx, `SELECT size, pref, fee FROM delivery_size_fees WHERE method_id = ?`, methodID)
	if err != nil {
		return nil, fmt.Errorf("delivery: size fees: %w", err)
	}
	defer rows.Close()
	out := map[int]map[int]shop.Yen{}
	for rows.Next() {
		var size, pref int
		var fee int64
		if err := rows.Scan(&size, &pref, &fee); err != nil {
			return nil, err
		}
		if out[size] == nil {
			out[size] = map[int]shop.Yen{}
		}
		out[size][pref] = shop.Yen(fee)
	}
	return out, rows.Err()
}

// SaveSizeFees replaces a method's fees by size and sets whether it
// charges by them. Errors: Invalid "fees" (sizes.bad_fee) for a size,
// prefecture or fee out of range; Invalid "by_size" (sizes.none) for
// charging by size with an empty table; NotFound.
func SaveSizeFees(ctx context.Context, tx *db.Tx, methodID int64, bySize bool, fees map[int]map[int]shop.Yen) error {
	n := 0
	for size, byPref := range fees {
		for pref, fee := range byPref {
			if !ValidSize(size) || pref < 1 || pref > 47 || fee < 0 || fee > maxFee {
				return shop.Invalidf(map[string]string{"fees": "sizes.bad_fee"})
			}
			n++
		}
	}
	if bySize && n == 0 {
		return shop.Invalidf(map[string]string{"by_size": "sizes.none"})
	}
	k, err := db.RowsAffected(tx.Exec(ctx, `UPDATE delivery_methods SET fee_by_size = ? WHERE id = ?`, bySize, methodID))
	if err != nil {
		return err
	}
	if k != 1 {
		return shop.ErrNotFound
	}
	if _, err := tx.Exec(ctx, `DELETE FROM delivery_size_fees WHERE method_id = ?`, methodID); err != nil {
		return err
	}
	for _, size := range Sizes {
		for pref := 1; pref <= 47; pref++ {
			fee, ok := fees[size][pref]
			if !ok {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO delivery_size_fees (method_id, size, pref, fee) VALUES (?, ?, ?, ?)`,
				methodID, size, pref, int64(fee)); err != nil {
				return fmt.Errorf("delivery: save size fee: %w", err)
			}
		}
	}
	return nil
}

// maxFee bounds one fee (¥1,000,000): anything larger is a typo.
const maxFee shop.Yen = 1_000_000
