package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/japanese"

	"github.com/akinai/akinai/internal/b2b"
	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/settings"
)

// b2bCompany inserts an active company and makes the customers with the
// given e-mail addresses its members (as internal/company would).
func b2bCompany(t *testing.T, d *db.DB, name, kana string, members map[string]string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO companies (name, name_kana, status, created_at, updated_at) VALUES (?, ?, 'active', ?, ?) RETURNING id`,
			name, kana, tx.Now(), tx.Now()).Scan(&id); err != nil {
			return err
		}
		for email, role := range members {
			if _, err := tx.Exec(ctx, `INSERT INTO company_members (customer_id, company_id, role, created_at)
				SELECT id, ?, ?, ? FROM customers WHERE email_key = ?`, id, role, tx.Now(), email); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestB2BInBrowser: a buyer of 株式会社山田商店 orders over the company's
// approval threshold in headless Chromium, paying on account; the order
// waits; the company's approver approves it on My Page; the month's
// invoicing run (started in the admin) makes the company's invoice, whose
// PDF lists the order with the tax per rate; a bank CSV in Shift_JIS with
// the payer in half-width kana marks it paid. A buyer of another company
// is refused every page of company A by id.
func TestB2BInBrowser(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium is not installed")
	}
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t),
		RateLimits: "customer.register.ip=1000/30m,customer.register.complete.ip=1000/30m,checkout.confirm.ip=1000/30m,checkout.place.ip=1000/30m"}
	base, logs := startLoggedShop(t, cfg, nil)
	c, _ := setupOwner(t, base, setupPath(t, logs))
	d := openAdminDB(t, cfg.DatabaseURL)
	ctx := context.Background()
	seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{50})
	seedProduct(t, d, "tea", "reduced", []string{"TEA-1"}, []int{50})
	if err := settings.New(d).Set(ctx, d, map[string]string{settings.InvoiceNumber: testRegistration(), settings.ShopCompany: "株式会社あきない"}); err != nil {
		t.Fatal(err)
	}
	const pw = "kumo-no-ue-de-odoru"
	buyerB := registerActive(t, base, cfg, "buyer-b@example.jp")
	registerActive(t, base, cfg, "buyer@example.jp")
	registerActive(t, base, cfg, "approver@example.jp")
	today := calendar.DateOf(time.Now())
	a := b2bCompany(t, d, "株式会社山田商店", "ヤマダショウテン", map[string]string{"buyer@example.jp": b2b.RoleBuyer, "approver@example.jp": b2b.RoleApprover})
	bco := b2bCompany(t, d, "有限会社佐藤食品", "サトウショクヒン", map[string]string{"buyer-b@example.jp": b2b.RoleBuyer})
	closing := today.Day
	if closing > 28 {
		closing = 0
	}
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := b2b.SaveTerms(ctx, tx, b2b.Terms{CompanyID: a, Approval: b2b.ApproveOver, ApprovalOver: 5000, OnAccount: true,
			ClosingDay: closing, PayMonths: 1, CreditLimit: 500000, GraceDays: 7}); err != nil {
			return err
		}
		return b2b.SaveTerms(ctx, tx, b2b.Terms{CompanyID: bco, Approval: b2b.ApproveNone, OnAccount: true, PayMonths: 1, CreditLimit: 100000, GraceDays: 7})
	})
	if err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	tctx, cancel := context.WithTimeout(ctx, 150*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(tctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	text := func(sel string, dst *string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Text(sel)(ctx, tg)
			*dst = strings.TrimSpace(v)
			return err
		})
	}
	fail := func(err error) {
		t.Helper()
		loc, _ := chromedp.Run(bctx, chromedp.Location())
		body, _ := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("%v\nat %s\n%.3000s", err, loc, body)
	}
	login := func(email string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + "/mypage/login"),
			chromedp.WaitVisible(`#login-form`),
			chromedp.SendKeys(`#email`, email),
			chromedp.SendKeys(`#password`, pw),
			chromedp.Click(`#login`),
			chromedp.WaitVisible(`#greeting`),
		}
	}
	// The buyer: 3 pots and 3 teas (¥6,540 with tax) on account.
	var state string
	if err := chromedp.Do(bctx, login("buyer@example.jp")...); err != nil {
		fail(err)
	}
	err = chromedp.Do(bctx,
		chromedp.Navigate(base+"/products/pot"),
		chromedp.WaitVisible(`form.add-to-cart`),
		chromedp.SetValue(`#qty`, "3"),
		chromedp.Click(`form.add-to-cart button[type=submit]`),
		chromedp.WaitVisible(`table.cart`),
		chromedp.Navigate(base+"/products/tea"),
		chromedp.WaitVisible(`form.add-to-cart`),
		chromedp.SetValue(`#qty`, "3"),
		chromedp.Click(`form.add-to-cart button[type=submit]`),
		chromedp.WaitVisible(`table.cart`),
		text(`main`, &state),
	)
	if err != nil {
		fail(err)
	}
	if !strings.Contains(state, "見積を依頼") {
		t.Fatalf("the cart offers no quote:\n%s", state)
	}
	shots(t, bctx, "b2b-cart")
	step := func(actions ...chromedp.Action[chromedp.Void]) error {
		sctx, scancel := context.WithTimeout(bctx, 30*time.Second)
		defer scancel()
		return chromedp.Do(sctx, actions...)
	}
	err = step(
		chromedp.Navigate(base+"/checkout"),
		chromedp.WaitVisible(`#checkout-form`),
		chromedp.Click(`input[name=method][value="1"]`),
		chromedp.Click(`input[name=payment][value=on_account]`),
		chromedp.Click(`#to-confirm`),
		chromedp.WaitVisible(`#place-order`),
		chromedp.Click(`#place-order`),
		chromedp.WaitVisible(`#request-state`),
		text(`#request-state`, &state),
	)
	if err != nil {
		fail(err)
	}
	shots(t, bctx, "b2b-request-buyer")
	if state != "承認待ち" {
		t.Fatalf("request state %q", state)
	}
	var reqID int64
	if err := d.QueryRow(ctx, `SELECT id FROM approval_requests WHERE company_id = ?`, a).Scan(&reqID); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders before approval", n)
	}

	// The approver approves on My Page.
	var orderNumber string
	err = step(
		chromedp.Navigate(base+"/mypage"),
		chromedp.WaitVisible(`#logout`),
		chromedp.Click(`#logout`),
		chromedp.WaitNotPresent(`#logout`),
	)
	if err != nil {
		fail(err)
	}
	if err := chromedp.Do(bctx, login("approver@example.jp")...); err != nil {
		fail(err)
	}
	err = step(
		chromedp.WaitVisible(`#b2b-waiting`),
		chromedp.Navigate(fmt.Sprintf("%s/mypage/b2b/approvals/%d", base, reqID)),
		chromedp.WaitVisible(`#approve`),
	)
	if err != nil {
		fail(err)
	}
	shots(t, bctx, "b2b-request-approver")
	err = step(
		chromedp.SendKeys(`#comment`, "承認します"),
		chromedp.Click(`#approve`),
		chromedp.WaitVisible(`#request-order`),
		text(`#request-order`, &orderNumber),
	)
	if err != nil {
		fail(err)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders WHERE number = ? AND payment_method = 'on_account' AND status = 'new'`, orderNumber); n != 1 {
		t.Fatalf("order %q not placed on account", orderNumber)
	}

	// Month end: the run started in the admin, its progress on the page.
	c.post(c.admin+"/b2b/invoices/run", url.Values{"closing_date": {today.String()}}).want(t, "start run", 303)
	deadline := time.Now().Add(60 * time.Second)
	for countRows(t, d, `SELECT COUNT(*) FROM invoice_runs WHERE status = 'done'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the invoicing run never finished")
		}
		time.Sleep(200 * time.Millisecond)
	}
	var invID int64
	var total int64
	if err := d.QueryRow(ctx, `SELECT id, total FROM company_invoices WHERE company_id = ?`, a).Scan(&invID, &total); err != nil {
		t.Fatal(err)
	}
	c.get(c.admin+"/b2b/invoices").want(t, "invoices", 200, "株式会社山田商店", "未入金")
	err = chromedp.Do(bctx, chromedp.Navigate(base+"/mypage/b2b"), chromedp.WaitVisible(`#b2b-invoices`))
	if err != nil {
		fail(err)
	}
	shots(t, bctx, "b2b-mypage")
	pdfURL := fmt.Sprintf("%s/mypage/b2b/invoices/%d", base, invID)
	approver := newBuyer(t, base)
	if resp, _, err := approver.post(base+"/mypage/login", url.Values{"email": {"approver@example.jp"}, "password": {pw}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	resp, pdf := approver.get(t, pdfURL)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("invoice PDF: %d %.300s", resp.StatusCode, pdf)
	}
	text2 := invoicepdfText(t, []byte(pdf))
	for _, want := range []string{"株式会社山田商店", testRegistration(), orderNumber, "10%対象", "8%対象", "※", "¥3,300", "¥3,240"} {
		if !strings.Contains(text2, want) {
			t.Errorf("invoice PDF lacks %q:\n%s", want, text2)
		}
	}

	// Company B's buyer reaches none of A's pages by id.
	if resp, _, err := buyerB.post(base+"/mypage/login", url.Values{"email": {"buyer-b@example.jp"}, "password": {pw}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in B: %v %v", resp, err)
	}
	var quoteID int64
	err = d.Tx(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO quotes (number, company_id, customer_id, status, valid_until, total, created_at, updated_at)
			SELECT 'Q-A', ?, customer_id, 'sent', '2999-12-31', 100, ?, ? FROM company_members WHERE company_id = ? LIMIT 1 RETURNING id`, a, tx.Now(), tx.Now(), a).Scan(&quoteID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp, _, _ := buyerB.post(fmt.Sprintf("%s/mypage/b2b/quotes/%d/accept", base, quoteID), url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("B accepts A's quote: %d", resp.StatusCode)
	}
	for _, p := range []string{pdfURL, fmt.Sprintf("%s/mypage/b2b/approvals/%d", base, reqID), fmt.Sprintf("%s/mypage/b2b/quotes/%d", base, quoteID),
		fmt.Sprintf("%s/mypage/b2b/quotes/%d/pdf", base, quoteID)} {
		if resp, body := buyerB.get(t, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("B gets %s: %d %.200s", p, resp.StatusCode, body)
		}
	}
	if resp, body, _ := buyerB.post(fmt.Sprintf("%s/mypage/b2b/approvals/%d/approve", base, reqID), url.Values{}); resp.StatusCode != http.StatusForbidden ||
		!strings.Contains(body, "承認者だけ") {
		t.Errorf("B approves A's request: %d %.300s", resp.StatusCode, body)
	}

	// The bank file: the company's transfer under its name in half-width kana.
	csv := "取引日,摘要,お支払金額,お預り金額,残高\r\n" + today.Time().Format("2006/01/02") + ",ﾌﾘｺﾐ ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ,," + fmt.Sprint(total) + ",999999\r\n"
	sj, _ := japanese.ShiftJIS.NewEncoder().String(csv)
	credits, err := b2b.ParseBank(strings.NewReader(sj))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := b2b.ImportBank(ctx, d, credits, "bank.csv", "test"); err != nil || len(res.Matched) != 1 {
		t.Fatalf("bank import %+v %v", res, err)
	}
	c.get(fmt.Sprintf("%s/b2b/invoices/%d", c.admin, invID)).want(t, "paid invoice", 200, "入金済み")
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/mypage/b2b"), chromedp.WaitVisible(`#b2b-invoices`)); err != nil {
		fail(err)
	}
	shots(t, bctx, "b2b-mypage-paid")
}
