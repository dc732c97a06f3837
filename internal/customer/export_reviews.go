package customer

import (
	"context"
	"time"

	"github.com/akinai/akinai/internal/db"
)

// ExportedReview is one of the customer's product reviews
// (internal/review), with the address it was posted from, which the
// shop keeps.
type ExportedReview struct {
	Product   string     `json:"product"`
	Stars     int        `json:"stars"`
	Nickname  string     `json:"nickname"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Status    string     `json:"status"`
	Address   string     `json:"posted_from"`
	Reply     string     `json:"shop_reply,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	RepliedAt *time.Time `json:"replied_at,omitempty"`
}

func exportReviews(ctx context.Context, q db.Queryer, customerID int64) ([]ExportedReview, error) {
	rows, err := q.Query(ctx, `SELECT p.slug, r.stars, r.nickname, r.title, r.body, r.status, r.address, r.reply, r.created_at, r.replied_at
		FROM reviews r JOIN products p ON p.id = r.product_id WHERE r.customer_id = ? ORDER BY r.id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ExportedReview{}
	for rows.Next() {
		var e ExportedReview
		if err := rows.Scan(&e.Product, &e.Stars, &e.Nickname, &e.Title, &e.Body, &e.Status, &e.Address, &e.Reply, &e.CreatedAt, &e.RepliedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
