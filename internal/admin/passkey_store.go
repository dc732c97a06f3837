package admin

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/akinai/akinai/internal/db"
)

// Passkey is one registered WebAuthn credential.
type Passkey struct {
	ID              int64
	AdminID         int64
	CredentialID    []byte
	Name            string
	PublicKey       []byte
	AttestationType string
	SignCount       uint32
	Transports      string
	AAGUID          []byte
	UserVerified    bool
	BackupEligible  bool
	BackupState     bool
	CreatedAt       time.Time
	LastUsedAt      sql.NullTime
}

// credential is the library's view of p.
func (p Passkey) credential() webauthn.Credential {
	var tr []protocol.AuthenticatorTransport
	for t := range strings.SplitSeq(p.Transports, ",") {
		if t != "" {
			tr = append(tr, protocol.AuthenticatorTransport(t))
		}
	}
	return webauthn.Credential{
		ID:              p.CredentialID,
		PublicKey:       p.PublicKey,
		AttestationType: p.AttestationType,
		Transport:       tr,
		Flags:           webauthn.CredentialFlags{UserPresent: true, UserVerified: p.UserVerified, BackupEligible: p.BackupEligible, BackupState: p.BackupState},
		Authenticator:   webauthn.Authenticator{AAGUID: p.AAGUID, SignCount: p.SignCount},
	}
}

// Passkeys returns an admin's passkeys, oldest first.
func Passkeys(ctx context.Context, q db.Queryer, adminID int64) ([]Passkey, error) {
	rows, err := q.Query(ctx, `SELECT id, admin_id, credential_id, name, public_key, attestation_type, sign_count, transports, aaguid,
		user_verified, backup_eligible, backup_state, created_at, last_used_at FROM admin_passkeys WHERE admin_id = ? ORDER BY id`, adminID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Passkey
	for rows.Next() {
		var p Passkey
		var count int64
		if err := rows.Scan(&p.ID, &p.AdminID, &p.CredentialID, &p.Name, &p.PublicKey, &p.AttestationType, &count, &p.Transports, &p.AAGUID,
			&p.UserVerified, &p.BackupEligible, &p.BackupState, &p.CreatedAt, &p.LastUsedAt); err != nil {
			return nil, err
		}
		p.SignCount = uint32(count)
		out = append(out, p)
	}
	return out, rows.Err()
}

// addPasskey stores a credential the admin just registered.
func addPasskey(ctx context.Context, tx *db.Tx, adminID int64, name string, c *webauthn.Credential) error {
	tr := make([]string, len(c.Transport))
	for i, t := range c.Transport {
		tr[i] = string(t)
	}
	_, err := tx.Exec(ctx, `INSERT INTO admin_passkeys (admin_id, credential_id, name, public_key, attestation_type, sign_count, transports, aaguid,
		user_verified, backup_eligible, backup_state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		adminID, c.ID, name, c.PublicKey, c.AttestationType, int64(c.Authenticator.SignCount), strings.Join(tr, ","), c.Authenticator.AAGUID,
		c.Flags.UserVerified, c.Flags.BackupEligible, c.Flags.BackupState, tx.Now())
	return err
}

// touchPasskey records a successful assertion: counter, backup state and
// when it was last used.
func touchPasskey(ctx context.Context, tx *db.Tx, c *webauthn.Credential) error {
	_, err := tx.Exec(ctx, `UPDATE admin_passkeys SET sign_count = ?, backup_state = ?, last_used_at = ? WHERE credential_id = ?`,
		int64(c.Authenticator.SignCount), c.Flags.BackupState, tx.Now(), c.ID)
	return err
}

// deletePasskey removes one of the admin's passkeys.
func deletePasskey(ctx context.Context, tx *db.Tx, adminID, id int64) (bool, error) {
	n, err := db.RowsAffected(tx.Exec(ctx, `DELETE FROM admin_passkeys WHERE id = ? AND admin_id = ?`, id, adminID))
	return n == 1, err
}

// waUser adapts an admin and their passkeys to webauthn.User.
type waUser struct {
	a     *Admin
	creds []webauthn.Credential
}

func (u *waUser) WebAuthnID() []byte                         { return u.a.WebAuthnID }
func (u *waUser) WebAuthnName() string                       { return u.a.Email }
func (u *waUser) WebAuthnDisplayName() string                { return u.a.Name }
func (u *waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

func loadWAUser(ctx context.Context, q db.Queryer, a *Admin) (*waUser, error) {
	pks, err := Passkeys(ctx, q, a.ID)
	if err != nil {
		return nil, err
	}
	u := &waUser{a: a}
	for _, p := range pks {
		u.creds = append(u.creds, p.credential())
	}
	return u, nil
}
