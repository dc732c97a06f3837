package review

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Store reads and writes reviews.
type Store struct {
	DB *db.DB
}

// Errors the store returns besides the database's.
var (
	// ErrNotBought: the customer has no order of the product (other than
	// cancelled, returned or still awaiting payment).
	ErrNotBought = &shop.Error{Kind: shop.Forbidden, Key: "review.err.not_bought"}
	// ErrReviewed: the customer has reviewed the product already.
	ErrReviewed = &shop.Error{Kind: shop.Conflict, Key: "review.err.reviewed"}
)

// purchaseWhere is the orders that count as a purchase.
const purchaseWhere = `o.status NOT IN ('cancelled', 'returned', 'awaiting_payment')`

// Purchase returns the newest order in which customerID bought
// productID, or ErrNotBought.
func Purchase(ctx context.Context, q db.Queryer, customerID, productID int64) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE o.customer_id = ? AND l.product_id = ? AND `+purchaseWhere+` ORDER BY o.id DESC LIMIT 1`, customerID, productID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotBought
	}
	return id, err
}

// Mine returns the customer's review of the product, or nil.
func (s *Store) Mine(ctx context.Context, customerID, productID int64) (*Review, error) {
	rows, err := s.DB.Query(ctx, selectReview+` WHERE r.customer_id = ? AND r.product_id = ?`, customerID, productID)
	if err != nil {
		return nil, err
	}
	list, err := scanReviews(rows)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// Create stores a pending review by a customer who bought the product:
// ErrNotBought when they did not, ErrReviewed when they reviewed it
// already. Nothing is written in either case.
func (s *Store) Create(ctx context.Context, r *Review) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		orderID, err := Purchase(ctx, tx, r.CustomerID, r.ProductID)
		if err != nil {
			return err
		}
		r.OrderID, r.Status, r.CreatedAt = &orderID, Pending, tx.Now()
		n, err := db.RowsAffected(tx.Exec(ctx, `INSERT INTO reviews (product_id, customer_id, order_id, nickname, stars, title, body, lang, status, address, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id, product_id) DO NOTHING`,
			r.ProductID, r.CustomerID, orderID, r.Nickname, r.Stars, r.Title, r.Body, r.Lang, Pending, r.Address, r.CreatedAt, r.CreatedAt))
		if err != nil {
			return fmt.Errorf("review: create: %w", err)
		}
		if n == 0 {
			return ErrReviewed
		}
		return nil
	})
}

const selectReview = `SELECT r.id, r.product_id, p.slug, p.name_ja, r.customer_id, r.order_id, r.nickname, r.stars, r.title, r.body, r.lang,
	r.status, r.address, r.reply, r.replied_at, r.moderated_by, r.moderated_at, r.created_at
	FROM reviews r JOIN products p ON p.id = r.product_id`

func scanReviews(rows *sql.Rows) ([]Review, error) {
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		var order sql.NullInt64
		if err := rows.Scan(&r.ID, &r.ProductID, &r.ProductSlug, &r.ProductName, &r.CustomerID, &order, &r.Nickname, &r.Stars, &r.Title, &r.Body, &r.Lang,
			&r.Status, &r.Address, &r.Reply, &r.RepliedAt, &r.ModeratedBy, &r.ModeratedAt, &r.CreatedAt); err != nil {
			return nil, err
		}
		if order.Valid {
			r.OrderID = &order.Int64
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Summary is a product's published reviews: how many, their average and
// the newest n.
func (s *Store) Summary(ctx context.Context, productID int64, n int) (count int, avg float64, latest []Review, err error) {
	var sum int64
	if err = s.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(stars), 0) FROM reviews WHERE product_id = ? AND status = ?`,
		productID, Published).Scan(&count, &sum); err != nil || count == 0 {
		return count, 0, nil, err
	}
	// One decimal, as the page shows it.
	avg = math.Round(float64(sum)*10/float64(count)) / 10
	rows, err := s.DB.Query(ctx, selectReview+` WHERE r.product_id = ? AND r.status = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, productID, Published, n)
	if err != nil {
		return 0, 0, nil, err
	}
	latest, err = scanReviews(rows)
	return count, avg, latest, err
}

// Review returns one review by ID, or shop.ErrNotFound.
func (s *Store) Review(ctx context.Context, id int64) (*Review, error) {
	rows, err := s.DB.Query(ctx, selectReview+` WHERE r.id = ?`, id)
	if err != nil {
		return nil, err
	}
	list, err := scanReviews(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, shop.ErrNotFound
	}
	return &list[0], nil
}

// PageSize is the admin list's page size.
const PageSize = 50

// List returns a page of reviews in status, newest first, and how many
// reviews each status holds.
func (s *Store) List(ctx context.Context, status string, page int) ([]Review, map[string]int, error) {
	counts := map[string]int{}
	rows, err := s.DB.Query(ctx, `SELECT status, COUNT(*) FROM reviews GROUP BY status`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return nil, nil, err
		}
		counts[st] = n
	}
	rows.Close()
	rows, err = s.DB.Query(ctx, selectReview+` WHERE r.status = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`,
		status, PageSize, (max(page, 1)-1)*PageSize)
	if err != nil {
		return nil, nil, err
	}
	list, err := scanReviews(rows)
	return list, counts, err
}

// Moderate sets a review's status and writes entry to the audit log in
// the same transaction. It returns the review as it was, or
// shop.ErrNotFound.
func (s *Store) Moderate(ctx context.Context, id int64, status, actor string, entry audit.Entry) (*Review, error) {
	if status != Published && status != Rejected && status != Pending {
		return nil, &shop.Error{Kind: shop.Invalid, Key: "error.invalid"}
	}
	before, err := s.Review(ctx, id)
	if err != nil {
		return nil, err
	}
	entry.Details = map[string]any{"product_id": before.ProductID, "from": before.Status, "to": status}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE reviews SET status = ?, moderated_by = ?, moderated_at = ?, updated_at = ? WHERE id = ?`,
			status, actor, now, now, id))
		if err != nil || n == 0 {
			return errors.Join(err, shop.ErrNotFound)
		}
		_, err = audit.Append(ctx, tx, entry)
		return err
	})
	return before, err
}

// SetReply stores the shop's reply (empty removes it), audited like
// Moderate. It returns the review as it was.
func (s *Store) SetReply(ctx context.Context, id int64, reply string, entry audit.Entry) (*Review, error) {
	before, err := s.Review(ctx, id)
	if err != nil {
		return nil, err
	}
	entry.Details = map[string]any{"product_id": before.ProductID, "before": before.Reply, "after": reply}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var at *time.Time
		if reply != "" {
			at = &now
		}
		if _, err := tx.Exec(ctx, `UPDATE reviews SET reply = ?, replied_at = ?, updated_at = ? WHERE id = ?`, reply, at, now, id); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, entry)
		return err
	})
	return before, err
}
