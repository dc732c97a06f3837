package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/chromedp/chromedp"
)

// An operator in Chromium signs in, marks an order shipped with a
// tracking number (the shipping notice lands in the outbox), then exports
// the orders as Shift_JIS from the list page; the download, fetched with
// the browser's session, reads back with the buyer's name 髙橋 (a CP932
// extension character) intact.
func TestAdminOrders_Browser(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	d := openAdminDB(t, cfg.DatabaseURL)
	pot := seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{5})[0]
	tea := seedProduct(t, d, "tea", "reduced", []string{"TEA-1"}, []int{10})[0]
	o := placeTestOrder(t, d, pot, tea)
	ctx := newBrowser(t)

	browserSignIn(t, ctx, base+admin, "ja", secret)
	browse(t, ctx, "mark shipped",
		chromedp.Navigate(base+admin+"/orders/"+o.Number),
		chromedp.WaitVisible(chromedp.CSS("#ship-form")),
		chromedp.SetValue(chromedp.CSS(`#ship-form select[name=carrier]`), "yamato"),
		chromedp.SendKeys(chromedp.CSS("#tracking"), "4321-8765-0042"),
		chromedp.Click(chromedp.CSS("#ship-button")),
		chromedp.WaitVisible(chromedp.CSS(`#order-status.status-shipped`)),
	)
	if got := text(t, ctx, "#shipments"); !strings.Contains(got, "4321-8765-0042") {
		t.Errorf("shipments after shipping: %q", got)
	}
	var subject, body string
	if err := d.QueryRow(context.Background(), `SELECT subject, body_text FROM outbox WHERE event = 'order_shipped' AND to_addr = ?`, o.Email).Scan(&subject, &body); err != nil {
		t.Fatalf("no order_shipped mail in the outbox: %v", err)
	}
	if !strings.Contains(subject, o.Number) || !strings.Contains(body, "4321-8765-0042") || !strings.Contains(body, "髙橋 花子 様") {
		t.Fatalf("shipping notice:\n%s\n%s", subject, body)
	}

	browse(t, ctx, "orders list",
		chromedp.Navigate(base+admin+"/orders"),
		chromedp.WaitVisible(chromedp.CSS("#export-sjis")),
	)
	// The page's own session fetches the link the operator would click.
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("export-sjis").href, {credentials: "same-origin"})
		.then(r => { if (!r.ok) throw new Error("status " + r.status); return r.arrayBuffer(); })
		.then(buf => { let s = ""; for (const b of new Uint8Array(buf)) s += String.fromCharCode(b); return btoa(s); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("髙橋")) {
		t.Fatal("the Shift_JIS export holds UTF-8 text")
	}
	rd, err := csvfile.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := rd.ReadAll()
	if err != nil || rd.Encoding != csvfile.ShiftJIS || len(recs) != 2 {
		t.Fatalf("csv: %v %s %d rows", err, rd.Encoding, len(recs))
	}
	if recs[0][0] != "注文番号" || recs[1][0] != o.Number || recs[1][4] != "髙橋" || recs[1][5] != "花子" {
		t.Fatalf("csv rows %q", recs)
	}
}
