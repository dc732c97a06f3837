package main

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/points"
)

// TestLoyaltyAdmin walks the coupon and point screens over HTTP: bad
// forms come back with reasons and write nothing; a coupon is created,
// 25 are generated, one is disabled; the point settings and a product's
// own rate are saved; a customer's points are adjusted behind sudo with a
// reason. Every change is in the audit log.
func TestLoyaltyAdmin(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	c, _ := setupOwner(t, base, setupPath(t, logs))
	d := openAdminDB(t, cfg.DatabaseURL)
	ctx := context.Background()
	a := c.admin
	seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{10})
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := d.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	c.get(a+"/coupons").want(t, "empty list", 200, "coupons-empty", "販促")
	c.get(a+"/coupons/new").want(t, "new form", 200, "coupon-form")
	form := url.Values{"code": {"spring-2027"}, "name": {"春のセール"}, "kind": {"percent"}, "amount": {"150"}, "scope": {"order"}, "max_uses": {"100"}, "per_customer": {"1"}}
	c.post(a+"/coupons/new", form).want(t, "percent over 100", 422, "値引率は1〜100で入力してください")
	bad := url.Values{"code": {"<b>"}, "kind": {"fixed"}, "amount": {"0"}, "scope": {"items"}, "ends": {"2027-01-01T00:00"}, "starts": {"2027-02-01T00:00"}, "max_uses": {"-1"}}
	c.post(a+"/coupons/new", bad).want(t, "bad form", 422, "コードは半角英数字", "金額は1以上の整数", "対象の商品かカテゴリ", "終了日時は開始日時より後", "1以上の整数で入力してください")
	if n := count(`SELECT COUNT(*) FROM coupons`); n != 0 {
		t.Fatalf("%d coupons after bad forms", n)
	}
	form.Set("amount", "10")
	r := c.post(a+"/coupons/new", form)
	r.want(t, "create", 303, a+"/coupons/")
	c.get(r.location).want(t, "coupon page", 200, "SPRING-2027", "0 / 100", "まだ利用されていません")
	c.post(a+"/coupons/new", form).want(t, "duplicate", 422, "このコードはすでに使われています")
	if auditCount(t, d, "coupon.created", "owner@example.jp") != 1 {
		t.Fatal("create not audited")
	}

	c.get(a+"/coupons/bulk").want(t, "bulk form", 200, "coupon-form")
	c.post(a+"/coupons/bulk", url.Values{"prefix": {"gift"}, "count": {"10001"}, "kind": {"fixed"}, "amount": {"500"}, "scope": {"order"}}).
		want(t, "too many", 422, "10,000枚まで")
	r = c.post(a+"/coupons/bulk", url.Values{"prefix": {"gift"}, "count": {"25"}, "kind": {"fixed"}, "amount": {"500"}, "scope": {"order"}, "max_uses": {"1"}, "members_only": {"1"}})
	r.want(t, "generate", 303, a+"/coupons?q=GIFT")
	if n := count(`SELECT COUNT(DISTINCT code) FROM coupons WHERE code LIKE 'GIFT%' AND batch LIKE 'GIFT%' AND members_only AND max_uses = 1`); n != 25 {
		t.Fatalf("%d generated", n)
	}
	c.get(r.location).want(t, "batch list", 200, "25件", "GIFT")
	if auditCount(t, d, "coupon.generated", "owner@example.jp") != 1 {
		t.Fatal("generation not audited")
	}
	var id int64
	if err := d.QueryRow(ctx, `SELECT id FROM coupons WHERE code = 'SPRING-2027'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	c.post(fmt.Sprintf("%s/coupons/%d/active", a, id), url.Values{"active": {"0"}}).want(t, "disable", 303)
	if n := count(`SELECT COUNT(*) FROM coupons WHERE id = ? AND NOT active`, id); n != 1 {
		t.Fatal("not disabled")
	}
	c.get(a+"/coupons/999999").want(t, "unknown coupon", 404)

	c.get(a+"/points/settings").want(t, "settings", 200, "points-settings")
	c.post(a+"/points/settings", url.Values{"points.enabled": {"1"}, "points.rate": {"3"}, "points.grant_at": {"paid"}, "points.min_use": {"500"}, "points.max_use": {"100"}, "points.expiry_months": {"12"}}).
		want(t, "max below min", 422, "最大ポイントは最小ポイント以上")
	c.post(a+"/points/settings", url.Values{"points.enabled": {"1"}, "points.rate": {"3"}, "points.grant_at": {"paid"}, "points.min_use": {"100"}, "points.max_use": {"5000"}, "points.expiry_months": {"24"}}).
		want(t, "settings saved", 303)
	if n := count(`SELECT COUNT(*) FROM settings WHERE (key = 'points.rate' AND value = '3') OR (key = 'points.grant_at' AND value = 'paid')`); n != 2 {
		t.Fatalf("settings stored: %d", n)
	}
	c.post(a+"/points/products", url.Values{"slug": {"nosuch"}, "rate": {"10"}}).want(t, "unknown product", 422, "この商品コードの商品はありません")
	c.post(a+"/points/products", url.Values{"slug": {"pot"}, "rate": {"10"}}).want(t, "product rate", 303)
	if n := count(`SELECT COUNT(*) FROM product_points WHERE rate = 10`); n != 1 {
		t.Fatal("product rate not stored")
	}
	if auditCount(t, d, "points.settings", "owner@example.jp") != 1 || auditCount(t, d, "points.product_rate", "owner@example.jp") != 1 {
		t.Fatal("point settings not audited")
	}

	const email = "member@example.jp"
	registerActive(t, base, cfg, email)
	var cid int64
	if err := d.QueryRow(ctx, `SELECT id FROM customers WHERE email_key = ?`, email).Scan(&cid); err != nil {
		t.Fatal(err)
	}
	cp := fmt.Sprintf("%s/customers/%d/points", a, cid)
	c.get(fmt.Sprintf("%s/customers/%d", a, cid)).want(t, "customer page card", 200, "customer-points", "保有ポイント: 0pt", "customer-points-adjust")
	// Enrolment opened sudo: let it lapse first.
	if _, err := d.Exec(ctx, `UPDATE admin_sessions SET sudo_until = ?`, d.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	c.get(cp).want(t, "points page without sudo", 303, "/sudo")
	c.post(cp, url.Values{"delta": {"100"}, "reason": {"お詫び"}}).want(t, "adjust without sudo", 403)
	c.post(a+"/sudo", url.Values{"password": {ownerPassword}, "next": {cp}}).want(t, "sudo", 303)
	c.get(cp).want(t, "points page", 200, "points-adjust")
	c.post(cp, url.Values{"delta": {"-5"}, "reason": {"誤り"}}).want(t, "below zero", 422, "保有ポイントを超えています")
	c.post(cp, url.Values{"delta": {"100"}, "reason": {""}}).want(t, "no reason", 422, "理由を200文字以内で")
	c.post(cp, url.Values{"delta": {"abc"}, "reason": {"x"}}).want(t, "not a number", 422, "0以外")
	if b, _ := points.Balance(ctx, d, cid); b != 0 {
		t.Fatalf("balance %d after refused adjustments", b)
	}
	c.post(cp, url.Values{"delta": {"+100"}, "reason": {"お詫び"}}).want(t, "adjust", 303)
	if b, _ := points.Balance(ctx, d, cid); b != 100 {
		t.Fatalf("balance %d", b)
	}
	c.get(cp).want(t, "ledger", 200, "お詫び", "owner@example.jp", "+100")
	if auditCount(t, d, "points.adjusted", "owner@example.jp") != 1 {
		t.Fatal("adjustment not audited")
	}
	c.get(fmt.Sprintf("%s/customers/999999/points", a)).want(t, "unknown customer", 404)
}
