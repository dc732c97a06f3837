package plugin_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/plugin/plugintest"
	"github.com/akinai/akinai/internal/shop"
)

func problemKey(err error) string {
	var p *plugin.Problem
	if errors.As(err, &p) {
		return p.Key
	}
	return ""
}

func audited(t *testing.T, d *db.DB, action string) int {
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Upload, install, configure, enable, update (settings migrated or
// refused), disable and uninstall, each audited; an untrusted key, a
// different publisher and the same version are refused and leave the
// previous state; another admin cannot install someone's upload.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h := mustHost(t, plugin.DefaultLimits)
		pkg := plugintest.Package(t, "volumediscount", nil, nil)

		// Not trusted yet: refused, nothing installed, upload kept.
		id, p, err := plugin.Upload(ctx, d, owner.ActorID, pkg)
		if err != nil || p.Manifest.Name != "volume-discount" {
			t.Fatal(err)
		}
		if _, err := plugin.Install(ctx, d, h, id, owner); problemKey(err) != "plugins.bad.untrusted" {
			t.Fatalf("untrusted: %v", err)
		}
		if ps, _ := plugin.List(ctx, d); len(ps) != 0 {
			t.Fatalf("installed: %v", ps)
		}
		pub := plugintest.Key().Public().(ed25519.PublicKey)
		if err := plugin.TrustKey(ctx, d, pub, "Akinai examples", owner); err != nil {
			t.Fatal(err)
		}
		if _, err := plugin.Install(ctx, d, h, id, audit2()); shop.KindOf(err) != shop.NotFound {
			t.Fatalf("another admin's upload: %v", err)
		}
		got, err := plugin.Install(ctx, d, h, id, owner)
		if err != nil || got.Status != plugin.Disabled || got.Settings["percent"] != "10" || got.Version != "1.0.0" {
			t.Fatalf("install: %+v %v", got, err)
		}
		if err := plugin.Configure(ctx, d, "volume-discount", map[string]string{"min_qty": "3", "percent": "99"}, owner); err == nil {
			t.Fatal("99% accepted")
		}
		if err := plugin.Configure(ctx, d, "volume-discount", map[string]string{"min_qty": "3", "percent": "20"}, owner); err != nil {
			t.Fatal(err)
		}
		if err := plugin.SetEnabled(ctx, d, "volume-discount", true, owner); err != nil {
			t.Fatal(err)
		}

		// The same version again: refused.
		id, _, _ = plugin.Upload(ctx, d, owner.ActorID, pkg)
		if _, err := plugin.Install(ctx, d, h, id, owner); problemKey(err) != "plugins.bad.same_version" {
			t.Fatalf("same version: %v", err)
		}
		// Another publisher's package of that name: refused.
		other := plugintest.OtherKey().Public().(ed25519.PublicKey)
		plugin.TrustKey(ctx, d, other, "Someone else", owner)
		m := plugintest.Manifest(t, "volumediscount")
		m.Version = "1.1.0"
		id, _, _ = plugin.Upload(ctx, d, owner.ActorID, plugintest.Package(t, "volumediscount", &m, plugintest.OtherKey()))
		if _, err := plugin.Install(ctx, d, h, id, owner); problemKey(err) != "plugins.bad.other_publisher" {
			t.Fatalf("other publisher: %v", err)
		}
		// 1.1.0 with a new required setting without a default: refused.
		m.Settings = append(m.Settings, plugin.Setting{Name: "label", Type: "text", Label: plugin.Text{JA: "表示名"}, Required: true})
		id, _, _ = plugin.Upload(ctx, d, owner.ActorID, plugintest.Package(t, "volumediscount", &m, nil))
		var se *plugin.SettingsError
		if _, err := plugin.Install(ctx, d, h, id, owner); !errors.As(err, &se) || se.Fields["label"] != "plugins.setting.required" {
			t.Fatalf("unmigratable update: %v", err)
		}
		// With a default: migrated, the owner's values kept, still enabled.
		m.Settings[len(m.Settings)-1].Default = "まとめ買い"
		id, _, _ = plugin.Upload(ctx, d, owner.ActorID, plugintest.Package(t, "volumediscount", &m, nil))
		got, err = plugin.Install(ctx, d, h, id, owner)
		if err != nil || got.Version != "1.1.0" || got.Status != plugin.Enabled || got.Settings["percent"] != "20" || got.Settings["label"] != "まとめ買い" {
			t.Fatalf("update: %+v %v", got, err)
		}

		d.Exec(ctx, `INSERT INTO plugin_kv (plugin, k, value, updated_at) VALUES ('volume-discount', 'a', ?, ?)`, []byte("1"), d.Now())
		if err := plugin.SetEnabled(ctx, d, "volume-discount", false, owner); err != nil {
			t.Fatal(err)
		}
		if err := plugin.Uninstall(ctx, d, "volume-discount", owner); err != nil {
			t.Fatal(err)
		}
		var kv int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM plugin_kv WHERE plugin = 'volume-discount'`).Scan(&kv)
		if _, err := plugin.Get(ctx, d, "volume-discount"); shop.KindOf(err) != shop.NotFound || kv != 0 {
			t.Fatalf("after uninstall: %v, %d values", err, kv)
		}
		for action, want := range map[string]int{"plugin.install": 1, "plugin.update": 1, "plugin.configure": 1, "plugin.enable": 1,
			"plugin.disable": 1, "plugin.uninstall": 1} {
			if n := audited(t, d, action); n != want {
				t.Errorf("%s audited %d times", action, n)
			}
		}
	})
}

func audit2() (e audit.Entry) { e = owner; e.ActorID = 2; return e }
