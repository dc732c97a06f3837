package customer

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"time"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/throttle"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// ResetMailsPerAddress is how many reset mails one address may receive
// per hour (more would only fill the owner's mailbox).
const ResetMailsPerAddress = 5

// RequestReset mails a password-reset link valid for ResetTTL to the
// address if it belongs to an active account, and does nothing visible
// otherwise; the caller shows the same page in both cases. Errors:
// Internal only.
//
// Timing: both paths do the same kind of work in one write transaction,
// so the response time does not say whether the address is registered
// (ASVS 6.3.8). Each path looks the address up, counts a per-address
// throttle row (a write, known or not; keyed by a hash, so the table
// holds no address), makes and hashes a token, renders the mail, and
// runs one DELETE on customer_tokens. The known path then inserts the
// token and the outbox row; the unknown path instead probes the same
// token index and the outbox — two index writes against two index reads,
// well under network jitter. Sending happens later in the mail worker,
// so SMTP time is never part of the response.
func (s *Store) RequestReset(ctx context.Context, email string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		c, err := byEmail(ctx, tx, EmailKey(email))
		if err != nil && shop.KindOf(err) != shop.NotFound {
			return err
		}
		known := c != nil && c.Status == Active
		if !known { // a stand-in with the same shape as a real customer
			c = &Customer{Email: email, Lang: "ja", Profile: Profile{Address: order.Address{FamilyName: "-", GivenName: "-"}}}
		}
		allowed, _, err := throttle.Hit(ctx, tx, "customer.reset.account", accountKey(email), ResetMailsPerAddress, time.Hour)
		if err != nil {
			return err
		}
		tok := auth.NewToken()
		hash := auth.HashToken(tok)
		shopName, err := settings.ShopNameIn(ctx, tx, i18n.Lang(c.Lang))
		if err != nil {
			return err
		}
		m, err := mail.Compose(ctx, tx, "customer_reset", c.Lang, c.Email,
			mailData{ShopName: shopName, Name: c.Name(), URL: s.BaseURL + "/forgot/reset?token=" + url.QueryEscape(tok)}, mail.WithCode(c.AntiPhishing))
		if err != nil {
			return err
		}
		if !known || !allowed {
			// The same statements' cost without their effect.
			if _, err := tx.Exec(ctx, `DELETE FROM customer_tokens WHERE token_hash = ? AND purpose = 'reset'`, hash); err != nil {
				return err
			}
			var n int
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM customer_tokens WHERE token_hash = ?`, hash).Scan(&n)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM customer_tokens WHERE customer_id = ? AND purpose = 'reset'`, c.ID); err != nil {
			return err
		}
		now := tx.Now()
		if _, err := tx.Exec(ctx, `INSERT INTO customer_tokens (token_hash, customer_id, purpose, new_email, expires_at, created_at)
			VALUES (?, ?, 'reset', '', ?, ?)`, hash, c.ID, now.Add(ResetTTL), now); err != nil {
			return err
		}
		_, err = mail.Enqueue(ctx, tx, m.About("", customerRef(c)))
		return err
	})
}

