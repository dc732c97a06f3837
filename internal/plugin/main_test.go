package plugin_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"testing"

	"github.com/tetratelabs/wazero"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/plugin/plugintest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// cache is shared by the tests' hosts, as by the instances of one process.
var cache = wazero.NewCompilationCache()

func mustHost(tb testing.TB, l plugin.Limits) *plugin.Host {
	tb.Helper()
	h, err := plugin.NewHost(context.Background(), l, cache)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { h.Close(context.Background()) })
	return h
}

var owner = audit.Entry{ActorID: 1, Actor: "owner@example.jp"}

// mustInstall trusts the test key, uploads and installs pkg, sets the
// settings and enables it.
func mustInstall(tb testing.TB, d *db.DB, h *plugin.Host, pkg []byte, settings map[string]string) *plugin.Installed {
	tb.Helper()
	ctx := context.Background()
	pub := plugintest.Key().Public().(ed25519.PublicKey)
	if err := plugin.TrustKey(ctx, d, pub, "Akinai tests", owner); err != nil {
		tb.Fatal(err)
	}
	id, p, err := plugin.Upload(ctx, d, owner.ActorID, pkg)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := plugin.Install(ctx, d, h, id, owner); err != nil {
		tb.Fatal(err)
	}
	if settings != nil {
		if err := plugin.Configure(ctx, d, p.Manifest.Name, settings, owner); err != nil {
			tb.Fatal(err)
		}
	}
	if err := plugin.SetEnabled(ctx, d, p.Manifest.Name, true, owner); err != nil {
		tb.Fatal(err)
	}
	got, err := plugin.Get(ctx, d, p.Manifest.Name)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

func b64(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) }
