package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/plugin"
	"github.com/akinai/akinai/internal/plugin/plugintest"
)

// The plugin story in headless Chromium: the owner trusts the example
// publisher's key, uploads the volume-discount plugin, reads its
// publisher and capabilities, installs, configures and enables it, and a
// buyer sees まとめ買い割引 at checkout. Then a deliberately broken plugin
// (an infinite loop in its discount hook) is installed and enabled:
// every order still goes through — the loop is stopped at the deadline —
// and after repeated failures the plugin is disabled, which the plugin
// list, its page and the dashboard show.
func TestPlugins_BrowserInstallAndBrokenPlugin(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	adm := base + adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	d := openAdminDB(t, cfg.DatabaseURL)
	ctx := context.Background()
	vid := seedProduct(t, d, "cup", "standard", []string{"CUP-1"}, []int{-1})[0]

	dir := t.TempDir()
	vdPath := filepath.Join(dir, "volume-discount.akp")
	brokenPath := filepath.Join(dir, "broken.akp")
	m := plugintest.Manifest(t, "misbehave")
	m.Name, m.Title = "broken-loop", plugin.Text{JA: "わざと壊したプラグイン", EN: "Deliberately broken plugin"}
	m.Settings[0].Default = "loop"
	m.Publisher.Name = "Akinai examples"
	for path, pkg := range map[string][]byte{vdPath: plugintest.Package(t, "volumediscount", nil, nil), brokenPath: plugintest.Package(t, "misbehave", &m, nil)} {
		if err := os.WriteFile(path, pkg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pub := base64.StdEncoding.EncodeToString(plugintest.Key().Public().(ed25519.PublicKey))

	bctx := newBrowser(t)
	browserSignIn(t, bctx, adm, "ja", secret)
	browse(t, bctx, "trust the publisher's key",
		chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/plugins/keys"]`)),
		chromedp.WaitVisible(chromedp.CSS("#plugin-key-add")),
		chromedp.SendKeys(chromedp.CSS(`#plugin-key-add input[name=publisher]`), "Akinai examples"),
		chromedp.SendKeys(chromedp.CSS(`#plugin-key-add input[name=key]`), pub),
		chromedp.Click(chromedp.CSS(`#plugin-key-add button`)),
		chromedp.WaitVisible(chromedp.CSS(`#plugin-keys code`)),
	)
	shots(t, bctx, "plugin-keys")
	install := func(path, name string) {
		t.Helper()
		browse(t, bctx, "upload "+name,
			chromedp.Click(chromedp.CSS(`.admin-nav a[href$="/plugins"]`)),
			chromedp.WaitVisible(chromedp.CSS("#plugin-upload")),
			chromedp.SetUploadFiles(chromedp.CSS(`#plugin-upload input[type=file]`), []string{path}),
			chromedp.Click(chromedp.CSS(`#plugin-upload button`)),
			chromedp.WaitVisible(chromedp.CSS("#plugin-review")),
		)
		if got := text(t, bctx, "#plugin-review"); !strings.Contains(got, "Akinai examples") || !strings.Contains(got, "信頼済み") {
			t.Fatalf("review of %s: %q", name, got)
		}
		shots(t, bctx, "plugin-review-"+name)
		browse(t, bctx, "install "+name,
			chromedp.Click(chromedp.CSS(`#plugin-install button`)),
			chromedp.WaitVisible(chromedp.CSS("#plugin-toggle")),
		)
	}
	install(vdPath, "volume-discount")
	if got := text(t, bctx, "#plugin-review, main"); !strings.Contains(got, "なし（受け取ったデータから結果を返すだけ）") {
		t.Fatalf("capabilities of the volume discount: %q", got)
	}
	browse(t, bctx, "configure and enable the volume discount",
		chromedp.SetValue(chromedp.CSS("#setting-min_qty"), "3"),
		chromedp.Click(chromedp.CSS(`#plugin-settings button`)),
		chromedp.WaitVisible(chromedp.CSS("#plugin-settings")),
		chromedp.Click(chromedp.CSS(`#plugin-toggle button`)),
		chromedp.WaitVisible(chromedp.CSS(`#plugin-volume-discount .status.ok`)),
	)

	if p, err := plugin.Get(ctx, d, "volume-discount"); err != nil || p.Settings["min_qty"] != "3" || p.Status != plugin.Enabled {
		t.Fatalf("volume discount after the settings: %+v %v", p, err)
	}
	// A buyer takes three cups: 10% off at checkout.
	browse(t, bctx, "the discount at checkout",
		chromedp.Navigate(base+"/products/cup"),
		chromedp.SetValue(chromedp.CSS(`#qty`), "3"),
		chromedp.Click(chromedp.CSS(`form.add-to-cart button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.cart`)),
		chromedp.Navigate(base+"/checkout"),
		chromedp.WaitVisible(chromedp.CSS(`#checkout-form`)),
		chromedp.SendKeys(chromedp.CSS(`#family_name`), "山田"),
		chromedp.SendKeys(chromedp.CSS(`#given_name`), "花子"),
		chromedp.SendKeys(chromedp.CSS(`#family_kana`), "ヤマダ"),
		chromedp.SendKeys(chromedp.CSS(`#given_kana`), "ハナコ"),
		chromedp.SendKeys(chromedp.CSS(`#phone`), "03-1234-5678"),
		chromedp.SendKeys(chromedp.CSS(`#postal_code`), "1000001"),
		chromedp.SetValue(chromedp.CSS(`#pref`), "13"),
		chromedp.SetValue(chromedp.CSS(`#city`), "千代田区千代田"),
		chromedp.SendKeys(chromedp.CSS(`#address1`), "1-1"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "hanako@example.jp"),
		chromedp.SendKeys(chromedp.CSS(`#email2`), "hanako@example.jp"),
		chromedp.Click(chromedp.CSS(`input[name=method][value="1"]`)),
		chromedp.Click(chromedp.CSS(`input[name=payment][value=cod]`)),
		chromedp.Click(chromedp.CSS(`#to-confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#place-order`)),
	)
	// 3 × ¥1,100 = ¥3,300; 10% is ¥330.
	if got := text(t, bctx, "main"); !strings.Contains(got, "まとめ買い割引") || !strings.Contains(got, "-¥330") {
		t.Fatalf("discount line: %q", got)
	}
	shots(t, bctx, "plugin-checkout-confirm")
	browse(t, bctx, "place the order", chromedp.Click(chromedp.CSS(`#place-order`)), chromedp.WaitVisible(chromedp.CSS(`#order-number`)))
	var discount int64
	if err := d.QueryRow(ctx, `SELECT discount FROM orders ORDER BY id DESC LIMIT 1`).Scan(&discount); err != nil || discount != 330 {
		t.Fatalf("stored discount %d %v", discount, err)
	}

	// The broken plugin: installed and enabled as any other.
	browse(t, bctx, "back to the admin", chromedp.Navigate(adm+"/"), chromedp.WaitVisible(chromedp.CSS(".admin-nav")))
	install(brokenPath, "broken-loop")
	if got := text(t, bctx, "main"); !strings.Contains(got, "プラグイン専用の保存領域") || !strings.Contains(got, "orders:read") {
		t.Fatalf("capabilities of the broken plugin: %q", got)
	}
	browse(t, bctx, "enable the broken plugin",
		chromedp.Click(chromedp.CSS(`#plugin-toggle button`)),
		chromedp.WaitVisible(chromedp.CSS(`#plugin-broken-loop .status.ok`)),
	)
	// Orders keep being placed while it loops, each in reasonable time.
	for i := range plugin.MaxFailures + 1 {
		b := newBuyer(t, base)
		if resp, body, err := b.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"3"}}); err != nil || resp.StatusCode != 303 {
			t.Fatalf("add %d: %v %.300s", i, err, body)
		}
		start := time.Now()
		resp, body, err := b.post(base+"/checkout/place", orderForm(randHex(16), "cod"))
		if err != nil || resp.StatusCode != 303 {
			if i := strings.Index(body, "<main"); i > 0 {
				body = body[i:]
			}
			t.Fatalf("order %d: %v %d %.800s", i, err, resp.StatusCode, body)
		}
		t.Logf("order %d placed in %s", i, time.Since(start).Round(time.Millisecond))
	}
	var orders int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&orders)
	if orders != plugin.MaxFailures+2 {
		t.Fatalf("%d orders", orders)
	}
	// The failures are booked in the background: wait for the disable.
	deadline := time.Now().Add(60 * time.Second)
	for {
		p, err := plugin.Get(ctx, d, "broken-loop")
		if err == nil && p.Status == plugin.Disabled && p.DisabledReason == "failures" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the broken plugin is still %+v (%v)", p, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	browse(t, bctx, "the plugin list shows it stopped",
		chromedp.Navigate(adm+"/plugins"),
		chromedp.WaitVisible(chromedp.CSS(`#plugin-broken-loop .plugin-stopped`)),
	)
	shots(t, bctx, "plugins-list")
	browse(t, bctx, "its page says why",
		chromedp.Click(chromedp.CSS(`#plugin-broken-loop a`)),
		chromedp.WaitVisible(chromedp.CSS(`#plugin-stopped`)),
	)
	if got := text(t, bctx, "#plugin-last-error"); !strings.Contains(got, "stopped after") {
		t.Fatalf("last error: %q", got)
	}
	shots(t, bctx, "plugin-stopped")
	browse(t, bctx, "the dashboard tells the owner",
		chromedp.Navigate(adm+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#plugin-status`)),
	)
	if got := text(t, bctx, "#plugin-status"); !strings.Contains(got, "1 個のプラグインが自動停止しています") {
		t.Fatalf("dashboard card: %q", got)
	}
	// The volume discount still applies to the orders after the stop.
	if err := d.QueryRow(ctx, `SELECT discount FROM orders ORDER BY id DESC LIMIT 1`).Scan(&discount); err != nil || discount != 330 {
		t.Fatalf("last order's discount %d %v", discount, err)
	}
}
