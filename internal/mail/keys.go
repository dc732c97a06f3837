package mail

import (
	"context"
	"crypto"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/mail/dkim"
	"github.com/akinai/akinai/internal/shop"
)

// Key algorithms.
const (
	Ed25519 = "ed25519"
	RSA     = "rsa"
)

// Key states.
const (
	KeyPending = "pending" // generated; publish its TXT record, then Rotate
	KeyActive  = "active"  // signs every mail
	KeyRetired = "retired" // kept in DNS for the grace period, then removed
)

// ErrNoActiveKey is returned by ActiveSigner before the first Rotate.
var ErrNoActiveKey = errors.New("mail: no active DKIM key")

// Keys stores DKIM keys, sealed under the master secret, and signs with
// the active one.
type Keys struct {
	DB     *db.DB
	Secret []byte // the installation's master secret (32+ bytes)
	Domain string // d= of every signature: the shop's mail domain
	// Grace is how long a retired key stays listed for DNS; default 7 days.
	Grace time.Duration

	mu     sync.Mutex
	cached *KeySigner
}

// PublicKey is a key as the admin sees it: never the private half.
type PublicKey struct {
	ID          int64
	Selector    string
	Algorithm   string
	TXT         string // value of the TXT record at Selector._domainkey.Domain
	Status      string
	CreatedAt   time.Time
	ActivatedAt *time.Time
	RetiredAt   *time.Time
}

// RecordName is the DNS name of the key's TXT record.
func (k PublicKey) RecordName(domain string) string { return k.Selector + "._domainkey." + domain }

func (k *Keys) sealKey() ([]byte, error) {
	return auth.DeriveKey(k.Secret, auth.PurposeDKIMKey)
}

// GenerateKey makes a new pending key (Ed25519, or RSA-2048) and returns
// it. It signs nothing until Rotate activates it, which gives the operator
// time to publish its TXT record. Errors: Invalid for another algorithm.
func (k *Keys) GenerateKey(ctx context.Context, alg string) (*PublicKey, error) {
	var signer crypto.Signer
	var err error
	switch alg {
	case Ed25519:
		signer, err = dkim.GenerateEd25519()
	case RSA:
		signer, err = dkim.GenerateRSA()
	default:
		return nil, shop.Invalidf(map[string]string{"algorithm": "mail.bad_algorithm"})
	}
	if err != nil {
		return nil, err
	}
	pemKey, err := dkim.MarshalPrivateKey(signer)
	if err != nil {
		return nil, err
	}
	txt, err := dkim.TXTRecord(signer.Public())
	if err != nil {
		return nil, err
	}
	sk, err := k.sealKey()
	if err != nil {
		return nil, err
	}
	pk := &PublicKey{Algorithm: alg, TXT: txt, Status: KeyPending}
	err = k.DB.Tx(ctx, func(tx *db.Tx) error {
		pk.CreatedAt = tx.Now()
		pk.Selector = "ak" + tx.Now().Format("200601") + "-" + randomID(3)[:5]
		sealed, err := auth.Seal(sk, pemKey, []byte("dkim:"+pk.Selector))
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO dkim_keys (selector, algorithm, private_key, public_txt, status, created_at)
			VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id`, pk.Selector, alg, sealed, txt, pk.CreatedAt).Scan(&pk.ID)
	})
	if err != nil {
		return nil, err
	}
	return pk, nil
}

// Rotate activates the newest pending key and retires the active one,
// which stays listed for Grace. Mail is signed with the new key from the
// next message on. Errors: Invalid ("mail.no_pending_key") when there is
// no pending key: GenerateKey and publish it first.
func (k *Keys) Rotate(ctx context.Context) (*PublicKey, error) {
	var id int64
	err := k.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id FROM dkim_keys WHERE status = 'pending' ORDER BY created_at DESC, id DESC LIMIT 1`).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return &shop.Error{Kind: shop.Invalid, Key: "mail.no_pending_key"}
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE dkim_keys SET status = 'retired', retired_at = ? WHERE status = 'active'`, tx.Now()); err != nil {
			return err
		}
		n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE dkim_keys SET status = 'active', activated_at = ? WHERE id = ? AND status = 'pending'`, tx.Now(), id))
		if err == nil && n != 1 {
			err = &shop.Error{Kind: shop.Conflict, Key: "error.conflict"}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.cached = nil
	k.mu.Unlock()
	keys, err := k.PublicKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, pk := range keys {
		if pk.ID == id {
			return &pk, nil
		}
	}
	return nil, shop.ErrNotFound
}

