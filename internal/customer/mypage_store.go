package customer

import (
	"context"
	"fmt"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// SavedAddress is a saved delivery address.
type SavedAddress struct {
	ID int64
	order.Address
}

// Addresses returns a customer's saved addresses, oldest first.
func Addresses(ctx context.Context, q db.Queryer, customerID int64) ([]SavedAddress, error) {
	rows, err := q.Query(ctx, `SELECT id, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2
		FROM customer_addresses WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SavedAddress
	for rows.Next() {
		var a SavedAddress
		if err := rows.Scan(&a.ID, &a.FamilyName, &a.GivenName, &a.FamilyKana, &a.GivenKana, &a.Phone, &a.PostalCode, &a.Pref, &a.City, &a.Address1, &a.Address2); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SaveAddress adds an address (id 0) or replaces one of the customer's.
// Errors: Invalid "customer.too_many_addresses" past MaxAddresses;
// NotFound for another customer's address.
func (s *Store) SaveAddress(ctx context.Context, customerID, id int64, a order.Address) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if id != 0 {
			n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE customer_addresses SET family_name = ?, given_name = ?, family_kana = ?, given_kana = ?,
				phone = ?, postal_code = ?, pref = ?, city = ?, address1 = ?, address2 = ? WHERE id = ? AND customer_id = ?`,
				a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana, a.Phone, a.PostalCode, a.Pref, a.City, a.Address1, a.Address2, id, customerID))
			if err == nil && n == 0 {
				return shop.ErrNotFound
			}
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM customer_addresses WHERE customer_id = ?`, customerID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxAddresses {
			return shop.Errorf(shop.Invalid, "customer.too_many_addresses", MaxAddresses)
		}
		_, err := tx.Exec(ctx, `INSERT INTO customer_addresses (customer_id, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			customerID, a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana, a.Phone, a.PostalCode, a.Pref, a.City, a.Address1, a.Address2, tx.Now())
		return err
	})
}

// DeleteAddress removes one of the customer's addresses. Errors: NotFound.
func (s *Store) DeleteAddress(ctx context.Context, customerID, id int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM customer_addresses WHERE id = ? AND customer_id = ?`, id, customerID))
		if err == nil && n == 0 {
			return shop.ErrNotFound
		}
		return err
	})
}

// UpdateProfile stores a customer's profile and mails a change notice.
// The newsletter consent time is set when the box goes from off to on and
// cleared when it goes off.
func (s *Store) UpdateProfile(ctx context.Context, c *Customer, p Profile) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var nlAt any
		switch {
		case p.Newsletter && c.Newsletter && c.NewsletterAt != nil:
			nlAt = *c.NewsletterAt
		case p.Newsletter:
			nlAt = now
		}
		_, err := tx.Exec(ctx, `UPDATE customers SET family_name = ?, given_name = ?, family_kana = ?, given_kana = ?, company = ?, phone = ?,
			postal_code = ?, pref = ?, city = ?, address1 = ?, address2 = ?, birthday = ?, gender = ?, newsletter = ?, newsletter_at = ?,
			updated_at = ?, version = version + 1 WHERE id = ?`,
			p.FamilyName, p.GivenName, p.FamilyKana, p.GivenKana, p.Company, p.Phone, p.PostalCode, p.Pref, p.City, p.Address1, p.Address2,
			p.Birthday, p.Gender, p.Newsletter, nlAt, now, c.ID)
		if err != nil {
			return err
		}
		cc := *c
		cc.Profile = p
		return send(ctx, tx, "customer_profile_changed", c.Email, &cc, mailData{})
	})
}

// SetAntiPhishing sets the code every mail to the customer shows (""
// removes it). Errors: Invalid "mail.bad_code" (field "code").
func (s *Store) SetAntiPhishing(ctx context.Context, customerID int64, code string) error {
	if code != "" {
		if err := mail.ValidateCode(code); err != nil {
			return err
		}
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE customers SET anti_phishing = ?, updated_at = ? WHERE id = ?`, code, tx.Now(), customerID)
		return err
	})
}

// Favorite is a product on a customer's list.
type Favorite struct {
	ProductID      int64
	Slug           string
	NameJA, NameEN string
	AddedAt        time.Time
}

