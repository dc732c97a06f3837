package eccube

import (
	"context"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/customer"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/points"
)

type ecCustomer struct {
	ID                           int64
	Status, Sex, Pref            id
	Name01, Name02, Kana01       text
	Kana02, Company, Postal      text
	Addr01, Addr02, Email, Phone text
	Password, Salt, Note         text
	Birth                        stamp
	Point                        num
	Created, Updated             stamp
	addresses                    []ecAddress
}

type ecAddress struct {
	ID                                                            int64
	Pref                                                          id
	Name01, Name02, Kana01, Kana02, Postal, Addr01, Addr02, Phone text
	Created                                                       stamp
}

// customerStatus maps mtb_customer_status: 1 仮会員, 2 本会員, 3 退会.
var customerStatus = map[int64]string{1: "pending", 2: "active", 3: "withdrawn"}

// importCustomers imports the customers a batch at a time, each with its
// delivery addresses and points balance in its own transaction.
func (im *Importer) importCustomers(ctx context.Context) error {
	if im.AuthMagic == "" {
		im.rep.warn("customer", "-", "no ECCUBE_AUTH_MAGIC was given (--eccube-env): imported customers cannot sign in with their EC-CUBE passwords and must use \"forgot password\"")
	} else if !im.DryRun {
		if err := im.DB.Tx(ctx, func(tx *db.Tx) error { return sealMagic(ctx, tx, im.Secret, im.AuthMagic) }); err != nil {
			return err
		}
	}
	// Emails already taken in Akinai (by a customer of this shop or an
	// earlier run), to report duplicates instead of failing on them.
	taken := map[string]int64{}
	rows, err := im.DB.Query(ctx, `SELECT email_key, id FROM customers`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			rows.Close()
			return err
		}
		taken[k] = n
	}
	rows.Close()
	total, err := im.Source.count(ctx, "dtb_customer")
	if err != nil {
		return err
	}
	done := 0
	return im.batches(ctx, "dtb_customer", "", func(ids []int64) error {
		cs, err := im.readCustomers(ctx, ids)
		if err != nil {
			return err
		}
		for _, c := range cs {
			im.customer(ctx, c, taken)
			done++
			if done%1000 == 0 || done == total {
				im.progress("customers %d/%d", done, total)
			}
		}
		return nil
	})
}

