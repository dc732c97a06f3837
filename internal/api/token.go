package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Areas a token's scopes name; each is granted read or write (write
// includes read).
var Areas = []string{"products", "stock", "orders", "customers", "coupons", "points"}

// Scope is an area and an access level, written "orders:read".
type Scope string

// Has reports whether scopes grant area at level ("read" or "write").
func Has(scopes []Scope, area, level string) bool {
	return slices.Contains(scopes, Scope(area+":write")) || (level == "read" && slices.Contains(scopes, Scope(area+":read")))
}

// ValidScope reports whether s names a known area and level.
func ValidScope(s string) bool {
	area, level, ok := strings.Cut(s, ":")
	return ok && slices.Contains(Areas, area) && (level == "read" || level == "write")
}

// TokenPrefix starts every token, so a leaked one is easy to recognise
// (secret scanners, logs).
const TokenPrefix = "akn_"

// Token is a stored token. The secret itself is not here: only its hash is
// kept.
type Token struct {
	ID         int64
	Name       string
	Prefix     string // the first characters, to tell tokens apart
	Scopes     []Scope
	IPAllow    []netip.Prefix
	RatePerMin int
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	LastUsedIP string
	Uses       int64
}

// Active reports whether the token is neither revoked nor expired at now.
func (t *Token) Active(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// Allows reports whether ip may use the token (an empty list allows all).
func (t *Token) Allows(ip netip.Addr) bool {
	if len(t.IPAllow) == 0 {
		return true
	}
	ip = ip.Unmap()
	for _, p := range t.IPAllow {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Actor names the token in the audit log.
func (t *Token) Actor() string { return "api:" + t.Name + "#" + t.Prefix }

// hashToken is the stored form of a token: SHA-256 of 256 random bits
// cannot be reversed or guessed, so no slow hash is needed.
func hashToken(secret string) string {
	s := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(s[:])
}

// NewToken is a token about to be stored.
type NewToken struct {
	Name       string
	Scopes     []string
	IPAllow    string // addresses or prefixes separated by spaces, commas or lines
	Days       int    // valid for this many days (1–730)
	RatePerMin int    // 0: 600
	CreatedBy  string
}

// Validate checks the new token; the map names fields and i18n keys.
func (n NewToken) Validate() (map[string]string, []netip.Prefix) {
	errs := map[string]string{}
	if strings.TrimSpace(n.Name) == "" || len([]rune(n.Name)) > 100 {
		errs["name"] = "api.error.name"
	}
	if len(n.Scopes) == 0 {
		errs["scopes"] = "api.error.scopes"
	}
	for _, s := range n.Scopes {
		if !ValidScope(s) {
			errs["scopes"] = "api.error.scopes"
		}
	}
	if n.Days < 1 || n.Days > 730 {
		errs["days"] = "api.error.days"
	}
	if n.RatePerMin < 0 || n.RatePerMin > 100000 {
		errs["rate"] = "api.error.rate"
	}
	prefixes, err := ParseAllow(n.IPAllow)
	if err != nil {
		errs["ip_allow"] = "api.error.ip_allow"
	}
	return errs, prefixes
}

// ParseAllow reads an IP allow list: addresses or CIDR prefixes separated
// by spaces, commas or new lines.
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, err
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// CreateToken stores a token and returns its ID and the secret, which is
// shown once and never again. Errors: Invalid with field keys.
func CreateToken(ctx context.Context, tx *db.Tx, n NewToken) (int64, string, error) {
	errs, prefixes := n.Validate()
	if len(errs) > 0 {
		return 0, "", shop.Invalidf(errs)
	}
	b := make([]byte, 32)
	rand.Read(b)
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	allow := make([]string, len(prefixes))
	for i, p := range prefixes {
		allow[i] = p.String()
	}
	rate := n.RatePerMin
	if rate == 0 {
		rate = 600
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO api_tokens (name, prefix, hash, scopes, ip_allow, rate_per_min, expires_at, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		strings.TrimSpace(n.Name), secret[:len(TokenPrefix)+6], hashToken(secret), strings.Join(n.Scopes, " "), strings.Join(allow, " "),
		rate, tx.Now().Add(time.Duration(n.Days)*24*time.Hour), n.CreatedBy, tx.Now()).Scan(&id)
	return id, secret, err
}

// RevokeToken revokes a token at once. Errors: NotFound (or already
// revoked).
func RevokeToken(ctx context.Context, tx *db.Tx, id int64) error {
	n, err := db.RowsAffected(tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, tx.Now(), id))
	if err == nil && n != 1 {
		err = shop.ErrNotFound
	}
	return err
}

const tokenCols = `id, name, prefix, scopes, ip_allow, rate_per_min, expires_at, revoked_at, created_by, created_at, last_used_at, last_used_ip, uses`

func scanToken(sc interface{ Scan(...any) error }) (*Token, error) {
	var t Token
	var scopes, allow string
	if err := sc.Scan(&t.ID, &t.Name, &t.Prefix, &scopes, &allow, &t.RatePerMin, &t.ExpiresAt, &t.RevokedAt, &t.CreatedBy, &t.CreatedAt, &t.LastUsedAt, &t.LastUsedIP, &t.Uses); err != nil {
		return nil, err
	}
	for _, s := range strings.Fields(scopes) {
		t.Scopes = append(t.Scopes, Scope(s))
	}
	t.IPAllow, _ = ParseAllow(allow)
	return &t, nil
}

// Tokens lists every token, newest first.
func Tokens(ctx context.Context, q db.Queryer) ([]*Token, error) {
	rows, err := q.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tokenBySecret finds the token a request presented; nil when none.
func tokenBySecret(ctx context.Context, q db.Queryer, secret string) (*Token, error) {
	t, err := scanToken(q.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = ?`, hashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return t, err
}
