package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
)

// shots saves a full-page screenshot at 1280 and 390 px wide into
// $AKINAI_SCREENSHOTS (nothing when unset), for a person to look at.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("AKINAI_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, w := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
}

// An operator's busy morning in Chromium: the paid orders due tomorrow
// are ticked on the list, their Yamato B2 label CSV is exported (read
// back: Shift_JIS, B2's header, one row per parcel), the slip numbers B2
// gives back are imported — checked first, then applied — and the orders
// are shipped with their shipping notices in the outbox.
func TestAdminOrders_BrowserLabelsAndTracking(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	d := openAdminDB(t, cfg.DatabaseURL)
	bg := context.Background()
	pot := seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{50})[0]
	tea := seedProduct(t, d, "tea", "reduced", []string{"TEA-1"}, []int{50})[0]
	tomorrow := time.Now().In(time.FixedZone("JST", 9*3600)).AddDate(0, 0, 1).Format("2006-01-02")
	o1 := placeParcelOrder(t, d, pot, tea, tomorrow)
	o2 := placeParcelOrder(t, d, pot, tea, tomorrow)
	later := placeParcelOrder(t, d, pot, tea, "")
	if _, err := d.Exec(bg, `INSERT INTO settings (key, value, updated_at) VALUES ('carrier.yamato_billing', '012345678901', ?), ('carrier.yamato_freight', '01', ?)`, d.Now(), d.Now()); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	browserSignIn(t, ctx, base+admin, "ja", secret)

	browse(t, ctx, "paid orders due tomorrow, all ticked",
		chromedp.Navigate(base+admin+"/orders?status=paid&delivery=tomorrow"),
		chromedp.WaitVisible(chromedp.CSS("#check-page")),
		chromedp.Click(chromedp.CSS("#check-page")),
		chromedp.WaitVisible(chromedp.CSS(`#orders-table input.pick:checked`)),
	)
	if got := text(t, ctx, "#orders-table"); !strings.Contains(got, o1.Number) || !strings.Contains(got, o2.Number) || strings.Contains(got, later.Number) {
		t.Fatalf("list: %q", got)
	}
	shots(t, ctx, "orders-list")
	browse(t, ctx, "choose the Yamato export", chromedp.SetValue(chromedp.CSS("#bulk-action"), "labels_yamato"))
	// The form posts to a download; the page's own session sends it as the
	// browser would and reads the file.
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("bulk-form").getAttribute("action"), {method: "POST", body: new URLSearchParams(new FormData(document.getElementById("bulk-form"))), credentials: "same-origin"})
		.then(r => { if (!r.ok) throw new Error("status " + r.status); return r.arrayBuffer(); })
		.then(buf => { let s = ""; for (const b of new Uint8Array(buf)) s += String.fromCharCode(b); return btoa(s); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("label download: %v", err)
	}
	raw, _ := base64.StdEncoding.DecodeString(b64)
	rd, err := csvfile.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := rd.ReadAll()
	if err != nil || rd.Encoding != csvfile.ShiftJIS || len(recs) != 3 || recs[0][0] != "お客様管理番号" || len(recs[1]) != 42 {
		t.Fatalf("labels: %v %s %d rows", err, rd.Encoding, len(recs))
	}
	refs := map[string]bool{recs[1][0]: true, recs[2][0]: true}
	if !refs[order.ParcelRef(o1.Number, 1)] || !refs[order.ParcelRef(o2.Number, 1)] || recs[1][6] != "0812" {
		t.Fatalf("label rows: %q", recs[1:])
	}

	// B2's issued data comes back with the slip numbers.
	var back strings.Builder
	back.WriteString("お客様管理番号,送り状種類,クール区分,伝票番号\r\n")
	for i, rec := range recs[1:] {
		fmt.Fprintf(&back, "%s,0,0,5000123456%02d\r\n", rec[0], i)
	}
	file := filepath.Join(t.TempDir(), "b2-issued.csv")
	if err := os.WriteFile(file, []byte(csvfile.ForShiftJIS(back.String())), 0o600); err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, "tracking dry run",
		chromedp.Navigate(base+admin+"/orders"),
		chromedp.Click(chromedp.CSS("#tracking-import")),
		chromedp.WaitVisible(chromedp.CSS("#tracking-form")),
		chromedp.SetValue(chromedp.CSS(`#tracking-form select[name=carrier]`), "yamato"),
		chromedp.SetUploadFiles(chromedp.CSS(`#tracking-form input[type=file]`), []string{file}),
		chromedp.Click(chromedp.CSS("#tracking-dry-run")),
		chromedp.WaitVisible(chromedp.CSS("#tracking-plan")),
	)
	if got := text(t, ctx, "#tracking-plan"); !strings.Contains(got, "2個の荷物（2件の受注）") || !strings.Contains(got, "500012345600") {
		t.Fatalf("dry run: %q", got)
	}
	shots(t, ctx, "tracking-dry-run")
	browse(t, ctx, "apply",
		chromedp.Click(chromedp.CSS("#tracking-apply")),
		chromedp.WaitVisible(chromedp.CSS(`#bulk-job[data-status="done"]`)), // the page reloads itself every 2 s
	)
	if got := text(t, ctx, "#bulk-counts"); !strings.Contains(got, "変更 2件") {
		t.Fatalf("job: %q", got)
	}
	shots(t, ctx, "tracking-applied")
	for i, o := range []*order.Order{o1, o2} {
		got, err := order.ByNumber(bg, d, o.Number)
		if err != nil || got.Status != order.Shipped || got.Parcels[0].Tracking != fmt.Sprintf("5000123456%02d", i) {
			t.Fatalf("%s: %v %+v", o.Number, err, got)
		}
		var n int
		if err := d.QueryRow(bg, `SELECT COUNT(*) FROM outbox WHERE event = 'order_shipped' AND body_text LIKE ?`, "%"+got.Parcels[0].Tracking+"%").Scan(&n); err != nil || n != 1 {
			t.Fatalf("notice for %s: %d %v", o.Number, n, err)
		}
	}
}
