package plugin_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/plugin/plugintest"
	"github.com/akinai/akinai/pluginsdk"
)

// installed returns the misbehaving plugin as the host sees it, in mode.
func misbehaving(t *testing.T, mode string) *plugin.Installed {
	t.Helper()
	misbehaveOnce.Do(func() { misbehavePkg, misbehaveErr = plugin.ReadPackage(plugintest.Package(t, "misbehave", nil, nil)) })
	pkg, err := misbehavePkg, misbehaveErr
	if err != nil {
		t.Fatal(err)
	}
	return &plugin.Installed{Name: "misbehave", Manifest: pkg.Manifest, WasmSHA256: pkg.Manifest.WasmSHA256, Module: pkg.Module,
		Settings: map[string]string{"mode": mode, "amount": "100"}}
}

var (
	misbehaveOnce sync.Once
	misbehavePkg  *plugin.Package
	misbehaveErr  error
)

var cart = pluginsdk.Cart{Now: "2026-12-02T10:00:00Z", Lines: []pluginsdk.Line{{SKU: "TEA", Qty: 3, UnitPrice: 1000, Total: 3000}}, Subtotal: 3000}

// A loop, an allocation without end, a trap, nonsense output and an error
// each stop the call with a clear reason, wrapped in ErrSkipped; the host
// goes on serving good calls, and the module was compiled once.
func TestHost_BadBehaviour(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	l := plugin.DefaultLimits
	l.Timeout = 300 * time.Millisecond // a loaded CI machine; the loop is stopped all the same
	l.MemoryPages = 512                // 32 MiB
	h := mustHost(t, l)
	ctx := context.Background()
	good := func() {
		t.Helper()
		var out pluginsdk.Discount
		if err := h.Call(ctx, misbehaving(t, "ok"), plugin.HookDiscount, d, cart, &out); err != nil || out.Amount != 100 {
			t.Fatalf("good call after a bad one: %+v %v", out, err)
		}
	}
	good()
	for _, tc := range []struct{ mode, want string }{
		{"loop", "stopped after 300ms"},
		{"alloc", "trap|stopped after"}, // out of memory, or the deadline while the collector works on a busy machine
		{"trap", "trap"},
		{"garbage", "output is not the expected JSON"},
		{"error", "plugin error: deliberate error"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			var out pluginsdk.Discount
			start := time.Now()
			err := h.Call(ctx, misbehaving(t, tc.mode), plugin.HookDiscount, d, cart, &out)
			if !errors.Is(err, plugin.ErrSkipped) || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if time.Since(start) > time.Minute {
				t.Fatalf("took %s", time.Since(start))
			}
			good()
		})
	}
	// Input over the limit is refused before the plugin runs.
	big := cart
	big.Lines = make([]pluginsdk.Line, 2000)
	if err := h.Call(ctx, misbehaving(t, "ok"), plugin.HookDiscount, d, big, &pluginsdk.Discount{}); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("big input: %v", err)
	}
	if n := h.Compiles(); n != 1 {
		t.Fatalf("compiled %d times", n)
	}
}

// The plugin set: a plugin that fails MaxFailures times in a row is
// disabled with an audit entry, while the others go on; the shop is told
// through the plugin's row (reason, count, last error).
func TestPlugins_DisableAfterFailures(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := plugin.DefaultLimits
		l.Timeout = 200 * time.Millisecond
		h := mustHost(t, l)
		mustInstall(t, d, h, plugintest.Package(t, "misbehave", nil, nil), map[string]string{"mode": "loop", "amount": "100"})
		vd := mustInstall(t, d, h, plugintest.Package(t, "volumediscount", nil, nil), nil)
		ps := plugin.New(d, h, nil)
		big := cart
		big.Lines = []pluginsdk.Line{{SKU: "TEA", Qty: 5, UnitPrice: 1000, Total: 5000}}
		big.Subtotal = 5000
		for i := range plugin.MaxFailures {
			ds := ps.Discounts(ctx, d, big)
			if len(ds) != 1 || ds[0].Plugin != vd.Name || ds[0].Amount != 500 {
				t.Fatalf("call %d: %+v", i, ds)
			}
			ps.Wait()
		}
		p, err := plugin.Get(ctx, d, "misbehave")
		if err != nil || p.Status != plugin.Disabled || p.DisabledReason != "failures" || p.Failures != plugin.MaxFailures || !strings.Contains(p.LastError, "stopped after") {
			t.Fatalf("after %d failures: %+v %v", plugin.MaxFailures, p, err)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'plugin.auto_disable' AND target = 'plugin:misbehave'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d audit entries", n)
		}
		if ws := ps.With(ctx, d, plugin.HookDiscount); len(ws) != 1 || ws[0].Name != vd.Name {
			t.Fatalf("still enabled: %v", ws)
		}
		// Enabled again by the owner: the count starts over.
		if err := plugin.SetEnabled(ctx, d, "misbehave", true, owner); err != nil {
			t.Fatal(err)
		}
		if p, _ := plugin.Get(ctx, d, "misbehave"); p.Failures != 0 || p.Status != plugin.Enabled {
			t.Fatalf("re-enabled: %+v", p)
		}
	})
}
