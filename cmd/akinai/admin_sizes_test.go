package main

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/delivery"
)

// TestAdminFeesBySize: the operator gives a product a size class (a bad
// one is refused by the field), fills Yamato's size × prefecture table (a
// bad cell and an empty table are refused with nothing written, the
// cells kept), switches the method to it (audited), and the order edit
// page offers to recompute the fees.
func TestAdminFeesBySize(t *testing.T) {
	t.Parallel()
	_, c, d, o, _ := orderShop(t)
	ctx := context.Background()
	a := c.admin

	// A product's size class.
	c.post(a+"/products/new", productForm("0")).want(t, "new product", 303)
	var shirt int64
	if err := d.QueryRow(ctx, `SELECT id FROM products WHERE slug = 'aizome-shirt'`).Scan(&shirt); err != nil {
		t.Fatal(err)
	}
	edit := a + "/products/" + strconv.FormatInt(shirt, 10)
	c.get(edit).want(t, "product form", 200, `name="parcel_size"`, "配送サイズ", "120サイズ", "未設定（60サイズとして計算）")
	bad := productForm("1")
	bad.Set("parcel_size", "70")
	c.post(edit, bad).want(t, "bad size", 422, `name="parcel_size"`)
	good := productForm("1")
	good.Set("parcel_size", "120")
	c.post(edit, good).want(t, "size saved", 303)
	var size int
	if err := d.QueryRow(ctx, `SELECT parcel_size FROM products WHERE id = ?`, shirt).Scan(&size); err != nil || size != 120 {
		t.Fatalf("size %d %v", size, err)
	}

	// The method's table.
	c.get(a+"/settings/delivery/1").want(t, "method page", 200, `href="`+a+`/settings/delivery/1/sizes"`)
	sizes := a + "/settings/delivery/1/sizes"
	c.get(sizes).want(t, "table", 200, "サイズ別送料", `name="fee_60_13"`, `name="fee_160_47"`, "沖縄県", "160サイズ")
	c.post(sizes, url.Values{"fee_by_size": {"1"}}).want(t, "empty table", 422, "表に送料を1つ以上入力してください")
	c.post(sizes, url.Values{"fee_by_size": {"1"}, "fee_60_13": {"900"}, "fee_120_13": {"1,8OO"}}).
		want(t, "bad cell", 422, "0円以上1,000,000円以下", `value="1,8OO"`, `value="900"`)
	if m, _ := delivery.MethodByID(ctx, d, 1); m.FeeBySize {
		t.Fatal("switched on a refusal")
	}
	if f, _ := delivery.SizeFees(ctx, d, 1); len(f) != 0 {
		t.Fatalf("written on a refusal: %v", f)
	}
	c.post(sizes, url.Values{"fee_by_size": {"1"}, "fee_60_13": {"900"}, "fee_120_13": {"1,800"}}).want(t, "saved", 303)
	m, _ := delivery.MethodByID(ctx, d, 1)
	f, _ := delivery.SizeFees(ctx, d, 1)
	if !m.FeeBySize || f[60][13] != 900 || f[120][13] != 1800 || len(f) != 2 {
		t.Fatalf("saved %v %v", m.FeeBySize, f)
	}
	if n := auditCount(t, d, "delivery.size_fees_save", "owner@example.jp"); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	r := c.get(a + "/settings/delivery/1")
	r.want(t, "method page says so", 200, "サイズ別送料で計算しています")
	c.get(a+"/settings/delivery/999/sizes").want(t, "unknown method", 404)

	// The order edit page offers the recomputation.
	r = c.get(a + "/orders/" + o.Number + "/revise")
	r.want(t, "revise", 200, `name="refee"`, "送料を商品のサイズとお届け先から計算し直す")
	if strings.Contains(r.body, `name="refee" value="1" id="refee" checked`) {
		t.Fatal("recompute pre-selected")
	}
}