// Favorites returns a customer's favourites, newest first, public products
// only.
func Favorites(ctx context.Context, q db.Queryer, customerID int64) ([]Favorite, error) {
	rows, err := q.Query(ctx, `SELECT p.id, p.slug, p.name_ja, p.name_en, f.created_at FROM customer_favorites f
		JOIN products p ON p.id = f.product_id WHERE f.customer_id = ? AND p.status = 'public' ORDER BY f.created_at DESC, p.id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Favorite
	for rows.Next() {
		var f Favorite
		if err := rows.Scan(&f.ProductID, &f.Slug, &f.NameJA, &f.NameEN, &f.AddedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AddFavorite puts a public product on the list (twice is once) and
// returns its slug. Errors: NotFound for an unknown or hidden product.
func (s *Store) AddFavorite(ctx context.Context, customerID, productID int64) (string, error) {
	var slug string
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT slug FROM products WHERE id = ? AND status = 'public'`, productID).Scan(&slug); err != nil {
			return shop.ErrNotFound
		}
		_, err := tx.Exec(ctx, `INSERT INTO customer_favorites (customer_id, product_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (customer_id, product_id) DO NOTHING`, customerID, productID, tx.Now())
		return err
	})
	return slug, err
}

// RemoveFavorite takes a product off the list.
func (s *Store) RemoveFavorite(ctx context.Context, customerID, productID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM customer_favorites WHERE customer_id = ? AND product_id = ?`, customerID, productID)
		return err
	})
}

// Withdraw closes an account after checking its password and scrubs its
// personal data in one transaction. Errors: Invalid field "current".
//
// What is removed: name, kana, company, phone, postal address, birthday,
// gender, the password, the anti-phishing code, the note, the newsletter
// consent; the address is replaced by "withdrawn-<id>@invalid" so it can
// register again; saved addresses, favourites, sessions, links and carts
// are deleted, and so are outbox mails to the address that were already
// sent (they hold the name and address); mails still pending (this
// goodbye notice) are scrubbed by Sweep once sent.
//
// What stays: the orders, with the buyer and recipient snapshot they were
// placed with. Orders are transaction records the shop must keep (法人税法
// and 所得税法 bookkeeping: 7 years; 消費税法 57-4: copies of qualified
// invoices, 7 years; 特定商取引法 dispute handling), so their names,
// addresses, email and amounts are kept until that period ends; they stay
// linked to the (now empty) account row so the shop can answer a
// disclosure request for them.
func (s *Store) Withdraw(ctx context.Context, c *Customer, current string) error {
	if ok, _, _ := auth.CheckPassword(c.PasswordHash, current); !ok {
		return shop.Invalidf(map[string]string{"current": "customer.bad_password"})
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := send(ctx, tx, "customer_withdrawn", c.Email, c, mailData{}); err != nil {
			return err
		}
		return scrub(ctx, tx, c)
	})
}

// scrub removes a customer's personal data (see Withdraw).
func scrub(ctx context.Context, tx *db.Tx, c *Customer) error {
	now := tx.Now()
	placeholder := fmt.Sprintf("withdrawn-%d@invalid", c.ID)
	stmts := []struct {
		q    string
		args []any
	}{
		{`UPDATE customers SET status = 'withdrawn', email = ?, email_key = ?, password_hash = '', family_name = '', given_name = '',
			family_kana = '', given_kana = '', company = '', phone = '', postal_code = '', pref = 0, city = '', address1 = '', address2 = '',
			birthday = '', gender = '', newsletter = ?, newsletter_at = NULL, anti_phishing = '', note = '', withdrawn_at = ?, updated_at = ?,
			version = version + 1 WHERE id = ?`, []any{placeholder, placeholder, false, now, now, c.ID}},
		{`DELETE FROM customer_addresses WHERE customer_id = ?`, []any{c.ID}},
		{`DELETE FROM customer_favorites WHERE customer_id = ?`, []any{c.ID}},
		{`DELETE FROM customer_passkeys WHERE customer_id = ?`, []any{c.ID}},
		{`UPDATE customers SET webauthn_id = '' WHERE id = ?`, []any{c.ID}},
		{`DELETE FROM customer_sessions WHERE customer_id = ?`, []any{c.ID}},
		{`DELETE FROM customer_tokens WHERE customer_id = ?`, []any{c.ID}},
		{`DELETE FROM carts WHERE customer_id = ?`, []any{c.ID}},
		{`DELETE FROM outbox WHERE LOWER(to_addr) = ? AND status <> 'pending'`, []any{EmailKey(c.Email)}},
		// Mails still to be sent (the goodbye notice) keep their address
		// until the worker has sent them; the sweep scrubs them after.
		{`INSERT INTO customer_outbox_scrub (outbox_id, customer_id, created_at) SELECT id, ?, ? FROM outbox WHERE LOWER(to_addr) = ? AND status = 'pending'
			ON CONFLICT (outbox_id) DO NOTHING`, []any{c.ID, now, EmailKey(c.Email)}},
	}
	for _, st := range stmts {
		if _, err := tx.Exec(ctx, st.q, st.args...); err != nil {
			return err
		}
	}
	return nil
}
