package main

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/payment"
)

// TestAdminPaymentMethods: the operator adds a method of their own, sets
// tiered fees and a delivery combination, reorders and deletes it; bad
// input is refused by the field with nothing written; a method in use
// cannot be deleted and the refusal names the order; every change is
// audited.
func TestAdminPaymentMethods(t *testing.T) {
	t.Parallel()
	_, c, d, o, _ := orderShop(t)
	ctx := context.Background()
	a := c.admin

	c.get(a+"/").want(t, "nav", 200, `href="`+a+`/settings/payment-methods"`)
	c.get(a+"/settings/payment-methods").want(t, "list", 200, "支払方法設定", "コンビニ決済", `id="pay-cod"`, "金額に応じた段階制")
	c.post(a+"/settings/payment-methods", url.Values{"code": {"Bad Code"}, "name_ja": {"郵便振替"}}).
		want(t, "bad code", 422, "半角英小文字で始まる", `value="郵便振替"`)
	c.post(a+"/settings/payment-methods", url.Values{"code": {"postal"}, "name_ja": {"郵便振替"}, "name_en": {"Postal transfer"}}).want(t, "create", 303)
	c.post(a+"/settings/payment-methods", url.Values{"code": {"postal"}, "name_ja": {"郵便振替2"}}).want(t, "taken", 422, "既に使われています")
	c.get(a+"/settings/payment-methods/postal").want(t, "edit", 200, `name="tiers"`, `name="pref_13"`, `name="delivery"`, "まだ注文で使われていません")

	form := url.Values{"name_ja": {"郵便振替"}, "name_en": {"Postal transfer"}, "active": {"1"}, "fee_type": {"tiers"},
		"fee": {"0"}, "free_over": {"0"}, "min_amount": {"0"}, "max_amount": {"0"}, "tiers": {"10000 330\n5000 220"}, "delivery": {"2"}}
	c.post(a+"/settings/payment-methods/postal", form).want(t, "tiers out of order", 422, "上限金額の小さい順", "10000 330")
	if m, _ := payment.MethodByCode(ctx, d, "postal"); m.Active || len(m.Tiers) != 0 {
		t.Fatalf("written on a refusal: %+v", m)
	}
	form.Set("tiers", "5000 220\n10,000 330")
	form.Set("min_amount", "500")
	form.Set("max_amount", "100")
	c.post(a+"/settings/payment-methods/postal", form).want(t, "max under min", 422, "上限金額は下限金額以上")
	form.Set("max_amount", "0")
	c.post(a+"/settings/payment-methods/postal", form).want(t, "saved", 303)
	m, err := payment.MethodByCode(ctx, d, "postal")
	if err != nil || !m.Active || m.FeeType != payment.FeeTiers || len(m.Tiers) != 2 || m.Tiers[1].UpTo != 10000 || len(m.Delivery) != 1 || m.Delivery[0] != 2 || m.Min != 500 {
		t.Fatalf("saved %+v %v", m, err)
	}
	if n := auditCount(t, d, "payment.method_save", "owner@example.jp"); n != 1 {
		t.Fatalf("%d audit entries", n)
	}

	// Reorder: postal (last) moves up one place.
	before, _ := payment.Methods(ctx, d, false)
	c.post(a+"/settings/payment-methods/postal/move", url.Values{"dir": {"up"}}).want(t, "move", 303)
	after, _ := payment.Methods(ctx, d, false)
	if before[len(before)-1].Code != "postal" || after[len(after)-2].Code != "postal" {
		t.Fatalf("order %v → %v", before, after)
	}

	// Built-in methods and methods in use stay.
	c.post(a+"/settings/payment-methods/cod/delete", nil).want(t, "built-in", 409, "削除できません")
	if _, err := d.Exec(ctx, `UPDATE orders SET payment_method = 'postal' WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	c.post(a+"/settings/payment-methods/postal/delete", nil).want(t, "in use", 409, "1件の注文で使われている", o.Number)
	if _, err := d.Exec(ctx, `UPDATE orders SET payment_method = 'cod' WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	c.post(a+"/settings/payment-methods/postal/delete", nil).want(t, "delete", 303)
	if _, err := payment.MethodByCode(ctx, d, "postal"); err == nil {
		t.Fatal("not deleted")
	}
	c.get(a+"/settings/payment-methods/nope").want(t, "unknown", 404)

	// The webhook signing secret is stored sealed and shown masked.
	c.post(a+"/settings/payment-webhook", url.Values{"secret": {"short"}}).want(t, "bad secret", 400)
	c.post(a+"/settings/payment-webhook", url.Values{"secret": {"whsec_abcdefghijklmnop1234"}}).want(t, "secret", 303)
	r := c.get(a + "/settings/payment")
	r.want(t, "masked", 200, "whsec_…1234", "/webhooks/stripe")
	if strings.Contains(r.body, "abcdefghijklmnop") {
		t.Fatal("the secret is shown")
	}
	if n := auditCount(t, d, "settings.payment_webhook_secret", "owner@example.jp"); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
}

// TestAdminDeliveryMethods: the operator adds a delivery method, sets
// its carrier, cool delivery, days, slots and fees; bad input is refused
// by the field; a method in use cannot be deleted.
func TestAdminDeliveryMethods(t *testing.T) {
	t.Parallel()
	_, c, d, o, _ := orderShop(t)
	ctx := context.Background()
	a := c.admin

	c.get(a+"/settings/delivery").want(t, "list", 200, "配送方法設定", "ヤマト運輸 宅急便", "準備0日＋配送1日")
	c.post(a+"/settings/delivery", url.Values{"code": {"sagawa_cool"}, "name_ja": {"佐川急便 飛脚クール便"}, "carrier": {"sagawa"}}).want(t, "create", 303)
	var id int64
	if err := d.QueryRow(ctx, `SELECT id FROM delivery_methods WHERE code = 'sagawa_cool'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := a + "/settings/delivery/" + strconv.FormatInt(id, 10)
	c.get(path).want(t, "edit", 200, `name="fee_47"`, `name="lead_days"`, "冷凍")
	form := url.Values{"name_ja": {"佐川急便 飛脚クール便"}, "name_en": {"Sagawa Cool"}, "carrier": {"sagawa"}, "cool": {"frozen"}, "active": {"1"},
		"lead_days": {"-1"}, "transit_days": {"1"}, "slots": {"am|午前中|Morning\nam|重複|dup"}, "fee_13": {"1200"}, "fee_47": {"abc"},
		"tracking_url": {"http://example.com/%s"}}
	r := c.post(path, form)
	r.want(t, "refused", 422, "日数は0以上", "都道府県別の手数料は0以上", "例: am|午前中|Morning")
	form.Set("lead_days", "2")
	form.Set("slots", "am|午前中|Morning\n18_20|18時〜20時|18:00–20:00")
	form.Set("fee_47", "")
	form.Set("tracking_url", "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=%s")
	c.post(path, form).want(t, "saved", 303)
	var cool string
	var lead, nfees, nslots int
	d.QueryRow(ctx, `SELECT cool, lead_days FROM delivery_methods WHERE id = ?`, id).Scan(&cool, &lead)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM delivery_fees WHERE method_id = ?`, id).Scan(&nfees)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM delivery_slots WHERE method_id = ?`, id).Scan(&nslots)
	if cool != "frozen" || lead != 2 || nfees != 1 || nslots != 2 {
		t.Fatalf("cool %q lead %d fees %d slots %d", cool, lead, nfees, nslots)
	}
	c.post(a+"/settings/delivery/free-shipping", url.Values{"free_threshold": {"-5"}}).want(t, "bad threshold", 422, "0以上の金額")
	c.post(a+"/settings/delivery/free-shipping", url.Values{"free_threshold": {"8,000"}}).want(t, "threshold", 303)
	c.post(a+"/settings/delivery/1/delete", nil).want(t, "in use", 409, o.Number)
	c.post(path+"/delete", nil).want(t, "delete unused", 303)
	if n := auditCount(t, d, "delivery.method_delete", "owner@example.jp"); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
}
