package main

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/order"
)

// A split order edited on 受注編集: each parcel's recipient and fee are
// changed on their own, the order's delivery fee becomes their sum and
// the history says what changed; the delivery slip and the invoice PDF
// list every parcel; a return of the shipped order gives a credit note
// (適格返還請求書) that names the sale it refunds, per rate with the tax.
func TestAdminOrderEdit_SplitParcels(t *testing.T) {
	t.Parallel()
	_, c, d, _, pot := orderShop(t)
	ctx := context.Background()
	a := c.admin
	var tea int64
	if err := d.QueryRow(ctx, `SELECT id FROM variants WHERE sku = 'TEA-1'`).Scan(&tea); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('tax.invoice_number', ?, ?), ('shop.company', '株式会社あきない', ?)`,
		testRegistration(), d.Now(), d.Now()); err != nil {
		t.Fatal(err)
	}
	o := placeSplitOrder(t, d, "ja", pot, tea)
	page := a + "/orders/" + o.Number + "/revise"
	lines, err := order.AdminLines(ctx, d, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := c.get(page)
	r.want(t, "edit screen of a split order", 200, "荷物 1", "荷物 2", "佐藤", "配送先ごとの送料の合計です")
	c.get(page+"?lang=en").want(t, "in English", 200, "Edit order", "Parcel 2", "The sum of each parcel’s fee", "Delivery time")
	c.get(a+"/orders/"+o.Number+"/refund").want(t, "refunds in English", 200, "Returns, cancellations and refunds", "Cancel and refund")
	r = c.get(page + "?lang=ja")

	form := url.Values{"version": {pageVersion(t, r.body)}, "delivery_fee": {"2380"}, "cod_fee": {"0"}, "discount": {"0"}, "note": {"札幌の宛先変更"}}
	for _, l := range lines {
		form.Set(fmt.Sprintf("qty_%d", l.ID), fmt.Sprint(l.Qty))
		form.Set(fmt.Sprintf("price_%d", l.ID), fmt.Sprint(int64(l.UnitPrice)))
	}
	addr := func(p order.Parcel, city string, fee int) {
		pre := fmt.Sprintf("p%d_", p.ID)
		s := p.Ship
		for k, v := range map[string]string{"family_name": s.FamilyName, "given_name": s.GivenName, "family_kana": s.FamilyKana, "given_kana": s.GivenKana,
			"phone": s.Phone, "postal_code": s.PostalCode, "pref": fmt.Sprint(s.Pref), "city": city, "address1": s.Address1} {
			form.Set(pre+"ship_"+k, v)
		}
		form.Set(pre+"fee", fmt.Sprint(fee))
		form.Set(pre+"slot", p.Slot)
	}
	addr(o.Parcels[0], o.Parcels[0].Ship.City, 930)
	addr(o.Parcels[1], "札幌市北区", -5)
	c.post(page, form).want(t, "negative parcel fee", 422, "0円以上の整数で入力してください")
	addr(o.Parcels[1], "札幌市北区", 1600)
	c.post(page, form).want(t, "save", 303)
	got, err := order.ByNumber(ctx, d, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.DeliveryFee != 2530 || got.Total != 7970 || got.Parcels[1].Fee != 1600 || got.Parcels[1].Ship.City != "札幌市北区" || got.Ship.City != "千代田区千代田" {
		t.Fatalf("after the edit: fee %d total %d parcel 2 %+v", got.DeliveryFee, got.Total, got.Parcels[1])
	}
	c.get(a+"/orders/"+o.Number).want(t, "history", 200, "parcel 2: 札幌市中央区北1条西 ¥1,450→札幌市北区北1条西 ¥1,600", "delivery ¥2,380→¥2,530")
	c.post(page, form).want(t, "the same form again is stale", 409, "他の管理者が先に更新しました")

	c.get(a+"/orders/"+o.Number+"/slip").want(t, "slip lists every parcel", 200, "荷物 1", "荷物 2", "佐藤 一郎", "札幌市北区", "¥1,600", "急須 × 1", "煎茶 × 3")
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	var pdf result
	for range 40 { // the settings cache holds values for 3 s
		if pdf = c.get(a + "/orders/" + o.Number + "/invoice.pdf"); pdf.status == 200 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	text := invoicepdfText(t, []byte(pdf.body))
	for _, want := range []string{"送料（配送先1: 髙橋 花子 様", "送料（配送先2: 佐藤 一郎 様", "¥930", "¥1,600", "¥7,970"} {
		if !strings.Contains(text, want) {
			t.Errorf("invoice lacks %q:\n%s", want, text)
		}
	}

	// Both parcels leave; the Sapporo pot comes back damaged.
	if _, err := d.Exec(ctx, `UPDATE shipments SET shipped_at = ?, carrier = 'yamato', tracking_number = '1' WHERE order_id = ?`, d.Now(), o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `UPDATE orders SET status = 'shipped' WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	r = c.get(a + "/orders/" + o.Number + "/refund")
	r.want(t, "return form", 200, "在庫に戻さない（検品前・破損）")
	if !strings.Contains(r.body, `<option value="keep" selected>`) {
		t.Fatal("the safe stock choice is not the default")
	}
	c.post(a+"/orders/"+o.Number+"/refund", url.Values{"version": {pageVersion(t, r.body)}, fmt.Sprintf("qty_%d", lines[0].ID): {"1"},
		fmt.Sprintf("amount_%d", lines[0].ID): {"1100"}, fmt.Sprintf("stock_%d", lines[0].ID): {"keep"}, fmt.Sprintf("qty_%d", lines[1].ID): {"0"},
		"delivery_fee": {"5000"}}).want(t, "fee over the order's", 422, "受注の手数料を超えています")
	c.post(a+"/orders/"+o.Number+"/refund", url.Values{"version": {pageVersion(t, r.body)}, fmt.Sprintf("qty_%d", lines[0].ID): {"1"},
		fmt.Sprintf("amount_%d", lines[0].ID): {"1100"}, fmt.Sprintf("qty_%d", lines[1].ID): {"0"}, "delivery_fee": {"0"}, "reason": {"破損"}}).want(t, "return", 303)
	if n := stock(t, d, pot); n != 1 {
		t.Fatalf("the damaged pot went back to stock: %d", n)
	}
	var id int64
	if err := d.QueryRow(ctx, `SELECT id FROM refunds WHERE order_id = ?`, o.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	cn := c.get(fmt.Sprintf("%s/orders/%s/refunds/%d/credit-note.pdf", a, o.Number, id))
	if cn.status != 200 {
		t.Fatalf("credit note %d", cn.status)
	}
	text = invoicepdfText(t, []byte(cn.body))
	for _, want := range []string{"適格返還請求書", testRegistration(), "株式会社あきない", "対象取引: 注文番号 " + o.Number, "返還日", "10%対象 返還額", "¥1,100", "¥100", "返品による返還"} {
		if !strings.Contains(text, want) {
			t.Errorf("credit note lacks %q:\n%s", want, text)
		}
	}
	if auditCount(t, d, "order.returned", "owner@example.jp") != 1 || auditCount(t, d, "order.edited", "owner@example.jp") != 1 {
		t.Fatal("not audit-logged")
	}
}

// The order page's inline quantity form refunds a paid card order the
// difference too, so no way of editing lowers a paid order silently.
func TestAdminOrderEdit_InlineFormRefunds(t *testing.T) {
	t.Parallel()
	_, c, d, _, pot := orderShop(t)
	ctx := context.Background()
	var tea int64
	if err := d.QueryRow(ctx, `SELECT id FROM variants WHERE sku = 'TEA-1'`).Scan(&tea); err != nil {
		t.Fatal(err)
	}
	o := placePaidOrder(t, d, order.Paid, order.Card, pot, tea)
	lines, _ := order.AdminLines(ctx, d, o.ID)
	page := c.admin + "/orders/" + o.Number
	r := c.get(page)
	form := url.Values{"version": {pageVersion(t, r.body)}, fmt.Sprintf("qty_%d", lines[0].ID): {"1"}, fmt.Sprintf("qty_%d", lines[1].ID): {"3"},
		"ship_family_name": {"髙橋"}, "ship_given_name": {"花子"}, "ship_family_kana": {"タカハシ"}, "ship_given_kana": {"ハナコ"},
		"ship_phone": {"0312345678"}, "ship_postal_code": {"1000001"}, "ship_pref": {"13"}, "ship_city": {"千代田区千代田"}, "ship_address1": {"1-1"},
		"delivery_fee": {"930"}, "cod_fee": {"0"}}
	c.post(page+"/edit", form).want(t, "inline edit", 303)
	var amount int64
	var status string
	if err := d.QueryRow(ctx, `SELECT amount, status FROM refunds WHERE order_id = ? AND kind = 'adjust'`, o.ID).Scan(&amount, &status); err != nil {
		t.Fatalf("no refund for the lowered card order: %v", err)
	}
	if amount != 1100 || status != "pending" && status != "succeeded" && status != "failed" {
		t.Fatalf("refund %d %s", amount, status)
	}
}