// linkOwner returns the customer a live link belongs to, without using
// it. Errors: ErrLink.
func (s *Store) linkOwner(ctx context.Context, tok, purpose string) (*Customer, error) {
	if !s.LinkValid(ctx, tok, purpose) {
		return nil, ErrLink
	}
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT customer_id FROM customer_tokens WHERE token_hash = ?`, auth.HashToken(tok)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLink
	}
	if err != nil {
		return nil, err
	}
	return ByID(ctx, s.DB, id)
}

// ResetPassword sets a new password through a reset link, signs the
// customer out everywhere and mails a notice. A password the policy
// refuses leaves the link usable. Errors: ErrLink; the Invalid errors of
// auth.ValidateNewPassword (field "password").
func (s *Store) ResetPassword(ctx context.Context, tok, password string) error {
	c, err := s.linkOwner(ctx, tok, "reset")
	if err != nil {
		return err
	}
	if err := auth.ValidateNewPassword(password, c.Email, c.FamilyName, c.GivenName); err != nil {
		return err
	}
	h, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		id, _, err := useLink(ctx, tx, tok, "reset")
		if err != nil {
			return err
		}
		if id != c.ID {
			return ErrLink
		}
		return setPassword(ctx, tx, c, h, "")
	})
}

// setPassword stores a new hash, ends every session but keep and mails the
// notice (no link in it: a notice that asks to click is what phishers
// imitate).
func setPassword(ctx context.Context, tx *db.Tx, c *Customer, hash, keep string) error {
	now := tx.Now()
	if _, err := tx.Exec(ctx, `UPDATE customers SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?`, hash, now, c.ID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM customer_tokens WHERE customer_id = ? AND purpose = 'reset'`, c.ID); err != nil {
		return err
	}
	if err := endOthers(ctx, tx, c.ID, keep); err != nil {
		return err
	}
	return send(ctx, tx, "customer_password_changed", c.Email, c, mailData{})
}

// ChangePassword changes a signed-in customer's password after checking
// the current one, and ends every other session. Errors: Invalid with
// field "current" (customer.bad_password) or "password" (policy).
func (s *Store) ChangePassword(ctx context.Context, c *Customer, current, password, keep string) error {
	if ok, _, _ := auth.CheckPassword(c.PasswordHash, current); !ok {
		return shop.Invalidf(map[string]string{"current": "customer.bad_password"})
	}
	if err := auth.ValidateNewPassword(password, c.Email, c.FamilyName, c.GivenName); err != nil {
		return err
	}
	h, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error { return setPassword(ctx, tx, c, h, keep) })
}

// RequestEmailChange mails a confirmation link to the new address; the
// address changes only when it is followed. If the new address already
// has an account, its owner gets the "someone tried" mail instead and the
// caller shows the same page: no hint either way. Errors: Invalid with
// field "current" for a wrong password.
func (s *Store) RequestEmailChange(ctx context.Context, c *Customer, current, newEmail string) error {
	if ok, _, _ := auth.CheckPassword(c.PasswordHash, current); !ok {
		return shop.Invalidf(map[string]string{"current": "customer.bad_password"})
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		other, err := byEmail(ctx, tx, EmailKey(newEmail))
		if err != nil && shop.KindOf(err) != shop.NotFound {
			return err
		}
		if other != nil {
			if other.ID == c.ID || other.Status == Pending {
				return nil
			}
			return send(ctx, tx, "customer_exists", other.Email, other, mailData{})
		}
		tok, err := newLink(ctx, tx, c.ID, "email", newEmail, EmailChangeTTL)
		if err != nil {
			return err
		}
		return send(ctx, tx, "customer_email_confirm", newEmail, c, mailData{URL: s.BaseURL + "/mypage/email/confirm?token=" + url.QueryEscape(tok), Hours: int(EmailChangeTTL.Hours()), Email: newEmail})
	})
}

// ConfirmEmailChange uses an email-change link: the account's address
// becomes the new one and the old address gets a notice. Errors: ErrLink,
// also when the new address was registered by someone else meanwhile.
func (s *Store) ConfirmEmailChange(ctx context.Context, tok string) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		id, newEmail, err := useLink(ctx, tx, tok, "email")
		if err != nil {
			return err
		}
		c, err := ByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Status != Active {
			return ErrLink
		}
		now := tx.Now()
		_, err = tx.Exec(ctx, `UPDATE customers SET email = ?, email_key = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			newEmail, EmailKey(newEmail), now, id)
		if db.IsUniqueViolation(err) {
			return ErrLink
		}
		if err != nil {
			return err
		}
		return send(ctx, tx, "customer_email_changed", c.Email, c, mailData{Email: newEmail})
	})
}
