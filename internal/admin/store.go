package admin

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Role is an admin's role; Permissions says what each may do.
type Role string

const (
	Owner   Role = "owner"
	Manager Role = "manager"
	Staff   Role = "staff"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{Owner, Manager, Staff}

// ParseRole returns the role named s, or false.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Admin is one back-office account.
type Admin struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
	Role         Role
	Status       string
	Lang         string
	AntiPhishing string
	WebAuthnID   []byte
	TOTPSealed   []byte
	TOTPLastStep int64
	// TypedCodesAllowed is the admin's phishable opt-out: with a passkey,
	// authenticator and recovery codes still sign them in.
	TypedCodesAllowed bool
	// matrix is the shop's permission matrix when the admin was read for
	// a request (see Can); nil means the built-in one.
	matrix    Matrix
	CreatedAt time.Time
	UpdatedAt time.Time
}

// HasTOTP reports whether the admin has enrolled an authenticator app.
func (a *Admin) HasTOTP() bool { return len(a.TOTPSealed) > 0 }

const adminCols = `id, email, name, password_hash, role, status, lang, anti_phishing, webauthn_id, totp_sealed, totp_last_step, typed_codes_allowed, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanAdmin(row scanner) (*Admin, error) {
	var a Admin
	err := row.Scan(&a.ID, &a.Email, &a.Name, &a.PasswordHash, &a.Role, &a.Status, &a.Lang, &a.AntiPhishing, &a.WebAuthnID, &a.TOTPSealed, &a.TOTPLastStep, &a.TypedCodesAllowed, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.ErrNotFound
	}
	return &a, err
}

// NormaliseEmail is how emails are compared: trimmed and lower-case.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// AdminByEmail returns the admin with email, or shop.ErrNotFound.
func AdminByEmail(ctx context.Context, q db.Queryer, email string) (*Admin, error) {
	return scanAdmin(q.QueryRow(ctx, `SELECT `+adminCols+` FROM admins WHERE email = ?`, NormaliseEmail(email)))
}

// AdminByID returns the admin with id, or shop.ErrNotFound.
func AdminByID(ctx context.Context, q db.Queryer, id int64) (*Admin, error) {
	return scanAdmin(q.QueryRow(ctx, `SELECT `+adminCols+` FROM admins WHERE id = ?`, id))
}

func adminByWebAuthnID(ctx context.Context, q db.Queryer, handle []byte) (*Admin, error) {
	return scanAdmin(q.QueryRow(ctx, `SELECT `+adminCols+` FROM admins WHERE webauthn_id = ?`, handle))
}

// Admins lists every admin by role then email.
func Admins(ctx context.Context, q db.Queryer) ([]*Admin, error) {
	rows, err := q.Query(ctx, `SELECT `+adminCols+` FROM admins ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Admin
	for rows.Next() {
		a, err := scanAdmin(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountAdmins returns how many admins exist.
func CountAdmins(ctx context.Context, q db.Queryer) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM admins`).Scan(&n)
	return n, err
}

// NewAdmin is what creating an admin needs.
type NewAdmin struct {
	Email, Name, Password string
	Role                  Role
	Lang                  string
}

// CreateAdmin validates n and inserts the admin in tx. Errors: Invalid
// with Fields (email, name, password, role) for bad input; Conflict
// ("admin.email_taken") when the email is already used.
func CreateAdmin(ctx context.Context, tx *db.Tx, n NewAdmin) (*Admin, error) {
	n.Email = NormaliseEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	fields := map[string]string{}
	if at := strings.IndexByte(n.Email, '@'); at < 1 || at == len(n.Email)-1 || len(n.Email) > 254 || strings.ContainsAny(n.Email, " \r\n<>") {
		fields["email"] = "admin.field.email"
	}
	if n.Name == "" || len(n.Name) > 100 {
		fields["name"] = "admin.field.name"
	}
	if _, ok := ParseRole(string(n.Role)); !ok {
		fields["role"] = "admin.field.role"
	}
	if err := auth.ValidateNewPassword(n.Password, n.Email, n.Name); err != nil {
		fields["password"] = passwordKey(err)
	}
	if len(fields) > 0 {
		return nil, shop.Invalidf(fields)
	}
	hash, err := auth.HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	handle := make([]byte, 32)
	rand.Read(handle)
	if n.Lang != "en" {
		n.Lang = "ja"
	}
	now := tx.Now()
	row := tx.QueryRow(ctx, `INSERT INTO admins (email, name, password_hash, role, status, lang, webauthn_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?) RETURNING `+adminCols, n.Email, n.Name, hash, string(n.Role), n.Lang, handle, now, now)
	a, err := scanAdmin(row)
	if db.IsUniqueViolation(err) {
		return nil, &shop.Error{Kind: shop.Conflict, Key: "admin.email_taken", Fields: map[string]string{"email": "admin.email_taken"}}
	}
	return a, err
}

// passwordKey maps a password-policy error to this package's message key.
func passwordKey(err error) string {
	var e *shop.Error
	if errors.As(err, &e) {
		return "admin." + e.Key
	}
	return "admin.field.password"
}

// setPassword stores a new password hash.
func setPassword(ctx context.Context, tx *db.Tx, id int64, hash string) error {
	_, err := tx.Exec(ctx, `UPDATE admins SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, tx.Now(), id)
	return err
}