func (im *Importer) readCustomers(ctx context.Context, ids []int64) ([]*ecCustomer, error) {
	in, args := inList(ids)
	byID := map[int64]*ecCustomer{}
	var cs []*ecCustomer
	err := im.Source.each(ctx, `SELECT id, customer_status_id, sex_id, pref_id, name01, name02, kana01, kana02, company_name, postal_code, addr01, addr02,
		email, phone_number, password, salt, note, birth, point, create_date, update_date FROM dtb_customer WHERE id IN (`+in+`) ORDER BY id`, args, func(sc func(...any) error) error {
		c := &ecCustomer{}
		if err := sc(&c.ID, &c.Status, &c.Sex, &c.Pref, &c.Name01, &c.Name02, &c.Kana01, &c.Kana02, &c.Company, &c.Postal, &c.Addr01, &c.Addr02,
			&c.Email, &c.Phone, &c.Password, &c.Salt, &c.Note, &c.Birth, &c.Point, &c.Created, &c.Updated); err != nil {
			return err
		}
		byID[c.ID] = c
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = im.Source.each(ctx, `SELECT id, customer_id, pref_id, name01, name02, kana01, kana02, postal_code, addr01, addr02, phone_number, create_date
		FROM dtb_customer_address WHERE customer_id IN (`+in+`) ORDER BY id`, args, func(sc func(...any) error) error {
		var a ecAddress
		var cid int64
		if err := sc(&a.ID, &cid, &a.Pref, &a.Name01, &a.Name02, &a.Kana01, &a.Kana02, &a.Postal, &a.Addr01, &a.Addr02, &a.Phone, &a.Created); err != nil {
			return err
		}
		if c := byID[cid]; c != nil {
			c.addresses = append(c.addresses, a)
		}
		return nil
	})
	return cs, err
}

func validPref(p id) bool { return p.Valid && p.V >= 1 && p.V <= 47 }

// customer checks and imports one customer.
func (im *Importer) customer(ctx context.Context, c *ecCustomer, taken map[string]int64) {
	im.rep.seen("customer")
	for f, t := range map[string]text{"name01": c.Name01, "name02": c.Name02, "kana01": c.Kana01, "kana02": c.Kana02, "addr01": c.Addr01, "addr02": c.Addr02, "company_name": c.Company, "note": c.Note} {
		im.checkText("customer", c.ID, f, t)
	}
	status, ok := customerStatus[c.Status.V]
	if !ok {
		im.rep.refuse("customer", c.ID, "unknown customer status %d", c.Status.V)
		return
	}
	existing, had := im.mapped("customer", c.ID)
	email := strings.TrimSpace(c.Email.S)
	key := customer.EmailKey(email)
	if status == "withdrawn" {
		// EC-CUBE replaces a withdrawn member's address with a random
		// dummy; Akinai keeps withdrawn accounts under a key of their own.
		key = "withdrawn-eccube-" + strconv.FormatInt(c.ID, 10)
	} else {
		if !strings.Contains(email, "@") || c.Email.Bad {
			im.rep.refuse("customer", c.ID, "the email address %q is not valid", email)
			return
		}
		if owner, dup := taken[key]; dup && owner != existing {
			im.rep.refuse("customer", c.ID, "the email address %s is used by another customer (imported first); merge them in EC-CUBE or import this one by hand", email)
			return
		}
	}
	hash := legacyHash(c.Password.S, c.Salt.S)
	if status == "withdrawn" {
		hash = ""
	}
	gender := map[int64]string{1: "male", 2: "female"}[c.Sex.V]
	pref := int64(0)
	if validPref(c.Pref) {
		pref = c.Pref.V
	}
	pts := c.Point.Int()
	if pts < 0 {
		im.rep.warn("points", c.ID, "negative points balance %d imported as 0", pts)
		pts = 0
	}
	if pts > 0 && status != "withdrawn" {
		im.rep.seen("points")
	}
	if im.DryRun {
		if status != "withdrawn" {
			taken[key] = -c.ID
		}
		im.m("customer")[strconv.FormatInt(c.ID, 10)] = -1
		im.rep.done("customer", had)
		if status == "withdrawn" {
			return
		}
		for _, a := range c.addresses {
			im.rep.seen("address")
			if im.addressOK(c.ID, a) {
				im.rep.imported("address")
			}
		}
		if pts > 0 {
			im.rep.imported("points")
		}
		return
	}
	created := c.Created.or(im.now)
	im.unit(ctx, "customer", c.ID, func(tx *db.Tx) ([]func(), error) {
		var after []func()
		now := tx.Now()
		f := []any{c.Name01.S, c.Name02.S, c.Kana01.S, c.Kana02.S, c.Company.S, digits(c.Phone.S), digits(c.Postal.S), pref, c.Addr01.S, c.Addr02.S}
		if status == "withdrawn" {
			// Akinai keeps no personal data of a withdrawn account.
			email = ""
			f = []any{"", "", "", "", "", "", "", 0, "", ""}
		}
		cid := existing
		if had {
			// A customer who already signed in on Akinai has an argon2id
			// hash: never put the legacy one back.
			if _, err := tx.Exec(ctx, `UPDATE customers SET email = ?, email_key = ?, status = ?, family_name = ?, given_name = ?, family_kana = ?, given_kana = ?,
				company = ?, phone = ?, postal_code = ?, pref = ?, city = ?, address1 = ?, birthday = ?, gender = ?, note = ?, updated_at = ?, version = version + 1,
				password_hash = CASE WHEN password_hash LIKE '$eccube$%' OR password_hash = '' THEN ? ELSE password_hash END WHERE id = ?`,
				append(append([]any{email, key, status}, f...), c.Birth.date(), gender, c.Note.S, now, hash, cid)...); err != nil {
				return nil, err
			}
		} else {
			var confirmed, withdrawn any
			if status == "active" {
				confirmed = created
			}
			if status == "withdrawn" {
				withdrawn = c.Updated.or(now)
			}
			if err := tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, password_hash, family_name, given_name, family_kana, given_kana,
				company, phone, postal_code, pref, city, address1, birthday, gender, terms_at, note, created_at, updated_at, confirmed_at, withdrawn_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				append(append([]any{email, key, status, hash}, f...), c.Birth.date(), gender, created, c.Note.S, created, c.Updated.or(now), confirmed, withdrawn)...).Scan(&cid); err != nil {
				return nil, err
			}
			fm, err := im.remember(ctx, tx, "customer", c.ID, cid)
			if err != nil {
				return nil, err
			}
			after = append(after, fm)
		}
		if status != "withdrawn" {
			for _, a := range c.addresses {
				im.rep.seen("address")
				if _, done := im.mapped("address", a.ID); done {
					im.rep.updated("address")
					continue
				}
				if !im.addressOK(c.ID, a) {
					continue
				}
				var aid int64
				if err := tx.QueryRow(ctx, `INSERT INTO customer_addresses (customer_id, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1, address2, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, cid, a.Name01.S, a.Name02.S, a.Kana01.S, a.Kana02.S, digits(a.Phone.S), digits(a.Postal.S),
					a.Pref.V, a.Addr01.S, a.Addr02.S, "", a.Created.or(now)).Scan(&aid); err != nil {
					return nil, err
				}
				fa, err := im.remember(ctx, tx, "address", a.ID, aid)
				if err != nil {
					return nil, err
				}
				after = append(after, fa)
				im.rep.imported("address")
			}
			if err := im.setPoints(ctx, tx, c.ID, cid, pts); err != nil {
				return nil, err
			}
		}
		im.rep.done("customer", had)
		return append(after, func() { taken[key] = cid }), nil
	})
}

// addressOK checks a delivery address; Akinai needs a prefecture.
func (im *Importer) addressOK(cust int64, a ecAddress) bool {
	if !validPref(a.Pref) {
		im.rep.refuse("address", a.ID, "customer %d: the delivery address has no prefecture", cust)
		return false
	}
	return true
}

// setPoints brings the customer's points balance to EC-CUBE's through the
// points ledger (one "adjusted" row saying where the points came from),
// so a second run changes nothing when the balance is already right.
func (im *Importer) setPoints(ctx context.Context, tx *db.Tx, old, cid, want int64) error {
	have, err := points.Balance(ctx, tx, cid)
	if err != nil {
		return err
	}
	if have == want {
		return nil
	}
	if err := points.Adjust(ctx, tx, cid, want-have, "EC-CUBEから移行 (会員ID "+strconv.FormatInt(old, 10)+")", "eccube-import"); err != nil {
		return err
	}
	im.rep.imported("points")
	return nil
}
