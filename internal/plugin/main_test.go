package plugin_test

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"

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

func mustInstall(tb testing.TB, d *db.DB, h *plugin.Host, pkg []byte, settings map[string]string) *plugin.Installed {
	tb.Helper()
	return plugintest.Install(tb, d, h, pkg, settings)
}

var owner = plugintest.Owner
