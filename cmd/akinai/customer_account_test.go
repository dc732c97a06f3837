package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/cart"
)

// TestCustomer_ResetSameAnswer: a reset request for an active account, an
// unknown address and a pending registration gets the same status, body
// and headers, and writes the same per-address throttle row; only the
// active account gets a mail, at most customer.ResetMailsPerAddress an
// hour. (Behaviour only: no timing is measured.)
func TestCustomer_ResetSameAnswer(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), RateLimits: "customer.reset.ip=1000/30m"}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	registerActive(t, base, cfg, "known@example.jp")
	b := newBuyer(t, base)
	b.post(base+"/entry", customerForm("pending@example.jp"))

	type answer struct {
		status  int
		body    string
		headers []string
	}
	ask := func(email string) answer {
		resp, body, err := b.post(base+"/forgot", url.Values{"email": {email}})
		if err != nil {
			t.Fatal(err)
		}
		var hs []string
		for k, v := range resp.Header {
			if k != "Date" && k != "Content-Length" && k != "X-Request-Id" {
				hs = append(hs, k+": "+strings.Join(v, ","))
			}
		}
		slices.Sort(hs)
		return answer{resp.StatusCode, stripTokens(body), hs}
	}
	known, unknown, pending := ask("known@example.jp"), ask("nobody@example.jp"), ask("pending@example.jp")
	for name, a := range map[string]answer{"unknown": unknown, "pending": pending} {
		if a.status != known.status || a.body != known.body || !slices.Equal(a.headers, known.headers) {
			t.Errorf("%s address answered differently:\n%d %v\nvs\n%d %v", name, a.status, a.headers, known.status, known.headers)
		}
	}
	if known.status != http.StatusOK {
		t.Fatalf("status %d", known.status)
	}
	if mailCount(t, d, "customer_reset", "known@example.jp") != 1 || mailCount(t, d, "customer_reset", "nobody@example.jp") != 0 ||
		mailCount(t, d, "customer_reset", "pending@example.jp") != 0 {
		t.Fatal("reset mails went to the wrong addresses")
	}
	var rows int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM throttle WHERE bucket = 'customer.reset.account'`).Scan(&rows)
	if rows != 3 {
		t.Fatalf("%d per-address throttle rows, want one for each of the 3 addresses", rows)
	}
	// Past the per-address limit: the same answer, no more mail.
	for range 6 {
		if a := ask("known@example.jp"); a.status != known.status || a.body != known.body {
			t.Fatal("the answer changed past the per-address limit")
		}
	}
	if n := mailCount(t, d, "customer_reset", "known@example.jp"); n != 5 {
		t.Fatalf("%d reset mails in an hour, want 5", n)
	}
}

// TestCustomer_EmailChange: the link goes to the new address only, the
// old address gets a notice (without a link) once it is followed, an
// address that has an account gets the same answer (its owner is told,
// nothing changes), and the link works once.
func TestCustomer_EmailChange(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	c := registerActive(t, base, cfg, "old@example.jp")
	registerActive(t, base, cfg, "taken@example.jp")
	c.post(base+"/mypage/login", url.Values{"email": {"old@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})

	if resp, _, _ := c.post(base+"/mypage/email", url.Values{"new_email": {"new@example.jp"}, "current": {"wrong-password"}}); resp.StatusCode != 422 {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp1, body1, _ := c.post(base+"/mypage/email", url.Values{"new_email": {"new@example.jp"}, "current": {"kumo-no-ue-de-odoru"}})
	resp2, body2, _ := c.post(base+"/mypage/email", url.Values{"new_email": {"taken@example.jp"}, "current": {"kumo-no-ue-de-odoru"}})
	if resp1.StatusCode != 200 || resp2.StatusCode != 200 || stripTokens(body1) != stripTokens(body2) {
		t.Fatalf("a taken address answers differently: %d %d", resp1.StatusCode, resp2.StatusCode)
	}
	if mailCount(t, d, "customer_exists", "taken@example.jp") != 1 || mailCount(t, d, "customer_email_confirm", "taken@example.jp") != 0 {
		t.Fatal("the taken address's owner was not told, or got a link")
	}
	if mailCount(t, d, "customer_email_confirm", "old@example.jp") != 0 || mailCount(t, d, "customer_email_changed", "old@example.jp") != 0 {
		t.Fatal("mail to the old address before the change is confirmed")
	}
	tok := lastLink(t, d, "customer_email_confirm", "new@example.jp")
	if r, _ := c.c.Get(base + "/mypage/email/confirm?token=" + tok); r.StatusCode != 200 {
		t.Fatalf("confirm page: %d", r.StatusCode)
	}
	if resp, _, _ := c.post(base+"/mypage/email/confirm", url.Values{"token": {tok}}); resp.StatusCode != 303 {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	var email string
	d.QueryRow(ctx, `SELECT email FROM customers WHERE email_key = 'new@example.jp'`).Scan(&email)
	if email != "new@example.jp" {
		t.Fatal("the address did not change")
	}
	var notice string
	d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'customer_email_changed' AND to_addr = 'old@example.jp'`).Scan(&notice)
	if !strings.Contains(notice, "new@example.jp") || strings.Contains(notice, "http") {
		t.Fatalf("notice to the old address:\n%s", notice)
	}
	if resp, _, _ := c.post(base+"/mypage/email/confirm", url.Values{"token": {tok}}); resp.StatusCode == 303 {
		t.Fatal("the link worked twice")
	}
	fresh := newBuyer(t, base)
	if resp, _, _ := fresh.post(base+"/mypage/login", url.Values{"email": {"new@example.jp"}, "password": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != 303 {
		t.Fatalf("sign-in with the new address: %d", resp.StatusCode)
	}
}

// TestCustomer_ProfileCodeFavouritesReorder: profile edit sends a change
// notice that shows the anti-phishing code; favourites from the product
// page; re-order reports the sold-out line and carts the rest; the
// completion page's "create an account" link prefills from the order.
func TestCustomer_ProfileCodeFavouritesReorder(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base, logs := startLoggedShop(t, cfg, nil)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	vids := seedProduct(t, d, "matcha", "reduced", []string{"MAT-1", "MAT-2"}, []int{5, 5})
	// The product page needs the rates in force (the demo seeds them too).
	for class, bp := range map[string]int{"standard": 1000, "reduced": 800} {
		if _, err := d.Exec(ctx, `INSERT INTO tax_rules (tax_class, rate_bp, effective_from) VALUES (?, ?, ?)`,
			class, bp, time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}

	// A guest order, then the completion page's link.
	guest := newBuyer(t, base)
	for _, v := range vids {
		guest.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(v)}, "qty": {"1"}})
	}
	resp, _, _ := guest.post(base+"/checkout/place", orderForm(cart.NewToken(), "bank_transfer"))
	if resp.StatusCode != 303 {
		t.Fatalf("place: %d", resp.StatusCode)
	}
	number := strings.TrimPrefix(resp.Header.Get("Location"), "/checkout/done/")
	r, _ := guest.c.Get(base + "/checkout/done/" + number)
	if !strings.Contains(readAll(r), "/entry?order="+number) {
		t.Fatal("the completion page has no account link")
	}
	r, _ = guest.c.Get(base + "/entry?order=" + number)
	if form := readAll(r); !strings.Contains(form, `value="taro@example.jp"`) || !strings.Contains(form, `value="山田"`) || !strings.Contains(form, `value="ヤマダ"`) {
		t.Fatal("the registration form is not prefilled from the order")
	}
	r, _ = guest.c.Get(base + "/entry?order=NOPE-1")
	if strings.Contains(readAll(r), "taro@example.jp") {
		t.Fatal("an unknown order number prefilled the form")
	}
	// Registering with that address attaches the order; the link then
	// prefills nothing (the order has an account).
	c := registerActive(t, base, cfg, "taro@example.jp")
	r, _ = c.c.Get(base + "/entry?order=" + number)
	if strings.Contains(readAll(r), `value="taro@example.jp"`) {
		t.Fatal("an order with an account still prefills the form")
	}
	c.post(base+"/mypage/login", url.Values{"email": {"taro@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})

	// Anti-phishing code, then a profile change: the notice shows it.
	if resp, _, _ := c.post(base+"/mypage/code", url.Values{"code": {"さくら2026"}}); resp.StatusCode != 303 {
		t.Fatalf("set code: %d", resp.StatusCode)
	}
	p := customerForm("taro@example.jp")
	p.Set("family_name", "山本")
	p.Set("newsletter", "1")
	if resp, _, _ := c.post(base+"/mypage/profile", p); resp.StatusCode != 303 {
		t.Fatalf("profile: %d", resp.StatusCode)
	}
	var fam string
	var nl bool
	d.QueryRow(ctx, `SELECT family_name, newsletter FROM customers WHERE email_key = 'taro@example.jp'`).Scan(&fam, &nl)
	if fam != "山本" || !nl {
		t.Fatalf("profile not stored: %q %v", fam, nl)
	}
	var notice string
	d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'customer_profile_changed' AND to_addr = 'taro@example.jp'`).Scan(&notice)
	if !strings.Contains(notice, "さくら2026") || strings.Contains(notice, "http") {
		t.Fatalf("change notice (code, no link):\n%s", notice)
	}
	p.Set("birthday", "2999-01-01")
	if resp, body, _ := c.post(base+"/mypage/profile", p); resp.StatusCode != 422 || !strings.Contains(body, `value="2999-01-01"`) {
		t.Fatalf("bad profile: %d", resp.StatusCode)
	}

	// Favourites: the product page's button, the list, removal.
	var pid int64
	d.QueryRow(ctx, `SELECT id FROM products WHERE slug = 'matcha'`).Scan(&pid)
	r, _ = c.c.Get(base + "/products/matcha")
	if r.StatusCode != 200 {
		t.Fatalf("product page: %d\n%s", r.StatusCode, logs)
	}
	if !strings.Contains(readAll(r), fmt.Sprintf(`action="/mypage/favorites/%d"`, pid)) {
		t.Fatal("the product page has no favourite button")
	}
	if resp, _, _ := c.post(base+fmt.Sprintf("/mypage/favorites/%d", pid), url.Values{}); resp.StatusCode != 303 || resp.Header.Get("Location") != "/products/matcha" {
		t.Fatalf("add favourite: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.post(base+fmt.Sprintf("/mypage/favorites/%d", pid), url.Values{}) // twice is once
	r, _ = c.c.Get(base + "/mypage/favorites")
	if page := readAll(r); strings.Count(page, "/products/matcha") != 1 {
		t.Fatal("favourites list")
	}
	if resp, _, _ := newBuyer(t, base).post(base+fmt.Sprintf("/mypage/favorites/%d", pid), url.Values{}); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/mypage/login") {
		t.Fatal("a guest's favourite was not sent to sign in")
	}
	c.post(base+fmt.Sprintf("/mypage/favorites/%d/delete", pid), url.Values{})
	r, _ = c.c.Get(base + "/mypage/favorites")
	if strings.Contains(readAll(r), "/products/matcha") {
		t.Fatal("removed favourite still listed")
	}

	// Re-order with one line sold out: that line is reported, the other
	// is in the cart.
	if _, err := d.Exec(ctx, `UPDATE variants SET stock = 0 WHERE id = ?`, vids[1]); err != nil {
		t.Fatal(err)
	}
	resp, body, _ := c.post(base+"/mypage/orders/"+number+"/reorder", url.Values{})
	if resp.StatusCode != 200 || !strings.Contains(body, `id="reorder-skipped"`) || !strings.Contains(body, "MAT-2") && !strings.Contains(body, "テスト商品 matcha") {
		t.Fatalf("partial re-order: %d\n%s", resp.StatusCode, body)
	}
	var lines []int64
	rows, _ := d.Query(ctx, `SELECT variant_id FROM cart_items WHERE cart_id = (SELECT MAX(id) FROM carts)`)
	for rows.Next() {
		var v int64
		rows.Scan(&v)
		lines = append(lines, v)
	}
	rows.Close()
	if !slices.Equal(lines, vids[:1]) {
		t.Fatalf("cart after re-order: %v, want %v", lines, vids[:1])
	}
	// All in stock again: straight to the cart.
	d.Exec(ctx, `UPDATE variants SET stock = 5 WHERE id = ?`, vids[1])
	if resp, _, _ := c.post(base+"/mypage/orders/"+number+"/reorder", url.Values{}); resp.StatusCode != 303 || resp.Header.Get("Location") != "/cart" {
		t.Fatalf("full re-order: %d", resp.StatusCode)
	}
}
