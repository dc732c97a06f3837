package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"testing"
)

// entryForm is a phone order for a new buyer in Osaka, COD.
func entryForm(key string, lines map[int64]int) url.Values {
	v := url.Values{"key": {key}, "channel": {"phone"}, "order_lang": {"ja"}, "send_mail": {"1"},
		"email": {"kenta@example.jp"}, "phone": {"090-1234-5678"}, "family_name": {"鈴木"}, "given_name": {"健太"},
		"family_kana": {"スズキ"}, "given_kana": {"ケンタ"}, "postal_code": {"530-0001"}, "pref": {"27"},
		"city": {"大阪市北区梅田"}, "address1": {"1-1-1"}, "method": {"1"}, "payment": {"cod"}}
	for id, q := range lines {
		v.Add("line", fmt.Sprint(id))
		v.Set(fmt.Sprintf("qty_%d", id), fmt.Sprint(q))
	}
	return v
}

var entryKeyRE = regexp.MustCompile(`name="key" value="([^"]+)"`)

// TestAdminOrderEntry: over HTTP against the real router — search,
// quote, a refused sold-out order (nothing written), the order
// registered once for a double submit, audited, with the history line;
// a post without the CSRF token is refused.
func TestAdminOrderEntry(t *testing.T) {
	t.Parallel()
	cfg, c, d, o, pot := orderShop(t) // POT-1 stock 5 − 2 for o = 3
	tea := o.Lines[1].VariantID
	ctx := context.Background()
	a := c.admin
	r := c.get(a + "/orders/new")
	r.want(t, "form", 200, `id="order-entry"`, `name="send_mail" value="1" checked`)
	key := entryKeyRE.FindStringSubmatch(r.body)[1]

	v := entryForm(key, nil)
	v.Set("op", "find_product")
	v.Set("product_q", "pot")
	c.post(a+"/orders/new", v).want(t, "product search", 200, `id="product-results"`, "POT-1", fmt.Sprintf(`name="add" value="%d"`, pot))
	add := entryForm(key, nil)
	add.Set("add", fmt.Sprint(pot))
	add.Set("product_q", "pot")
	c.post(a+"/orders/new", add).want(t, "line added", 200, `id="lines"`, fmt.Sprintf(`name="qty_%d" value="1"`, pot))
	v.Set("customer_q", "髙橋")
	v.Set("op", "find_customer")
	c.post(a+"/orders/new", v).want(t, "customer search, none", 200, `id="customer-none"`)

	v = entryForm(key, map[int64]int{pot: 2})
	v.Set("op", "quote")
	c.post(a+"/orders/new", v).want(t, "quote", 200, `id="t-subtotal">¥2,200`)

	v.Set("qty_"+fmt.Sprint(pot), "4")
	v.Set("op", "place")
	c.post(a+"/orders/new", v).want(t, "sold out", 409, "在庫が足りない商品があります", "在庫が足りません。")
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d orders after the sold-out submit", n)
	}

	v.Set("qty_"+fmt.Sprint(pot), "2")
	v.Set("discount", "-1")
	c.post(a+"/orders/new", v).want(t, "bad discount", 422, "値引きは0円から")
	v.Set("discount", "200")
	r = c.post(a+"/orders/new", v)
	r.want(t, "placed", 303)
	again := c.post(a+"/orders/new", v)
	again.want(t, "double submit", 303)
	if again.location != r.location {
		t.Fatalf("double submit went to %s, first to %s", again.location, r.location)
	}
	d.QueryRow(ctx, `SELECT COUNT(*) FROM orders`).Scan(&n)
	if n != 2 {
		t.Fatalf("%d orders after a double submit", n)
	}
	c.get(r.location).want(t, "order page", 200, "受注登録（電話）", "鈴木", "大阪市北区梅田")
	if auditCount(t, d, "order.taken", "owner@example.jp") != 1 {
		t.Fatal("the order is not audited once")
	}
	var stock int
	d.QueryRow(ctx, `SELECT stock FROM variants WHERE id = ?`, pot).Scan(&stock)
	if stock != 1 {
		t.Fatalf("stock %d, want 1", stock)
	}

	// A buyer invited to an account: pending until they confirm; an
	// address that already has an account is refused by the field.
	registerActive(t, c.base, Config{DataDir: t.TempDir(), DatabaseURL: cfg.DatabaseURL}, "taken@example.jp")
	v = entryForm("admin-invite", map[int64]int{tea: 1})
	v.Set("op", "place")
	v.Set("create_customer", "1")
	v.Set("email", "taken@example.jp")
	c.post(a+"/orders/new", v).want(t, "address with an account", 422, "このメールアドレスの会員がすでにいます")
	v.Set("email", "new-buyer@example.jp")
	c.post(a+"/orders/new", v).want(t, "placed with an invitation", 303)
	var status string
	d.QueryRow(ctx, `SELECT status FROM customers WHERE email = ?`, "new-buyer@example.jp").Scan(&status)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'customer_confirm' AND to_addr = ?`, "new-buyer@example.jp").Scan(&n)
	if status != "pending" || n != 1 {
		t.Fatalf("invited customer %q, %d confirmation mails", status, n)
	}
	// A customer ID changed in the page to one that does not exist.
	v = entryForm("admin-forged", map[int64]int{tea: 1})
	v.Set("op", "place")
	v.Set("customer_id", "999999")
	c.post(a+"/orders/new", v).want(t, "unknown customer", 422, "利用停止または退会済み")

	// Without the form's token nothing happens.
	c.csrf = ""
	v.Set("key", "admin-other")
	if r := c.post(a+"/orders/new", v); r.status != 403 {
		t.Fatalf("no CSRF token: %d", r.status)
	}
}
