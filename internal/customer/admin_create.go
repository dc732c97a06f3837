package customer

import (
	"context"
	"net/url"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// PasswordSetTTL is how long the password-set link mailed to a customer
// the shop registered stays valid: longer than a reset link, since the
// customer did not ask for it and may read it days later. After it, the
// customer sets a password through "forgot password" like anyone else.
const PasswordSetTTL = 7 * 24 * time.Hour

// NewAccount is an account the shop creates (会員登録 from the admin or
// a CSV import): no password — the shop never chooses or sees one.
type NewAccount struct {
	Email   string // jp.Email-normalised
	Profile Profile
	Lang    string // "ja" or "en"
	RankID  int64  // 0: in no rank
}

// ErrEmailTaken is the answer when an account (of any status but
// withdrawn) already has the address.
var ErrEmailTaken = &shop.Error{Kind: shop.Conflict, Key: "customers13.email_taken", Fields: map[string]string{"email": "customers13.email_taken"}}

// CreateByShop creates an active account in tx and returns its ID. The
// account has no password until its owner sets one: with sendLink, a
// password-set link valid for PasswordSetTTL is mailed now (through the
// outbox, in tx); without, the owner can use "forgot password" whenever
// they like. terms_at records when the account was made: the shop took
// the customer's consent outside the site. Errors: ErrEmailTaken.
func (s *Store) CreateByShop(ctx context.Context, tx *db.Tx, a NewAccount, sendLink bool) (int64, error) {
	now := tx.Now()
	key := EmailKey(a.Email)
	if _, err := byEmail(ctx, tx, key); err == nil {
		return 0, ErrEmailTaken
	} else if shop.KindOf(err) != shop.NotFound {
		return 0, err
	}
	p := a.Profile
	var nlAt, rank any
	if p.Newsletter {
		nlAt = now
	}
	if a.RankID != 0 {
		rank = a.RankID
	}
	if a.Lang != "en" {
		a.Lang = "ja"
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, password_hash, family_name, given_name, family_kana, given_kana,
		company, phone, postal_code, pref, city, address1, address2, birthday, gender, newsletter, newsletter_at, terms_at, lang,
		rank_id, created_at, updated_at, confirmed_at)
		VALUES (?, ?, 'active', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Email, key, p.FamilyName, p.GivenName, p.FamilyKana, p.GivenKana,
		p.Company, p.Phone, p.PostalCode, p.Pref, p.City, p.Address1, p.Address2, p.Birthday, p.Gender, p.Newsletter, nlAt, now, a.Lang,
		rank, now, now, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, ErrEmailTaken
	}
	if err != nil {
		return 0, err
	}
	if err := webhook.Emit(ctx, tx, webhook.CustomerCreated, map[string]any{"id": id, "status": "active"}); err != nil {
		return 0, err
	}
	if sendLink {
		c := &Customer{ID: id, Email: a.Email, Profile: p, Lang: a.Lang}
		if err := s.sendPasswordSet(ctx, tx, c); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// SendPasswordSet mails an active account a new password-set link (the
// shop's "send the link again"). Errors: NotFound; Conflict
// "customers13.not_active" for an account that is not active.
func (s *Store) SendPasswordSet(ctx context.Context, tx *db.Tx, id int64) error {
	c, err := ByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if c.Status != Active {
		return shop.Errorf(shop.Conflict, "customers13.not_active")
	}
	return s.sendPasswordSet(ctx, tx, c)
}

// sendPasswordSet stores a reset-purpose link with the longer lifetime
// and mails it as the "customer_invite" mail: the page it opens is the
// password reset page, which also signs nobody in by itself.
func (s *Store) sendPasswordSet(ctx context.Context, tx *db.Tx, c *Customer) error {
	tok, err := newLink(ctx, tx, c.ID, "reset", "", PasswordSetTTL)
	if err != nil {
		return err
	}
	return send(ctx, tx, "customer_invite", c.Email, c, mailData{URL: s.BaseURL + "/forgot/reset?token=" + url.QueryEscape(tok), Hours: int(PasswordSetTTL.Hours())})
}
