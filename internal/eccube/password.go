package eccube

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
)

// Imported customers keep the hash EC-CUBE made of their password, in
// customers.password_hash, with a prefix that says how to check it:
//
//	$eccube$hmac$<salt>$<hex>   EC-CUBE 4.0–4.3 (PasswordEncoder / PasswordHasher):
//	                            hex(HMAC-SHA256(key = salt, message = password + ":" + AUTH_MAGIC))
//	$eccube$sha1$$<hex>         accounts from EC-CUBE 2 before 2.11 (empty salt):
//	                            hex(SHA-1(password + ":" + AUTH_MAGIC))
//	$eccube$bcrypt$$<hash>      EC-CUBE 4.3 after Symfony's "auto" hasher rehashed it ($2y$…)
//
// (4.3's argon2id hashes are PHC strings auth.CheckPassword reads as
// they are, so they are imported unchanged.) The AUTH_MAGIC is kept in
// the settings table sealed with a key derived from Akinai's master
// secret, never in the hash. customer.Store.Authenticate calls Legacy.Check
// for such a hash and, when it matches, replaces it with argon2id: the
// legacy hash is gone after the customer's first sign-in.
const legacyPrefix = "$eccube$"

// magicSetting holds the sealed AUTH_MAGIC.
const magicSetting = "eccube.auth_magic"

// IsLegacy reports whether a stored hash is one this package checks.
func IsLegacy(hash string) bool { return strings.HasPrefix(hash, legacyPrefix) }

// legacyHash is the stored form of an EC-CUBE password and salt; "" when
// the row has no password.
func legacyHash(password, salt string) string {
	switch {
	case password == "":
		return ""
	case strings.HasPrefix(password, "$argon2id$"):
		return password
	case strings.HasPrefix(password, "$2y$"), strings.HasPrefix(password, "$2a$"), strings.HasPrefix(password, "$2b$"):
		return legacyPrefix + "bcrypt$$" + password
	case salt == "":
		return legacyPrefix + "sha1$$" + strings.ToLower(password)
	}
	return legacyPrefix + "hmac$" + salt + "$" + strings.ToLower(password)
}

// checkLegacy reports whether pw matches a legacy hash under magic. The
// comparison is constant-time (EC-CUBE's own === is not).
func checkLegacy(hash, pw, magic string) bool {
	f := strings.SplitN(strings.TrimPrefix(hash, legacyPrefix), "$", 3)
	if len(f) != 3 {
		return false
	}
	var got []byte
	switch f[0] {
	case "hmac":
		m := hmac.New(sha256.New, []byte(f[1]))
		m.Write([]byte(pw + ":" + magic))
		got = m.Sum(nil)
	case "sha1":
		s := sha1.Sum([]byte(pw + ":" + magic))
		got = s[:]
	case "bcrypt":
		// PHP's $2y$ is bcrypt's $2a$/$2b$ under another name.
		h := f[2]
		if strings.HasPrefix(h, "$2y$") {
			h = "$2a$" + h[4:]
		}
		return bcrypt.CompareHashAndPassword([]byte(h), []byte(pw)) == nil
	default:
		return false
	}
	want, err := hex.DecodeString(f[2])
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// sealMagic stores the AUTH_MAGIC sealed under the master secret.
func sealMagic(ctx context.Context, tx *db.Tx, secret []byte, magic string) error {
	k, err := auth.DeriveKey(secret, auth.PurposeEccubeMagic)
	if err != nil {
		return err
	}
	sealed, err := auth.Seal(k, []byte(magic), []byte(magicSetting))
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		magicSetting, base64.StdEncoding.EncodeToString(sealed), tx.Now())
	return err
}

// Legacy checks imported EC-CUBE password hashes at sign-in. It reads the
// sealed AUTH_MAGIC once, when the first legacy hash is checked.
type Legacy struct {
	DB     *db.DB
	Secret []byte

	mu    sync.Mutex
	magic string // "" until loaded
}

// ErrNoMagic is returned when a legacy hash is checked but no AUTH_MAGIC
// was imported (or it cannot be opened with this master secret).
var ErrNoMagic = errors.New("eccube: no usable EC-CUBE auth magic; imported customers must reset their passwords")

// Check reports whether pw matches the legacy hash. A hash that is not a
// legacy one gives false.
func (l *Legacy) Check(ctx context.Context, hash, pw string) (bool, error) {
	if !IsLegacy(hash) {
		return false, nil
	}
	l.mu.Lock()
	if l.magic == "" {
		// Not cached while missing: an import run while the shop is up
		// is seen at the next sign-in.
		m, err := l.load(ctx)
		if err != nil {
			l.mu.Unlock()
			return false, err
		}
		l.magic = m
	}
	magic := l.magic
	l.mu.Unlock()
	return checkLegacy(hash, pw, magic), nil
}

func (l *Legacy) load(ctx context.Context) (string, error) {
	var v string
	err := l.DB.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, magicSetting).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNoMagic
	}
	if err != nil {
		return "", err
	}
	sealed, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return "", ErrNoMagic
	}
	k, err := auth.DeriveKey(l.Secret, auth.PurposeEccubeMagic)
	if err != nil {
		return "", err
	}
	m, err := auth.Open(k, sealed, []byte(magicSetting))
	if err != nil {
		return "", ErrNoMagic
	}
	return string(m), nil
}
