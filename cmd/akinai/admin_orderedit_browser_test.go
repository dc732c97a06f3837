package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/payment/stripetest"
	"github.com/akinai/akinai/internal/refund"
	"github.com/akinai/akinai/internal/settings"
	"github.com/chromedp/chromedp"
)

// placePaidOrder creates an order for 髙橋 花子 in one parcel — 2 × POT
// (¥1,100 at 10%), 3 × TEA (¥1,080 at 8%), delivery ¥930, total ¥6,370 —
// paid with method, and for a card records the captured payment.
func placePaidOrder(t *testing.T, d *db.DB, status order.Status, method string, pot, tea int64) *order.Order {
	t.Helper()
	ctx := context.Background()
	addr := order.Address{FamilyName: "髙橋", GivenName: "花子", FamilyKana: "タカハシ", GivenKana: "ハナコ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区千代田", Address1: "1-1"}
	o := &order.Order{IdempotencyKey: fmt.Sprintf("t-%d", time.Now().UnixNano()), Status: status, Lang: "ja", Email: "hanako@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: method,
		Subtotal: 5440, DeliveryFee: 930, Total: 6370,
		Rates: []order.RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []order.Line{
			{VariantID: pot, NameJA: "急須", SKU: "POT-1", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: tea, NameJA: "煎茶", SKU: "TEA-1", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		},
		Parcels: []order.Parcel{{Ship: addr, Method: 1, Fee: 930, Items: []order.ParcelItem{{Line: 0, Qty: 2}, {Line: 1, Qty: 3}}}}}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := order.Create(ctx, tx, o); err != nil {
			return err
		}
		if method != order.Card {
			return nil
		}
		return order.RecordPayment(ctx, tx, o.ID, order.Payment{Provider: "stripe", Method: order.Card, Reference: "pi_test_edit", Amount: o.Total, Status: "succeeded"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// An operator in Chromium edits a paid card order: a second tab saves
// first, so the first tab's save is refused with 409 and the order as it
// is now; saved again, the pot line is gone, its stock back, the tax per
// rate recomputed, ¥2,200 refunded at stripe-mock, and the history shows
// before → after. Then a shipped bank-transfer order takes a return: a
// negative refund is refused by its field with nothing written, and the
// return is recorded with the damaged pot kept out of stock (the
// default) and the tea restocked.
func TestAdminOrderEdit_Browser(t *testing.T) {
	t.Parallel()
	mock := stripetest.Start(t, "")
	secret := []byte("orderedit-browser-test-master-secret-0123456789")
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t), Secret: secret}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	adm := adminPathOf(setup)
	_, pass := setupOwner(t, base, setup)
	d := openAdminDB(t, cfg.DatabaseURL)
	ctx := context.Background()
	pot := seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{5})[0]
	tea := seedProduct(t, d, "tea", "reduced", []string{"TEA-1"}, []int{10})[0]
	o := placePaidOrder(t, d, order.Paid, order.Card, pot, tea)
	sealed, err := settings.SealCardKey(secret, "sk_test_OrderEdit123")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		return settings.New(d).Set(ctx, tx, map[string]string{settings.PaymentCardKeySealed: sealed, checkout.StripeURL: mock,
			settings.InvoiceNumber: testRegistration()})
	}); err != nil {
		t.Fatal(err)
	}
	keySet := time.Now()
	lines, err := order.AdminLines(ctx, d, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	potQty := fmt.Sprintf(`#revise-form input[name="qty_%d"]`, lines[0].ID)

	b := newBrowser(t)
	browserSignIn(t, b, base+adm, "ja", pass)
	browse(t, b, "open the edit screen from the order",
		chromedp.Navigate(base+adm+"/orders/"+o.Number),
		chromedp.Click(chromedp.CSS("#revise-link")),
		chromedp.WaitVisible(chromedp.CSS("#revise-form")),
	)
	screenshot(t, b, "orderedit-form")

	// Another operator, in a second tab, saves first.
	other, cancel := chromedp.NewContext(b)
	defer cancel()
	browse(t, other, "second tab saves",
		chromedp.Navigate(base+adm+"/orders/"+o.Number+"/revise"),
		chromedp.WaitVisible(chromedp.CSS("#revise-form")),
		chromedp.SendKeys(chromedp.CSS("#edit-note"), "電話で住所確認"),
		chromedp.Click(chromedp.CSS("#save-revise")),
		chromedp.WaitVisible(chromedp.CSS("#order-number")),
	)
	// The first tab's form is stale now: posting it answers 409.
	status, err := chromedp.Run(b, chromedp.Evaluate[int](`fetch(document.getElementById("revise-form").action,
		{method: "POST", body: new URLSearchParams(new FormData(document.getElementById("revise-form"))), credentials: "same-origin"}).then(r => r.status)`,
		chromedp.EvalAwaitPromise))
	if err != nil || status != 409 {
		t.Fatalf("stale save answered %d (%v), want 409", status, err)
	}
	browse(t, b, "stale save refused",
		chromedp.SetValue(chromedp.CSS(potQty), "0"),
		chromedp.Click(chromedp.CSS("#save-revise")),
		chromedp.WaitVisible(chromedp.CSS("#conflict-note")),
	)
	if msg := text(t, b, "#form-error"); !strings.Contains(msg, "他の管理者が先に更新しました") {
		t.Fatalf("conflict message %q", msg)
	}
	screenshot(t, b, "orderedit-conflict")
	if n := stock(t, d, pot); n != 3 {
		t.Fatalf("a refused edit moved the stock: %d", n)
	}

	// The card key must be past the shop's settings cache before the
	// refund is sent (settings.TTL, a fixed time, not a peer's readiness).
	time.Sleep(time.Until(keySet.Add(settings.TTL + 500*time.Millisecond)))
	browse(t, b, "remove the pot line",
		chromedp.SetValue(chromedp.CSS(potQty), "0"),
		chromedp.SendKeys(chromedp.CSS("#edit-note"), "お客様都合で急須を取消"),
		chromedp.Click(chromedp.CSS("#save-revise")),
		chromedp.WaitVisible(chromedp.CSS("#order-summary")),
	)
	screenshot(t, b, "orderedit-after")
	if got := text(t, b, "#order-total"); got != "¥4,170" {
		t.Fatalf("total after the edit %q", got)
	}
	hist := text(t, b, "#history")
	for _, want := range []string{"POT-1 ×2→×0", "total ¥6,370→¥4,170", "10% tax ¥284→¥84"} {
		if !strings.Contains(hist, want) {
			t.Fatalf("history lacks %q:\n%s", want, hist)
		}
	}
	if n := stock(t, d, pot); n != 5 {
		t.Fatalf("pot stock %d after the line was removed, want 5", n)
	}
	var rf *refund.Refund
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		rs, err := refund.ByOrder(ctx, d, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 1 && rs[0].Status == refund.Succeeded {
			rf = rs[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no refund sent to stripe-mock: %+v", rs)
		}
	}
	if rf.Amount != 2200 || !strings.HasPrefix(rf.Reference, "re_") || rf.PaymentRef != "pi_test_edit" || len(rf.Rates) != 1 || rf.Rates[0].Tax != 200 {
		t.Fatalf("refund %+v", rf)
	}
	var details string
	if err := d.QueryRow(ctx, `SELECT details FROM audit_log WHERE action = 'order.edited' AND target = ? ORDER BY id DESC LIMIT 1`, o.Number).Scan(&details); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(details, `"before"`) || !strings.Contains(details, `"total":6370`) || !strings.Contains(details, `"total":4170`) {
		t.Fatalf("audit details %s", details)
	}
	browse(t, b, "refund screen", chromedp.Click(chromedp.CSS("#refund-link")), chromedp.WaitVisible(chromedp.CSS("#refund-list")))
	if got := text(t, b, "#refund-list"); !strings.Contains(got, "カードに返金済み") || !strings.Contains(got, "¥2,200") {
		t.Fatalf("refund list %q", got)
	}
	screenshot(t, b, "refund-cancel")

	// A return of a shipped bank-transfer order.
	s := placePaidOrder(t, d, order.Shipped, order.BankTransfer, pot, tea)
	sl, _ := order.AdminLines(ctx, d, s.ID)
	sel := func(f string, l order.AdminLine) string { return fmt.Sprintf(`#refund-form [name="%s_%d"]`, f, l.ID) }
	browse(t, b, "negative refund refused",
		chromedp.Navigate(base+adm+"/orders/"+s.Number+"/refund"),
		chromedp.WaitVisible(chromedp.CSS("#refund-form")),
		chromedp.SetValue(chromedp.CSS(sel("qty", sl[0])), "1"),
		chromedp.SetValue(chromedp.CSS(sel("amount", sl[0])), "-100"),
		chromedp.Click(chromedp.CSS("#refund-submit")),
		chromedp.WaitVisible(chromedp.CSS("#form-error")),
	)
	if got := text(t, b, "#return-lines"); !strings.Contains(got, "マイナスの金額は入力できません") {
		t.Fatalf("no message by the amount: %q", got)
	}
	screenshot(t, b, "refund-return-error")
	if n, _ := refundCount(d, s.ID); n != 0 {
		t.Fatal("a refused return wrote a refund")
	}
	browse(t, b, "record the return",
		chromedp.SetValue(chromedp.CSS(sel("amount", sl[0])), "800"),
		chromedp.SetValue(chromedp.CSS(sel("qty", sl[1])), "2"),
		chromedp.SetValue(chromedp.CSS(sel("stock", sl[1])), "restock"),
		chromedp.Click(chromedp.CSS("#refund-submit")),
		chromedp.WaitVisible(chromedp.CSS("#refund-list .refund-recorded")),
	)
	// 10%: 800 (tax 72); 8%: 2,160 (tax 160). The pot stays out of stock
	// (the default), the tea goes back.
	rs, err := refund.ByOrder(ctx, d, s.ID)
	if err != nil || len(rs) != 1 || rs[0].Amount != 2960 || rs[0].Rates[0].Tax != 72 || rs[0].Rates[1].Tax != 160 {
		t.Fatalf("return refund %+v %v", rs, err)
	}
	if stock(t, d, pot) != 3 || stock(t, d, tea) != 6 {
		t.Fatalf("stock after the return: pot %d tea %d", stock(t, d, pot), stock(t, d, tea))
	}
	screenshot(t, b, "refund-return")
	pdf, err := chromedp.Run(b, chromedp.Evaluate[string](`fetch(document.querySelector("#refund-list a[href$='credit-note.pdf']").href, {credentials: "same-origin"})
		.then(r => r.status + " " + r.headers.get("Content-Type"))`, chromedp.EvalAwaitPromise))
	if err != nil || pdf != "200 application/pdf" {
		t.Fatalf("credit note: %q %v", pdf, err)
	}
}

func stock(t *testing.T, d *db.DB, id int64) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT stock FROM variants WHERE id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func refundCount(d *db.DB, orderID int64) (int, error) {
	var n int
	err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM refunds WHERE order_id = ?`, orderID).Scan(&n)
	return n, err
}