// totpAAD binds a sealed TOTP secret to its admin row.
func totpAAD(id int64) []byte { return []byte("totp:admin:" + strconv.FormatInt(id, 10)) }

// totpSecret opens the admin's sealed TOTP secret.
func (h *Handlers) totpSecret(a *Admin) (string, error) {
	b, err := auth.Open(h.totpKey, a.TOTPSealed, totpAAD(a.ID))
	return string(b), err
}

// setTOTP seals and stores secret ("" removes TOTP).
func (h *Handlers) setTOTP(ctx context.Context, tx *db.Tx, id int64, secret string, step int64) error {
	var sealed []byte
	if secret != "" {
		var err error
		if sealed, err = auth.Seal(h.totpKey, []byte(secret), totpAAD(id)); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `UPDATE admins SET totp_sealed = ?, totp_last_step = ?, updated_at = ? WHERE id = ?`, sealed, step, tx.Now(), id)
	return err
}

// useTOTPStep records step as the last accepted one, unless another
// request already used it or a later one: the conditional update is what
// makes a code single-use across instances.
func useTOTPStep(ctx context.Context, tx *db.Tx, id, step int64) (bool, error) {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE admins SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, id, step))
	return n == 1, err
}

// replaceRecoveryCodes makes ten new recovery codes, replacing the old.
func replaceRecoveryCodes(ctx context.Context, tx *db.Tx, id int64) ([]string, error) {
	plain, hashes, err := auth.NewRecoveryCodes()
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM admin_recovery_codes WHERE admin_id = ?`, id); err != nil {
		return nil, err
	}
	for _, h := range hashes {
		if _, err := tx.Exec(ctx, `INSERT INTO admin_recovery_codes (admin_id, code_hash) VALUES (?, ?)`, id, h); err != nil {
			return nil, err
		}
	}
	return plain, nil
}

// useRecoveryCode marks the matching unused code as used.
func useRecoveryCode(ctx context.Context, tx *db.Tx, id int64, input string) (bool, error) {
	rows, err := tx.Query(ctx, `SELECT id, code_hash FROM admin_recovery_codes WHERE admin_id = ? AND used_at IS NULL ORDER BY id`, id)
	if err != nil {
		return false, err
	}
	var ids []int64
	var hashes []string
	for rows.Next() {
		var cid int64
		var h string
		if err := rows.Scan(&cid, &h); err != nil {
			rows.Close()
			return false, err
		}
		ids, hashes = append(ids, cid), append(hashes, h)
	}
	rows.Close()
	i, ok := auth.MatchRecoveryCode(hashes, input)
	if !ok {
		return false, nil
	}
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE admin_recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL`, tx.Now(), ids[i]))
	return n == 1, err
}

// recoveryCodesLeft counts unused recovery codes.
func recoveryCodesLeft(ctx context.Context, q db.Queryer, id int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM admin_recovery_codes WHERE admin_id = ? AND used_at IS NULL`, id).Scan(&n)
	return n, err
}

// ResetFactors removes every second factor and session of an admin, who
// must enrol again at next sign-in (break-glass recovery).
func ResetFactors(ctx context.Context, tx *db.Tx, id int64) error {
	for _, q := range []string{
		`DELETE FROM admin_passkeys WHERE admin_id = ?`,
		`DELETE FROM admin_recovery_codes WHERE admin_id = ?`,
		`DELETE FROM admin_sessions WHERE admin_id = ?`,
		`UPDATE admins SET totp_sealed = NULL, totp_last_step = 0, typed_codes_allowed = FALSE WHERE id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}
