package customer

import (
	"context"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
)

// Exported is everything the shop holds about one customer, for the
// customer's own download (個人情報保護法 33: disclosure on request).
type Exported struct {
	Email        string           `json:"email"`
	Status       string           `json:"status"`
	Profile      exportedProfile  `json:"profile"`
	Newsletter   bool             `json:"newsletter"`
	NewsletterAt *time.Time       `json:"newsletter_consent_at,omitempty"`
	TermsAt      time.Time        `json:"terms_accepted_at"`
	CreatedAt    time.Time        `json:"created_at"`
	LastLoginAt  *time.Time       `json:"last_login_at,omitempty"`
	AntiPhishing string           `json:"anti_phishing_code"`
	Addresses    []order.Address  `json:"addresses"`
	Favorites    []Favorite       `json:"favorites"`
	Orders       []*order.Order   `json:"orders"`
	Reviews      []ExportedReview `json:"reviews"`
}

type exportedProfile struct {
	order.Address
	Company  string `json:"company"`
	Birthday string `json:"birthday"`
	Gender   string `json:"gender"`
}

// Export gathers one customer's data, orders with their lines included.
func Export(ctx context.Context, q db.Queryer, customerID int64) (*Exported, error) {
	c, err := ByID(ctx, q, customerID)
	if err != nil {
		return nil, err
	}
	x := &Exported{Email: c.Email, Status: c.Status, Newsletter: c.Newsletter, NewsletterAt: c.NewsletterAt, TermsAt: c.TermsAt,
		CreatedAt: c.CreatedAt, LastLoginAt: c.LastLoginAt, AntiPhishing: c.AntiPhishing,
		Profile:   exportedProfile{Address: c.Address, Company: c.Company, Birthday: c.Birthday, Gender: c.Gender},
		Addresses: []order.Address{}, Favorites: []Favorite{}, Orders: []*order.Order{}}
	addrs, err := Addresses(ctx, q, customerID)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		x.Addresses = append(x.Addresses, a.Address)
	}
	if f, err := Favorites(ctx, q, customerID); err != nil {
		return nil, err
	} else if f != nil {
		x.Favorites = f
	}
	list, _, err := Orders(ctx, q, customerID, 10000, 0)
	if err != nil {
		return nil, err
	}
	for _, s := range list {
		o, _, err := OrderOf(ctx, q, customerID, s.Number)
		if err != nil {
			return nil, err
		}
		o.IdempotencyKey = ""
		x.Orders = append(x.Orders, o)
	}
	x.Reviews, err = exportReviews(ctx, q, customerID)
	return x, err
}
