package checkout

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/plugin/plugintest"
	"github.com/akinai/akinai/internal/shop"
)

var (
	wasmCache     = wazero.NewCompilationCache()
	pluginLimits  = plugin.Limits{MemoryPages: 512, Timeout: 200 * time.Millisecond, InitTimeout: 10 * time.Second, MaxInput: 64 << 10, MaxOutput: 64 << 10}
	pluginBuildMu sync.Mutex
)

// withPlugins gives svc the plugin set of d on a host of its own and
// installs and enables each named example with its settings.
func withPlugins(t testing.TB, d *db.DB, svc *Service, plugins map[string]map[string]string) *plugin.Plugins {
	t.Helper()
	h, err := plugin.NewHost(context.Background(), pluginLimits, wasmCache)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close(context.Background()) })
	for name, settings := range plugins {
		pluginBuildMu.Lock() // one toolchain build at a time on a small machine
		pkg := plugintest.Package(t, name, nil, nil)
		pluginBuildMu.Unlock()
		plugintest.Install(t, d, h, pkg, settings)
	}
	svc.Plugins = plugin.New(d, h, nil)
	return svc.Plugins
}

// The volume-discount example in a real checkout: five items at 10% take
// 382 off the 3,820 of items, prorated over the rates; the order keeps it.
// A broken plugin (an infinite loop) enabled beside it is stopped on
// every call and disabled after MaxFailures, and every order is placed.
func TestPlace_VolumeDiscountPlugin(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		if _, err := d.Exec(ctx, `UPDATE variants SET stock = 100 WHERE stock IS NOT NULL`); err != nil {
			t.Fatal(err)
		}
		ps := withPlugins(t, d, svc, map[string]map[string]string{
			"volumediscount": {"min_qty": "5", "percent": "10"},
			"misbehave":      {"mode": "loop", "amount": "100"},
		})
		qt, err := svc.Quote(ctx, in)
		if err != nil || qt.Plugins.Discount != 382 || qt.Total != 5080-382 || len(qt.Plugins.Discounts) != 1 || qt.Plugins.Discounts[0].Label.JA != "まとめ買い割引" {
			t.Fatalf("quote %+v %+v %v", qt, qt.Plugins, err)
		}
		ps.Wait()
		for i := range plugin.MaxFailures {
			o, err := svc.Place(ctx, in)
			if err != nil {
				t.Fatalf("order %d: %v", i, err)
			}
			if o.Discount != 382 || o.Total != 4698 {
				t.Fatalf("order %d: discount %d total %d", i, o.Discount, o.Total)
			}
			ps.Wait()
			in = refill(t, d, in, ids)
		}
		p, err := plugin.Get(ctx, d, "misbehave")
		if err != nil || p.Status != plugin.Disabled || p.DisabledReason != "failures" {
			t.Fatalf("the looping plugin: %+v %v", p, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != plugin.MaxFailures {
			t.Fatalf("%d orders", n)
		}
		// Its order.placed reactions were queued while it was enabled.
		if n := count(t, d, `SELECT COUNT(*) FROM plugin_jobs WHERE plugin = 'misbehave'`); n == 0 {
			t.Fatal("no reactions queued")
		}
	})
}

// refill gives in a new cart with the fixture's lines and a new key.
func refill(t *testing.T, d *db.DB, in *Input, ids [2]int64) *Input {
	t.Helper()
	ctx := context.Background()
	carts := cart.NewStore(d)
	id, err := carts.Create(ctx, cart.NewToken())
	if err != nil {
		t.Fatal(err)
	}
	if err := carts.Add(ctx, id, ids[0], 2); err != nil {
		t.Fatal(err)
	}
	if err := carts.Add(ctx, id, ids[1], 3); err != nil {
		t.Fatal(err)
	}
	out := *in
	out.CartID, out.Key = id, cart.NewToken()
	return &out
}

// The free-shipping example: a member of the named rank whose items reach
// the amount pays no delivery fee; a guest with the same cart pays it.
func TestQuote_RankFreeShippingPlugin(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	svc, in, _ := fixture(t, d)
	cid := memberOf(t, d, "gold@example.jp", 0)
	withPlugins(t, d, svc, map[string]map[string]string{"freeshipping": {"rank": "ランクgold@example.jp", "min_amount": "3000"}})
	guest, err := svc.Quote(ctx, in)
	if err != nil || guest.DeliveryFee != 930 {
		t.Fatalf("guest: %+v %v", guest, err)
	}
	in.CustomerID = &cid
	qt, err := svc.Quote(ctx, in)
	if err != nil || qt.DeliveryFee != 0 || qt.Shipments[0].Fee != 0 || qt.Total != 5080-930 || len(qt.Plugins.Notes) != 1 {
		t.Fatalf("member: %+v %v", qt, err)
	}
	o, err := svc.Place(ctx, in)
	if err != nil || o.DeliveryFee != 0 || o.Total != 4150 {
		t.Fatalf("order: %+v %v", o, err)
	}
}

// The PO-box example refuses 私書箱 and 郵便局留め (in full-width too)
// with its message on the field "plugin"; a street address passes.
func TestQuote_POBoxPlugin(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	svc, in, _ := fixture(t, d)
	withPlugins(t, d, svc, map[string]map[string]string{"pobox": nil})
	for _, addr := range []string{"私書箱 第12号", "中央郵便局留め", "Ｐ．Ｏ． Ｂｏｘ 5"} {
		in.Ship.Address1 = addr
		qt, err := svc.Quote(ctx, in)
		var se *shop.Error
		if !errors.As(err, &se) || se.Fields["plugin"] != "plugins.refused" || qt == nil || qt.Plugins.Refusal == nil ||
			!strings.Contains(qt.Plugins.Refusal.Message.JA, "私書箱") {
			t.Fatalf("%s: %v %+v", addr, err, qt)
		}
		if _, err := svc.Place(ctx, in); shop.KindOf(err) != shop.Invalid {
			t.Fatalf("%s placed: %v", addr, err)
		}
	}
	in.Ship.Address1 = "1-1 私市ビル" // 私 alone is not a PO box
	if _, err := svc.Place(ctx, in); err != nil {
		t.Fatal(err)
	}
}
