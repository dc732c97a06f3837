package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/cart"
)

// TestCustomer_BuyWithSavedAddressThenWithdraw: a guest cart merges at
// sign-in, the checkout is prefilled from the profile and a saved
// address, the order shows in My Page (and nowhere for someone else),
// the export holds it, and withdrawal scrubs every customer table while
// the order keeps its snapshot.
func TestCustomer_BuyWithSavedAddressThenWithdraw(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	vids := seedProduct(t, d, "sencha", "reduced", []string{"SEN-1"}, []int{10})
	email := "yuki@example.jp"
	c := registerActive(t, base, cfg, email)

	// Guest cart first, then sign in: the cart is kept and becomes the
	// customer's.
	if resp, _, _ := c.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"2"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add to cart: %d", resp.StatusCode)
	}
	if resp, _, _ := c.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	var owner *int64
	d.QueryRow(ctx, `SELECT customer_id FROM carts`).Scan(&owner)
	if owner == nil {
		t.Fatal("the cart was not given to the customer")
	}
	addr := url.Values{"family_name": {"佐藤"}, "given_name": {"実家"}, "family_kana": {"サトウ"}, "given_kana": {"ジッカ"},
		"phone": {"011-222-3333"}, "postal_code": {"060-0001"}, "pref": {"1"}, "city": {"札幌市中央区北一条西"}, "address1": {"2-2"}}
	if resp, _, _ := c.post(base+"/mypage/addresses", addr); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save address: %d", resp.StatusCode)
	}
	r, _ := c.c.Get(base + "/checkout?address=1")
	form := readAll(r)
	for _, want := range []string{`value="yuki@example.jp"`, `value="佐藤"`, `value="0600001"`, `class="saved-address"`} {
		if !strings.Contains(form, want) {
			t.Fatalf("checkout form lacks %s", want)
		}
	}
	// Place the order with the prefilled values (what the browser sends).
	v := orderForm(cart.NewToken(), "bank_transfer")
	v.Set("email", email)
	v.Set("email2", email)
	v.Set("ship_other", "1")
	for k, vals := range addr {
		v.Set("s_"+k, vals[0])
	}
	resp, _, err := c.post(base+"/checkout/place", v)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("place: %v %v", resp.StatusCode, err)
	}
	number := strings.TrimPrefix(resp.Header.Get("Location"), "/checkout/done/")
	r, _ = c.c.Get(base + "/mypage")
	if page := readAll(r); !strings.Contains(page, number) {
		t.Fatal("the order is not in My Page")
	}
	r, _ = c.c.Get(base + "/mypage/orders/" + number)
	if page := readAll(r); r.StatusCode != 200 || !strings.Contains(page, "札幌市中央区北一条西") || !strings.Contains(page, "※") {
		t.Fatalf("order detail: %d", r.StatusCode)
	}
	// Someone else's My Page does not show it.
	other := registerActive(t, base, cfg, "other@example.jp")
	other.post(base+"/mypage/login", url.Values{"email": {"other@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})
	if r, _ := other.c.Get(base + "/mypage/orders/" + number); r.StatusCode != http.StatusNotFound {
		t.Fatalf("another customer's order: %d", r.StatusCode)
	}
	r, _ = c.c.Get(base + "/mypage/export.json")
	if x := readAll(r); !strings.Contains(x, number) || !strings.Contains(x, "札幌市") || strings.Contains(x, "other@example.jp") {
		t.Fatal("export is wrong")
	}

	// Withdraw.
	var id int64
	d.QueryRow(ctx, `SELECT id FROM customers WHERE email_key = ?`, email).Scan(&id)
	if resp, _, _ := c.post(base+"/mypage/withdraw", url.Values{"current": {"wrong-password"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("withdraw with a wrong password: %d", resp.StatusCode)
	}
	if resp, _, _ := c.post(base+"/mypage/withdraw", url.Values{"current": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", resp.StatusCode)
	}
	var row string
	d.QueryRow(ctx, `SELECT email || family_name || given_name || family_kana || given_kana || phone || postal_code || city || address1 || birthday || password_hash
		FROM customers WHERE id = ?`, id).Scan(&row)
	if row != fmt.Sprintf("withdrawn-%d@invalid", id) {
		t.Fatalf("customer row after withdrawal: %q", row)
	}
	for _, tbl := range []string{"customer_addresses", "customer_favorites", "customer_sessions", "customer_tokens", "carts"} {
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM `+tbl+` WHERE customer_id = ?`, id).Scan(&n)
		if n != 0 {
			t.Errorf("%s keeps %d rows", tbl, n)
		}
	}
	var kept string
	d.QueryRow(ctx, `SELECT ship_city FROM orders WHERE number = ?`, number).Scan(&kept)
	if kept != "札幌市中央区北一条西" {
		t.Fatal("the order lost its snapshot")
	}
	if r, _ := c.c.Get(base + "/mypage"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("My Page after withdrawal: %d", r.StatusCode)
	}
}
