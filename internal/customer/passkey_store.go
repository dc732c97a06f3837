package customer

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// MaxPasskeys bounds how many passkeys one customer may register.
const MaxPasskeys = 10

// Passkey is a registered passkey as My Page lists it.
type Passkey struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	LastUsed  *time.Time
}

// Passkeys lists a customer's passkeys, oldest first.
func Passkeys(ctx context.Context, q db.Queryer, customerID int64) ([]Passkey, error) {
	rows, err := q.Query(ctx, `SELECT id, name, created_at, last_used_at FROM customer_passkeys WHERE customer_id = ? ORDER BY id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Passkey
	for rows.Next() {
		var p Passkey
		var last sql.NullTime
		if err := rows.Scan(&p.ID, &p.Name, &p.CreatedAt, &last); err != nil {
			return nil, err
		}
		p.LastUsed = timePtr(last)
		out = append(out, p)
	}
	return out, rows.Err()
}

// waUser is a customer as the WebAuthn library sees it.
type waUser struct {
	c      *Customer
	handle []byte
	creds  []webauthn.Credential
}

func (u *waUser) WebAuthnID() []byte                         { return u.handle }
func (u *waUser) WebAuthnName() string                       { return u.c.Email }
func (u *waUser) WebAuthnDisplayName() string                { return u.c.Name() }
func (u *waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// loadWAUser reads c's user handle (making one on first use when create
// is set) and credentials.
func loadWAUser(ctx context.Context, d *db.DB, c *Customer, create bool) (*waUser, error) {
	var handle string
	if err := d.QueryRow(ctx, `SELECT webauthn_id FROM customers WHERE id = ?`, c.ID).Scan(&handle); err != nil {
		return nil, err
	}
	if handle == "" && create {
		handle = auth.NewToken()
		err := d.Tx(ctx, func(tx *db.Tx) error {
			// Only if still unset: two tabs must not end with two handles.
			if _, err := tx.Exec(ctx, `UPDATE customers SET webauthn_id = ? WHERE id = ? AND webauthn_id = ''`, handle, c.ID); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT webauthn_id FROM customers WHERE id = ?`, c.ID).Scan(&handle)
		})
		if err != nil {
			return nil, err
		}
	}
	u := &waUser{c: c, handle: []byte(handle)}
	rows, err := d.Query(ctx, `SELECT credential FROM customer_passkeys WHERE customer_id = ? ORDER BY id`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		var cr webauthn.Credential
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &cr); err != nil {
			return nil, err
		}
		u.creds = append(u.creds, cr)
	}
	return u, rows.Err()
}

// customerByHandle returns the active customer whose user handle is h.
// Errors: Unauthorized for none.
func customerByHandle(ctx context.Context, d *db.DB, h []byte) (*Customer, error) {
	if len(h) == 0 {
		return nil, ErrCredentials
	}
	c, err := scanCustomer(d.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE webauthn_id = ?`, string(h)))
	if shop.KindOf(err) == shop.NotFound {
		return nil, ErrCredentials
	}
	return c, err
}

func credentialKey(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }

// addPasskey stores a new credential in tx and mails the notice.
// Errors: Invalid "customer.passkey.too_many"; Conflict (unique) for a
// credential already registered.
func addPasskey(ctx context.Context, tx *db.Tx, c *Customer, name string, cred *webauthn.Credential) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM customer_passkeys WHERE customer_id = ?`, c.ID).Scan(&n); err != nil {
		return err
	}
	if n >= MaxPasskeys {
		return shop.Errorf(shop.Invalid, "customer.passkey.too_many", MaxPasskeys)
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO customer_passkeys (customer_id, credential_id, name, credential, created_at) VALUES (?, ?, ?, ?, ?)`,
		c.ID, credentialKey(cred.ID), name, string(raw), tx.Now()); err != nil {
		return err
	}
	return send(ctx, tx, "customer_passkey_added", c.Email, c, mailData{})
}

// touchPasskey records a use: the new sign count and time.
func touchPasskey(ctx context.Context, tx *db.Tx, customerID int64, cred *webauthn.Credential) error {
	raw, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE customer_passkeys SET credential = ?, last_used_at = ? WHERE credential_id = ? AND customer_id = ?`,
		string(raw), tx.Now(), credentialKey(cred.ID), customerID)
	return err
}

// DeletePasskey removes one of the customer's passkeys. Errors: NotFound.
func (s *Store) DeletePasskey(ctx context.Context, customerID, id int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM customer_passkeys WHERE id = ? AND customer_id = ?`, id, customerID))
		if err == nil && n == 0 {
			return shop.ErrNotFound
		}
		return err
	})
}

// ceremony state kept server-side; the browser holds only a random ID.
type ceremony struct {
	Session webauthn.SessionData `json:"session"`
	Name    string               `json:"name,omitempty"`
}

func saveCeremony(ctx context.Context, d *db.DB, kind string, customerID int64, c ceremony) (string, error) {
	data, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	tok := auth.NewToken()
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM customer_ceremonies WHERE expires_at < ?`, tx.Now()); err != nil {
			return err
		}
		var id any
		if customerID != 0 {
			id = customerID
		}
		_, err := tx.Exec(ctx, `INSERT INTO customer_ceremonies (id_hash, kind, customer_id, data, expires_at) VALUES (?, ?, ?, ?, ?)`,
			auth.HashToken(tok), kind, id, string(data), tx.Now().Add(ceremonyTTL))
		return err
	})
	return tok, err
}

// takeCeremony returns and deletes the ceremony tok of kind (nil when
// unknown, expired or of another kind): each challenge is answered once.
func takeCeremony(ctx context.Context, d *db.DB, tok, kind string) (*ceremony, int64, error) {
	if tok == "" {
		return nil, 0, nil
	}
	var k, data string
	var cid sql.NullInt64
	var exp time.Time
	err := d.Tx(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM customer_ceremonies WHERE id_hash = ? RETURNING kind, customer_id, data, expires_at`,
			auth.HashToken(tok)).Scan(&k, &cid, &data, &exp)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if k != kind || !d.Now().Before(exp) {
		return nil, 0, nil
	}
	var c ceremony
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, 0, err
	}
	return &c, cid.Int64, nil
}
