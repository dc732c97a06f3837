package plugin

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Status of an installed plugin.
const (
	Enabled  = "enabled"
	Disabled = "disabled"
)

// Installed is a plugin in the shop.
type Installed struct {
	Name           string
	Version        string
	Manifest       Manifest
	WasmSHA256     string
	Module         []byte // nil in lists; loaded when the host needs it
	Status         string
	DisabledReason string // "owner" or "failures"
	Settings       map[string]string
	Token          string
	Failures       int // in a row
	FailuresTotal  int64
	LastError      string
	LastFailedAt   *time.Time
	InstalledAt    time.Time
	UpdatedAt      time.Time
}

// Scopes are the Admin API scopes of the plugin's token.
func (p *Installed) Scopes() []string {
	var out []string
	for _, c := range p.Manifest.Capabilities {
		if s, ok := strings.CutPrefix(c, "api:"); ok {
			out = append(out, s)
		}
	}
	return out
}

// Title is the plugin's title in lang.
func (p *Installed) Title(lang string) string { return p.Manifest.Title.In(lang) }

const installedCols = `name, version, manifest, wasm_sha256, status, disabled_reason, settings, api_token,
	failures, failures_total, last_error, last_failed_at, installed_at, updated_at`

func scanInstalled(sc interface{ Scan(...any) error }) (*Installed, error) {
	p := &Installed{}
	var manifest, settings string
	var failed sql.NullTime
	if err := sc.Scan(&p.Name, &p.Version, &manifest, &p.WasmSHA256, &p.Status, &p.DisabledReason, &settings, &p.Token,
		&p.Failures, &p.FailuresTotal, &p.LastError, &failed, &p.InstalledAt, &p.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(manifest), &p.Manifest); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(settings), &p.Settings); err != nil {
		return nil, err
	}
	if failed.Valid {
		p.LastFailedAt = &failed.Time
	}
	return p, nil
}

// List returns the installed plugins by name, without their modules.
func List(ctx context.Context, q db.Queryer) ([]*Installed, error) {
	rows, err := q.Query(ctx, `SELECT `+installedCols+` FROM plugins ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Installed
	for rows.Next() {
		p, err := scanInstalled(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Get returns the plugin called name, without its module. Errors:
// NotFound.
func Get(ctx context.Context, q db.Queryer, name string) (*Installed, error) {
	p, err := scanInstalled(q.QueryRow(ctx, `SELECT `+installedCols+` FROM plugins WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.Errorf(shop.NotFound, "plugins.not_found")
	}
	return p, err
}

// ByToken returns the plugin whose Admin API token is token — for the
// API's authentication of in-process calls. Errors: NotFound.
func ByToken(ctx context.Context, q db.Queryer, token string) (*Installed, error) {
	if token == "" {
		return nil, shop.Errorf(shop.NotFound, "plugins.not_found")
	}
	p, err := scanInstalled(q.QueryRow(ctx, `SELECT `+installedCols+` FROM plugins WHERE api_token = ? AND status = 'enabled'`, token))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.Errorf(shop.NotFound, "plugins.not_found")
	}
	return p, err
}

func moduleOf(ctx context.Context, q db.Queryer, name string) ([]byte, error) {
	var b []byte
	err := q.QueryRow(ctx, `SELECT module FROM plugins WHERE name = ?`, name).Scan(&b)
	return b, err
}

// Trusted reports whether the owner trusts the publisher key pub.
func Trusted(ctx context.Context, q db.Queryer, pub []byte) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM plugin_keys WHERE pub_key = ?`, base64.StdEncoding.EncodeToString(pub)).Scan(&n)
	return n > 0, err
}

// Key is a trusted publisher key.
type Key struct {
	PubKey    string
	KeyID     string
	Publisher string
	AddedAt   time.Time
}

// Keys lists the trusted publisher keys.
func Keys(ctx context.Context, q db.Queryer) ([]Key, error) {
	rows, err := q.Query(ctx, `SELECT pub_key, key_id, publisher, added_at FROM plugin_keys ORDER BY publisher, key_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		var k Key
		if err := rows.Scan(&k.PubKey, &k.KeyID, &k.Publisher, &k.AddedAt); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ParseKey decodes a publisher key as the owner pastes it (base64 of the
// 32-byte Ed25519 public key). Errors: *Problem.
func ParseKey(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != 32 {
		return nil, problem("plugins.bad.key")
	}
	return b, nil
}

// TrustKey adds a publisher key, audited as e.
func TrustKey(ctx context.Context, d *db.DB, pub []byte, publisher string, e audit.Entry) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO plugin_keys (pub_key, key_id, publisher, added_by, added_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (pub_key) DO UPDATE SET publisher = excluded.publisher`,
			base64.StdEncoding.EncodeToString(pub), KeyID(pub), publisher, e.ActorID, tx.Now())
		if err != nil {
			return err
		}
		e.Details = map[string]any{"key_id": KeyID(pub), "publisher": publisher}
		_, err = audit.Append(ctx, tx, e)
		return err
	})
}

// DistrustKey removes a publisher key. Installed plugins signed with it
// stay (the owner uninstalls them); no new package signed with it installs.
func DistrustKey(ctx context.Context, d *db.DB, keyID string, e audit.Entry) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM plugin_keys WHERE key_id = ?`, keyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shop.Errorf(shop.NotFound, "plugins.not_found")
		}
		e.Details = map[string]any{"key_id": keyID}
		_, err = audit.Append(ctx, tx, e)
		return err
	})
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "akp_" + hex.EncodeToString(b)
}

// Upload keeps an uploaded package for the admin to confirm, after
// checking it as ReadPackage does (nothing is kept when it is refused).
// Uploads older than a day are deleted. Errors: *Problem.
func Upload(ctx context.Context, d *db.DB, adminID int64, data []byte) (int64, *Package, error) {
	p, err := ReadPackage(data)
	if err != nil {
		return 0, nil, err
	}
	var id int64
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM plugin_uploads WHERE created_at < ?`, tx.Now().Add(-24*time.Hour)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO plugin_uploads (admin_id, data, created_at) VALUES (?, ?, ?) RETURNING id`, adminID, data, tx.Now()).Scan(&id)
	})
	return id, p, err
}

// Uploaded returns the package of upload id, for the admin who uploaded
// it only. Errors: NotFound.
func Uploaded(ctx context.Context, q db.Queryer, id, adminID int64) (*Package, error) {
	var data []byte
	err := q.QueryRow(ctx, `SELECT data FROM plugin_uploads WHERE id = ? AND admin_id = ?`, id, adminID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shop.Errorf(shop.NotFound, "plugins.not_found")
	}
	if err != nil {
		return nil, err
	}
	return ReadPackage(data)
}
