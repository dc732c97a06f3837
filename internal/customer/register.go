package customer

import (
	"context"
	"net/url"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/mail"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/webhook"
)

// Registration is a validated registration form; PasswordHash is already
// computed (always, so that a registered address takes as long as a new
// one).
type Registration struct {
	Email        string // jp.Email-normalised
	PasswordHash string
	Profile      Profile
	Lang         string
	// Immediate makes the account active at once, with the welcome mail
	// and no confirmation link (the shop turned provisional registration
	// off). Guest orders are not attached: the address is not proven.
	Immediate bool
}

// mailData is what every customer mail template gets.
type mailData struct {
	ShopName string // in the mail's language: the 【shop】 subject prefix
	Name     string
	URL      string
	Hours    int
	Email    string
}

// SampleMail is the data the admin's template editor previews customer
// mails with: the same type the shop sends them with.
func SampleMail(event, lang, shopName string) (any, bool) {
	if !strings.HasPrefix(event, "customer_") {
		return nil, false
	}
	name := "山田 花子"
	if lang == "en" {
		name = "Hanako Yamada"
	}
	return mailData{ShopName: shopName, Name: name, URL: "https://shop.example.jp/entry/confirm?token=sample", Hours: int(ConfirmTTL.Hours()), Email: "hanako@example.jp"}, true
}

// send composes a mail for c (in c's language, with c's anti-phishing
// code) and writes it to the outbox in tx.
func send(ctx context.Context, tx *db.Tx, event, to string, c *Customer, data mailData) error {
	if data.Name == "" {
		data.Name = c.Name()
	}
	var err error
	if data.ShopName, err = settings.ShopNameIn(ctx, tx, i18n.Lang(c.Lang)); err != nil {
		return err
	}
	m, err := mail.Compose(ctx, tx, event, c.Lang, to, data, mail.WithCode(c.AntiPhishing))
	if err != nil {
		return err
	}
	_, err = mail.Enqueue(ctx, tx, m.About("", customerRef(c)))
	return err
}

// Register records a registration and mails a confirmation link valid
// for ConfirmTTL. The answer is the same whether or not the address is
// taken: for an address that already has an account, its owner is told
// by mail that someone tried to register with it (no link, nothing
// changed); a pending registration of the same address is replaced (only
// whoever reads the mailbox can complete either). Errors: Internal only.
func (s *Store) Register(ctx context.Context, reg *Registration) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		key := EmailKey(reg.Email)
		existing, err := byEmail(ctx, tx, key)
		if err != nil && shop.KindOf(err) != shop.NotFound {
			return err
		}
		if existing != nil && existing.Status != Pending {
			return send(ctx, tx, "customer_exists", existing.Email, existing, mailData{})
		}
		p := reg.Profile
		var nlAt any
		if p.Newsletter {
			nlAt = now
		}
		var id int64
		if existing == nil {
			err = tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, password_hash, family_name, given_name, family_kana, given_kana,
				company, phone, postal_code, pref, city, address1, address2, birthday, gender, newsletter, newsletter_at, terms_at, lang, created_at, updated_at)
				VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				reg.Email, key, reg.PasswordHash, p.FamilyName, p.GivenName, p.FamilyKana, p.GivenKana,
				p.Company, p.Phone, p.PostalCode, p.Pref, p.City, p.Address1, p.Address2, p.Birthday, p.Gender, p.Newsletter, nlAt, now, reg.Lang, now, now).Scan(&id)
			if err == nil {
				err = webhook.Emit(ctx, tx, webhook.CustomerCreated, map[string]any{"id": id, "status": "pending"})
			}
		} else {
			id = existing.ID
			_, err = tx.Exec(ctx, `UPDATE customers SET email = ?, password_hash = ?, family_name = ?, given_name = ?, family_kana = ?, given_kana = ?,
				company = ?, phone = ?, postal_code = ?, pref = ?, city = ?, address1 = ?, address2 = ?, birthday = ?, gender = ?,
				newsletter = ?, newsletter_at = ?, terms_at = ?, lang = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = 'pending'`,
				reg.Email, reg.PasswordHash, p.FamilyName, p.GivenName, p.FamilyKana, p.GivenKana,
				p.Company, p.Phone, p.PostalCode, p.Pref, p.City, p.Address1, p.Address2, p.Birthday, p.Gender,
				p.Newsletter, nlAt, now, reg.Lang, now, id)
		}
		if err != nil {
			return err
		}
		if reg.Immediate {
			if _, err := tx.Exec(ctx, `UPDATE customers SET status = 'active', confirmed_at = ? WHERE id = ? AND status = 'pending'`, now, id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM customer_tokens WHERE customer_id = ? AND purpose = 'confirm'`, id); err != nil {
				return err
			}
			return send(ctx, tx, "customer_welcome", reg.Email, &Customer{ID: id, Email: reg.Email, Profile: p, Lang: reg.Lang}, mailData{})
		}
		tok, err := newLink(ctx, tx, id, "confirm", "", ConfirmTTL)
		if err != nil {
			return err
		}
		c := &Customer{ID: id, Email: reg.Email, Profile: p, Lang: reg.Lang}
		return send(ctx, tx, "customer_confirm", reg.Email, c, mailData{URL: s.BaseURL + "/entry/confirm?token=" + url.QueryEscape(tok), Hours: int(ConfirmTTL.Hours())})
	})
}

// Confirm uses a confirmation link: the account becomes active, and guest
// orders placed earlier with the same (now proven) address are attached
// to it so they show in My Page. Errors: ErrLink.
func (s *Store) Confirm(ctx context.Context, tok string) (*Customer, error) {
	var c *Customer
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		id, _, err := useLink(ctx, tx, tok, "confirm")
		if err != nil {
			return err
		}
		now := tx.Now()
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE customers SET status = 'active', confirmed_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`, now, now, id))
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrLink
		}
		if c, err = ByID(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE orders SET customer_id = ? WHERE customer_id IS NULL AND LOWER(email) = ?`, id, EmailKey(c.Email)); err != nil {
			return err
		}
		return send(ctx, tx, "customer_welcome", c.Email, c, mailData{})
	})
	return c, err
}

// customerRef is c's ID for the mail log, nil before the account exists.
func customerRef(c *Customer) *int64 {
	if c == nil || c.ID == 0 {
		return nil
	}
	return &c.ID
}
