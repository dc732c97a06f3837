package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/order"
)

// statusForm is every status's built-in name and colour, as the settings
// form posts them.
func statusForm() url.Values {
	v := url.Values{}
	for _, s := range order.ListStatuses {
		l := order.DefaultStatusLabel(s)
		v.Set("name_ja_"+string(s), l.NameJA)
		v.Set("name_en_"+string(s), l.NameEN)
		v.Set("colour_"+string(s), l.Colour)
	}
	return v
}

// TestAdminOrderStatusNames: the operator renames a status and changes
// its colour; the order list, the order page, the dashboard and the
// customer's My Page show the new name, the stylesheet the new colour. A
// colour too light for white text or an empty name is refused by the
// field with nothing saved; every save is audited.
func TestAdminOrderStatusNames(t *testing.T) {
	t.Parallel()
	cfg, c, d, o, _ := orderShop(t)
	ctx := context.Background()
	a := c.admin
	buyer := registerActive(t, c.base, cfg, "hanako@example.jp")
	if resp, _, _ := buyer.post(c.base+"/mypage/login", url.Values{"email": {"hanako@example.jp"}, "password": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != 303 {
		t.Fatalf("customer sign-in: %d", resp.StatusCode)
	}
	if _, err := d.Exec(ctx, `UPDATE orders SET customer_id = (SELECT id FROM customers WHERE email = ?) WHERE id = ?`, "hanako@example.jp", o.ID); err != nil {
		t.Fatal(err)
	}
	c.get(a+"/").want(t, "dashboard nav", 200, `href="`+a+`/settings/order-statuses"`, "受注対応状況設定")
	c.get(a+"/settings/order-statuses").want(t, "form", 200, `name="name_ja_new" value="新規受付"`, `name="colour_paid" value="#15803d"`, `id="status-palette"`)

	bad := statusForm()
	bad.Set("name_ja_new", "電話確認中")
	bad.Set("colour_new", "#ffe680")
	bad.Set("name_en_paid", "")
	r := c.post(a+"/settings/order-statuses", bad)
	r.want(t, "refused", 422, "コントラスト比4.5:1以上", "名称を入力してください", `value="電話確認中"`)
	c.get(a+"/orders").want(t, "list unchanged", 200, ">新規受付</span>")

	good := statusForm()
	good.Set("name_ja_new", "電話確認中")
	good.Set("name_en_new", "Phone check")
	good.Set("colour_new", "#BE185D")
	c.post(a+"/settings/order-statuses", good).want(t, "saved", 303)
	if n := auditCount(t, d, "order.status_labels", "owner@example.jp"); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	list := c.get(a + "/orders")
	list.want(t, "list renamed", 200, `<span class="status status-new">電話確認中</span>`)
	if strings.Contains(list.body, ">新規受付</span>") {
		t.Fatal("the list still shows the old name")
	}
	c.get(a+"/orders/"+o.Number).want(t, "order page", 200, `id="order-status">電話確認中</span>`)
	c.get(a+"/").want(t, "dashboard", 200, "電話確認中")
	c.get(a+"/orders?lang=en").want(t, "English list", 200, ">Phone check</span>")

	page := mypage(t, buyer, c.base+"/mypage")
	if !strings.Contains(page, ">電話確認中</span>") || !strings.Contains(page, "/order-status.css?v=") {
		t.Fatalf("My Page does not show the renamed status:\n%s", clipBody(page))
	}
	page = mypage(t, buyer, c.base+"/mypage/orders/"+o.Number+"?lang=en")
	if !strings.Contains(page, `id="order-status">Phone check</span>`) {
		t.Fatalf("My Page order does not show the English name:\n%s", clipBody(page))
	}
	css := c.get(order.StatusCSSPath)
	css.want(t, "stylesheet", 200, "span.status.status-new{background:#be185d}")
	if ct := css.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Fatalf("stylesheet type %q", ct)
	}

	c.post(a+"/settings/order-statuses/reset", url.Values{}).want(t, "reset", 303)
	c.get(a+"/orders?lang=ja").want(t, "list after reset", 200, ">新規受付</span>")
	if n := auditCount(t, d, "order.status_labels_reset", "owner@example.jp"); n != 1 {
		t.Fatalf("%d reset audit entries", n)
	}
}

func mypage(t *testing.T, b *buyer, u string) string {
	t.Helper()
	r, err := b.c.Get(u)
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", u, r, err)
	}
	return readAll(r)
}