// PublicKeys lists the keys to keep in DNS, newest first: pending, active,
// and retired within Grace.
func (k *Keys) PublicKeys(ctx context.Context) ([]PublicKey, error) {
	grace := k.Grace
	if grace == 0 {
		grace = 7 * 24 * time.Hour
	}
	rows, err := k.DB.Query(ctx, `SELECT id, selector, algorithm, public_txt, status, created_at, activated_at, retired_at
		FROM dkim_keys WHERE status <> 'retired' OR retired_at > ? ORDER BY created_at DESC, id DESC`, k.DB.Now().Add(-grace))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublicKey
	for rows.Next() {
		var p PublicKey
		var act, ret sql.NullTime
		if err := rows.Scan(&p.ID, &p.Selector, &p.Algorithm, &p.TXT, &p.Status, &p.CreatedAt, &act, &ret); err != nil {
			return nil, err
		}
		if act.Valid {
			p.ActivatedAt = &act.Time
		}
		if ret.Valid {
			p.RetiredAt = &ret.Time
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Selectors returns PublicKeys in the form Authenticity checks.
func (k *Keys) Selectors(ctx context.Context) ([]Selector, error) {
	keys, err := k.PublicKeys(ctx)
	var out []Selector
	for _, p := range keys {
		out = append(out, Selector{Selector: p.Selector, TXT: p.TXT})
	}
	return out, err
}

// KeySigner signs with one key.
type KeySigner struct {
	ID       int64
	Domain   string
	Selector string
	Key      crypto.Signer
}

// Sign adds a DKIM-Signature (over-signed headers, relaxed/relaxed).
func (s *KeySigner) Sign(_ context.Context, msg []byte) ([]byte, error) {
	return dkim.Sign(msg, s.Domain, s.Selector, s.Key)
}

// ActiveSigner returns a signer with the active key, or ErrNoActiveKey.
// A key that fails to open (the master secret changed, or the row was
// altered) is an error, never an unsigned mail in its name.
func (k *Keys) ActiveSigner(ctx context.Context) (*KeySigner, error) {
	var id int64
	var selector string
	var sealed []byte
	err := k.DB.QueryRow(ctx, `SELECT id, selector, private_key FROM dkim_keys WHERE status = 'active' ORDER BY activated_at DESC LIMIT 1`).
		Scan(&id, &selector, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoActiveKey
	}
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cached != nil && k.cached.ID == id {
		return k.cached, nil
	}
	sk, err := k.sealKey()
	if err != nil {
		return nil, err
	}
	pemKey, err := auth.Open(sk, sealed, []byte("dkim:"+selector))
	if err != nil {
		return nil, fmt.Errorf("mail: open DKIM key %s: %w", selector, err)
	}
	key, err := dkim.ParsePrivateKey(pemKey)
	if err != nil {
		return nil, err
	}
	k.cached = &KeySigner{ID: id, Domain: strings.ToLower(k.Domain), Selector: selector, Key: key}
	return k.cached, nil
}

// Sign signs msg with the active key, so *Keys is the Worker's Signer.
// Before any key is active the mail goes out unsigned (the authenticity
// page shows that DKIM is missing); every other error stops the send.
func (k *Keys) Sign(ctx context.Context, msg []byte) ([]byte, error) {
	s, err := k.ActiveSigner(ctx)
	if errors.Is(err, ErrNoActiveKey) {
		return msg, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Sign(ctx, msg)
}
