package main

import (
	"net/url"
	"testing"
)

// The sidebar groups the panel as EC-CUBE does, the breadcrumbs follow the
// menu, and the header's search box sends a query to the right list.
func TestAdmin_SidebarAndHeaderSearch(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	c, _ := setupOwner(t, base, setup)

	c.get(admin+"/settings/tax").want(t, "sidebar", 200, `id="admin-side"`, "商品管理", "受注管理", "会員管理",
		"コンテンツ管理", "セキュリティ", "IPアクセス制限", `class="crumbs"`, `<span aria-current="page">税率設定</span>`)

	for _, tc := range []struct{ in, q, want string }{
		{"orders", "ak-20261202-0001", admin + "/orders?number=ak-20261202-0001"},
		{"orders", "hanako@example.jp", admin + "/orders?email=" + url.QueryEscape("hanako@example.jp")},
		{"orders", "山田", admin + "/orders?name=" + url.QueryEscape("山田")},
		{"customers", "山田", admin + "/customers?q=" + url.QueryEscape("山田")},
		{"products", "急須", admin + "/products?q=" + url.QueryEscape("急須")},
		{"products", "", admin + "/products"},
	} {
		r := c.get(admin + "/search?in=" + tc.in + "&q=" + url.QueryEscape(tc.q))
		if r.status != 303 || r.header.Get("Location") != tc.want {
			t.Errorf("search %s %q: %d → %q, want %q", tc.in, tc.q, r.status, r.header.Get("Location"), tc.want)
		}
	}
	c.get(admin+"/search?in=passwords&q=x").want(t, "unknown kind", 422, "検索対象を選んでください")
	c.get(admin+"/settings/tax?lang=en").want(t, "sidebar in English", 200, "Products", "Tax rates", "IP access rules")
	newClient(t, base).get(admin+"/search?in=orders&q=1").want(t, "signed out", 303, "/login")
}
