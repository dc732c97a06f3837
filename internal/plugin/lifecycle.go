package plugin

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/shop"
)

// Life cycle: every step is one transaction with its audit entry, so a
// failure leaves the previous state. The admin screens require sudo for
// each; these functions take the entry they write (e.Action and e.Target
// are filled in here).

// SettingsError is a settings form (or an update's migration) refused,
// with the problem of each field as an i18n key.
type SettingsError struct{ Fields map[string]string }

func (e *SettingsError) Error() string { return "plugin: settings refused" }

// Install installs (or, when a plugin of that name is installed, updates)
// the package of upload id, which admin e.ActorID uploaded: it must be
// signed by a trusted key, compile, and — for an update — come from the
// same publisher key with a different version and have settings that
// migrate. A new plugin starts disabled with its default settings; an
// update keeps the state, the settings (migrated) and the key-value
// store. Errors: NotFound; *Problem; *SettingsError.
func Install(ctx context.Context, d *db.DB, h *Host, id int64, e audit.Entry) (*Installed, error) {
	p, err := Uploaded(ctx, d, id, e.ActorID)
	if err != nil {
		return nil, err
	}
	m := &p.Manifest
	if ok, err := Trusted(ctx, d, p.PublisherKey()); err != nil {
		return nil, err
	} else if !ok {
		return nil, problem("plugins.bad.untrusted", m.Publisher.Name, KeyID(p.PublisherKey()))
	}
	if err := h.Check(ctx, p.Module); err != nil {
		return nil, err
	}
	old, err := Get(ctx, d, m.Name)
	if err != nil && shop.KindOf(err) != shop.NotFound {
		return nil, err
	}
	var settings map[string]string
	var fields map[string]string
	if old != nil {
		if old.Manifest.Publisher.Key != m.Publisher.Key {
			return nil, problem("plugins.bad.other_publisher", old.Manifest.Publisher.Name)
		}
		if old.Version == m.Version {
			return nil, problem("plugins.bad.same_version", m.Version)
		}
		if settings, fields = m.MigrateSettings(old.Settings); len(fields) > 0 {
			return nil, &SettingsError{Fields: fields}
		}
	} else {
		settings, _ = m.CheckSettings(nil) // required ones without defaults wait for the owner
	}
	sj, _ := json.Marshal(settings)
	err = d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if old != nil {
			res, err := tx.Exec(ctx, `UPDATE plugins SET version = ?, manifest = ?, signature = ?, module = ?, wasm_sha256 = ?, settings = ?,
				failures = 0, last_error = '', updated_at = ? WHERE name = ? AND version = ?`,
				m.Version, string(p.ManifestJSON), string(p.Signature), p.Module, m.WasmSHA256, string(sj), now, m.Name, old.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return shop.Errorf(shop.Conflict, "plugins.changed")
			}
			e.Action, e.Details = "plugin.update", map[string]any{"from": old.Version, "to": m.Version}
		} else {
			_, err := tx.Exec(ctx, `INSERT INTO plugins (name, version, manifest, signature, module, wasm_sha256, status, settings, api_token, installed_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, 'disabled', ?, ?, ?, ?)`,
				m.Name, m.Version, string(p.ManifestJSON), string(p.Signature), p.Module, m.WasmSHA256, string(sj), newToken(), now, now)
			if isUnique(err) {
				return shop.Errorf(shop.Conflict, "plugins.changed")
			}
			if err != nil {
				return err
			}
			e.Action, e.Details = "plugin.install", map[string]any{"version": m.Version}
		}
		e.Details["publisher"], e.Details["key_id"], e.Details["capabilities"] = m.Publisher.Name, KeyID(p.PublisherKey()), m.Capabilities
		e.Target = "plugin:" + m.Name
		if _, err := tx.Exec(ctx, `DELETE FROM plugin_uploads WHERE id = ?`, id); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return Get(ctx, d, m.Name)
}

func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint") || strings.Contains(err.Error(), "duplicate key"))
}

// SetEnabled enables or disables a plugin. Enabling checks its settings
// (a required one still empty refuses with *SettingsError) and clears the
// failure count. Errors: NotFound; *SettingsError.
func SetEnabled(ctx context.Context, d *db.DB, name string, on bool, e audit.Entry) error {
	p, err := Get(ctx, d, name)
	if err != nil {
		return err
	}
	if on {
		if _, fields := p.Manifest.CheckSettings(p.Settings); len(fields) > 0 {
			return &SettingsError{Fields: fields}
		}
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if on {
			_, err = tx.Exec(ctx, `UPDATE plugins SET status = 'enabled', disabled_reason = '', failures = 0, updated_at = ? WHERE name = ?`, tx.Now(), name)
			e.Action = "plugin.enable"
		} else {
			_, err = tx.Exec(ctx, `UPDATE plugins SET status = 'disabled', disabled_reason = 'owner', updated_at = ? WHERE name = ?`, tx.Now(), name)
			e.Action = "plugin.disable"
		}
		if err != nil {
			return err
		}
		e.Target, e.Details = "plugin:"+name, map[string]any{"version": p.Version}
		_, err = audit.Append(ctx, tx, e)
		return err
	})
}

// Configure stores the plugin's settings from the form's values.
// Errors: NotFound; *SettingsError.
func Configure(ctx context.Context, d *db.DB, name string, form map[string]string, e audit.Entry) error {
	p, err := Get(ctx, d, name)
	if err != nil {
		return err
	}
	vals, fields := p.Manifest.CheckSettings(form)
	if len(fields) > 0 {
		return &SettingsError{Fields: fields}
	}
	sj, _ := json.Marshal(vals)
	return d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE plugins SET settings = ?, updated_at = ? WHERE name = ?`, string(sj), tx.Now(), name); err != nil {
			return err
		}
		// The values are the owner's business rules, not secrets: kept in
		// the audit log so a changed discount can be traced.
		e.Action, e.Target, e.Details = "plugin.configure", "plugin:"+name, map[string]any{"settings": vals}
		_, err := audit.Append(ctx, tx, e)
		return err
	})
}

// Uninstall removes a plugin with its key-value store and its pending
// reactions. Errors: NotFound.
func Uninstall(ctx context.Context, d *db.DB, name string, e audit.Entry) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		var version string
		err := tx.QueryRow(ctx, `DELETE FROM plugins WHERE name = ? RETURNING version`, name).Scan(&version)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return shop.Errorf(shop.NotFound, "plugins.not_found")
			}
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM plugin_kv WHERE plugin = ?`, name); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM plugin_jobs WHERE plugin = ? AND status = 'pending'`, name); err != nil {
			return err
		}
		e.Action, e.Target, e.Details = "plugin.uninstall", "plugin:"+name, map[string]any{"version": version}
		_, err = audit.Append(ctx, tx, e)
		return err
	})
}
