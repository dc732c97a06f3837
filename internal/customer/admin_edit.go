package customer

import (
	"context"
	"net/url"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

// ErrEditedMeanwhile is the answer to a save based on an old version of
// the account: someone (the customer or another admin) saved first.
var ErrEditedMeanwhile = &shop.Error{Kind: shop.Conflict, Key: "customer.edited_meanwhile"}

// AdminUpdateProfile stores the shop's edit of a customer's profile, in
// the caller's transaction (which also writes the audit entry), if the
// account is still at version. It returns the names of the fields that
// changed (for the audit entry: names, never values). Errors: NotFound;
// Conflict ErrEditedMeanwhile; Conflict "customer.already_withdrawn".
func AdminUpdateProfile(ctx context.Context, tx *db.Tx, id int64, version int, p Profile) ([]string, error) {
	c, err := ByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if c.Status == Withdrawn {
		return nil, shop.Errorf(shop.Conflict, "customer.already_withdrawn")
	}
	if c.Version != version {
		return nil, ErrEditedMeanwhile
	}
	now := tx.Now()
	var nlAt any
	switch {
	case p.Newsletter && c.Newsletter && c.NewsletterAt != nil:
		nlAt = *c.NewsletterAt
	case p.Newsletter:
		nlAt = now
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE customers SET family_name = ?, given_name = ?, family_kana = ?, given_kana = ?, company = ?, phone = ?,
		postal_code = ?, pref = ?, city = ?, address1 = ?, address2 = ?, birthday = ?, gender = ?, newsletter = ?, newsletter_at = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		p.FamilyName, p.GivenName, p.FamilyKana, p.GivenKana, p.Company, p.Phone, p.PostalCode, p.Pref, p.City, p.Address1, p.Address2,
		p.Birthday, p.Gender, p.Newsletter, nlAt, now, id, version))
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrEditedMeanwhile
	}
	return changedFields(c.Profile, p), nil
}

// changedFields names the fields that differ between a and b.
func changedFields(a, b Profile) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"family_name", a.FamilyName == b.FamilyName}, {"given_name", a.GivenName == b.GivenName},
		{"family_kana", a.FamilyKana == b.FamilyKana}, {"given_kana", a.GivenKana == b.GivenKana},
		{"company", a.Company == b.Company}, {"phone", a.Phone == b.Phone}, {"postal_code", a.PostalCode == b.PostalCode},
		{"pref", a.Pref == b.Pref}, {"city", a.City == b.City}, {"address1", a.Address1 == b.Address1}, {"address2", a.Address2 == b.Address2},
		{"birthday", a.Birthday == b.Birthday}, {"gender", a.Gender == b.Gender}, {"newsletter", a.Newsletter == b.Newsletter},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// AdminSaveAddress replaces one of a customer's saved addresses in the
// caller's transaction. Errors: NotFound (also for another customer's
// address).
func AdminSaveAddress(ctx context.Context, tx *db.Tx, customerID, id int64, a order.Address) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE customer_addresses SET family_name = ?, given_name = ?, family_kana = ?, given_kana = ?,
		phone = ?, postal_code = ?, pref = ?, city = ?, address1 = ?, address2 = ? WHERE id = ? AND customer_id = ?`,
		a.FamilyName, a.GivenName, a.FamilyKana, a.GivenKana, a.Phone, a.PostalCode, a.Pref, a.City, a.Address1, a.Address2, id, customerID))
	if err == nil && n == 0 {
		return shop.ErrNotFound
	}
	return err
}

// ResendConfirmation mails a new confirmation link (valid ConfirmTTL) to
// a pending account, in the caller's transaction; earlier links stop
// working. Errors: NotFound; Conflict "customer.not_pending".
func (s *Store) ResendConfirmation(ctx context.Context, tx *db.Tx, id int64) error {
	c, err := ByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if c.Status != Pending {
		return shop.Errorf(shop.Conflict, "customer.not_pending")
	}
	tok, err := newLink(ctx, tx, id, "confirm", "", ConfirmTTL)
	if err != nil {
		return err
	}
	// A resend restarts the PendingTTL clock: the sweep counts from the
	// last time the shop or the customer asked for a link.
	if _, err := tx.Exec(ctx, `UPDATE customers SET updated_at = ? WHERE id = ?`, tx.Now(), id); err != nil {
		return err
	}
	return send(ctx, tx, "customer_confirm", c.Email, c, mailData{URL: s.BaseURL + "/entry/confirm?token=" + url.QueryEscape(tok), Hours: int(ConfirmTTL.Hours())})
}
