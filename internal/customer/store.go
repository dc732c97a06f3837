package customer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Store reads and writes customer accounts. BaseURL (no trailing slash)
// is what links in mails start with.
type Store struct {
	DB      *db.DB
	BaseURL string
	// Legacy, when set, checks password hashes imported from another shop
	// (internal/eccube); nil refuses them.
	Legacy LegacyChecker
}

// LegacyChecker checks a password against a hash imported from another
// shop. ok is false for a hash it does not know.
type LegacyChecker interface {
	Check(ctx context.Context, hash, password string) (ok bool, err error)
}

// NewStore returns a store on d.
func NewStore(d *db.DB, baseURL string) *Store { return &Store{DB: d, BaseURL: baseURL} }

// ErrLink is returned for a link that is unknown, expired, already used
// or tampered with: one message for all, the customer can do the same
// thing about each (ask for a new one).
var ErrLink = &shop.Error{Kind: shop.Invalid, Key: "customer.link_invalid"}

// ErrCredentials is the one answer to a failed sign-in, whatever failed.
var ErrCredentials = &shop.Error{Kind: shop.Unauthorized, Key: "customer.bad_credentials"}

const customerColumns = `id, email, status, password_hash, family_name, given_name, family_kana, given_kana, company,
	phone, postal_code, pref, city, address1, address2, birthday, gender, newsletter, newsletter_at, terms_at,
	anti_phishing, lang, note, version, created_at, updated_at, confirmed_at, last_login_at`

func scanCustomer(row interface{ Scan(...any) error }) (*Customer, error) {
	c := &Customer{}
	var nlAt, confAt, lastAt sql.NullTime
	err := row.Scan(&c.ID, &c.Email, &c.Status, &c.PasswordHash, &c.FamilyName, &c.GivenName, &c.FamilyKana, &c.GivenKana, &c.Company,
		&c.Phone, &c.PostalCode, &c.Pref, &c.City, &c.Address1, &c.Address2, &c.Birthday, &c.Gender, &c.Newsletter, &nlAt, &c.TermsAt,
		&c.AntiPhishing, &c.Lang, &c.Note, &c.Version, &c.CreatedAt, &c.UpdatedAt, &confAt, &lastAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("customer: scan: %w", err)
	}
	c.NewsletterAt, c.ConfirmedAt, c.LastLoginAt = timePtr(nlAt), timePtr(confAt), timePtr(lastAt)
	return c, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// ByID returns the customer with id. Errors: NotFound.
func ByID(ctx context.Context, q db.Queryer, id int64) (*Customer, error) {
	return scanCustomer(q.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
}

// byEmail returns the customer whose email_key is key. Errors: NotFound.
func byEmail(ctx context.Context, q db.Queryer, key string) (*Customer, error) {
	return scanCustomer(q.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE email_key = ?`, key))
}

// newLink stores a single-use token for a customer and returns the token
// for the mail. Earlier links of the same purpose stop working.
func newLink(ctx context.Context, tx *db.Tx, customerID int64, purpose, newEmail string, ttl time.Duration) (string, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM customer_tokens WHERE customer_id = ? AND purpose = ?`, customerID, purpose); err != nil {
		return "", err
	}
	tok := auth.NewToken()
	now := tx.Now()
	_, err := tx.Exec(ctx, `INSERT INTO customer_tokens (token_hash, customer_id, purpose, new_email, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, auth.HashToken(tok), customerID, purpose, newEmail, now.Add(ttl), now)
	return tok, err
}

// useLink consumes a single-use token: it is deleted whether or not it is
// still valid. Errors: ErrLink for an unknown, expired or used token.
func useLink(ctx context.Context, tx *db.Tx, tok, purpose string) (customerID int64, newEmail string, err error) {
	if len(tok) != 43 {
		return 0, "", ErrLink
	}
	var exp time.Time
	err = tx.QueryRow(ctx, `DELETE FROM customer_tokens WHERE token_hash = ? AND purpose = ? RETURNING customer_id, new_email, expires_at`,
		auth.HashToken(tok), purpose).Scan(&customerID, &newEmail, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrLink
	}
	if err != nil {
		return 0, "", err
	}
	if !tx.Now().Before(exp) {
		return 0, "", ErrLink
	}
	return customerID, newEmail, nil
}

// linkValid reports whether tok is a live link of purpose, without using
// it (the page that shows the form before the POST).
func (s *Store) LinkValid(ctx context.Context, tok, purpose string) bool {
	if len(tok) != 43 {
		return false
	}
	var exp time.Time
	err := s.DB.QueryRow(ctx, `SELECT expires_at FROM customer_tokens WHERE token_hash = ? AND purpose = ?`, auth.HashToken(tok), purpose).Scan(&exp)
	return err == nil && s.DB.Now().Before(exp)
}
