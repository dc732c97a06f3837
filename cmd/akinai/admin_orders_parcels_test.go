package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
)

// placeSplitOrder creates a paid order for 髙橋 花子 in lang: 2 × POT and
// 3 × TEA, parcel 1 (Tokyo, Yamato) POT ×1 + TEA ×3, parcel 2 (Sapporo,
// Yu-Pack, 12–14時) POT ×1.
func placeSplitOrder(t *testing.T, d *db.DB, lang string, pot, tea int64) *order.Order {
	t.Helper()
	tokyo := order.Address{FamilyName: "髙橋", GivenName: "花子", FamilyKana: "タカハシ", GivenKana: "ハナコ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区千代田", Address1: "1-1"}
	sapporo := order.Address{FamilyName: "佐藤", GivenName: "一郎", FamilyKana: "サトウ", GivenKana: "イチロウ", Phone: "0111234567", PostalCode: "0600001", Pref: 1, City: "札幌市中央区", Address1: "北1条西"}
	o := &order.Order{IdempotencyKey: fmt.Sprintf("split-%d", time.Now().UnixNano()), Status: order.Paid, Lang: lang, Email: lang + "-hanako@example.jp",
		Buyer: tokyo, Ship: tokyo, DeliveryMethod: 1, PaymentMethod: order.BankTransfer,
		Subtotal: 5440, DeliveryFee: 2380, Total: 7820,
		Rates: []order.RateTotal{{Rate: 1000, Total: 4580, Tax: 416}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []order.Line{
			{VariantID: pot, NameJA: "急須", NameEN: "Teapot", SKU: "POT-1", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: tea, NameJA: "煎茶", NameEN: "Sencha", SKU: "TEA-1", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		},
		Parcels: []order.Parcel{
			{Ship: tokyo, Method: 1, Slot: "am", Fee: 930, Items: []order.ParcelItem{{Line: 0, Qty: 1}, {Line: 1, Qty: 3}}},
			{Ship: sapporo, Method: 2, Slot: "12_14", Fee: 1450, Items: []order.ParcelItem{{Line: 0, Qty: 1}}},
		}}
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return order.Create(context.Background(), tx, o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

func shippedMails(t *testing.T, d *db.DB, to string) []string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT subject, body_text FROM outbox WHERE event = 'order_shipped' AND to_addr = ? ORDER BY id`, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s, b string
		if err := rows.Scan(&s, &b); err != nil {
			t.Fatal(err)
		}
		out = append(out, s+"\n"+b)
	}
	return out
}

// An operator ships a split order parcel by parcel: each parcel has its
// own form and notice, the order shows how many have left and becomes
// shipped with the last one; quantity edits that the parcels cannot follow
// are refused next to the line.
func TestAdminOrders_Parcels(t *testing.T) {
	t.Parallel()
	_, c, d, _, pot := orderShop(t)
	ctx := context.Background()
	a := c.admin
	var tea int64
	if err := d.QueryRow(ctx, `SELECT id FROM variants WHERE sku = 'TEA-1'`).Scan(&tea); err != nil {
		t.Fatal(err)
	}
	o := placeSplitOrder(t, d, "ja", pot, tea)
	page := a + "/orders/" + o.Number
	lines, err := order.AdminLines(ctx, d, o.ID)
	if err != nil {
		t.Fatal(err)
	}

	r := c.get(page)
	r.want(t, "parcels listed", 200, `id="parcels"`, "2個中0個発送済み", "荷物 2", "札幌市中央区", "佐藤 一郎", "ゆうパック", "12時〜14時", "1,450", "急須 × 1", "煎茶 × 3")
	if strings.Contains(r.body, `id="ship-form"`) {
		t.Fatal("the whole-order ship form is offered for a split order")
	}

	t.Run("edit of a split line is refused next to it", func(t *testing.T) {
		form := url.Values{"version": {pageVersion(t, r.body)}, fmt.Sprintf("qty_%d", lines[0].ID): {"3"}, fmt.Sprintf("qty_%d", lines[1].ID): {"3"},
			"ship_family_name": {"髙橋"}, "ship_given_name": {"花子"}, "ship_family_kana": {"タカハシ"}, "ship_given_kana": {"ハナコ"},
			"ship_phone": {"03-1234-5678"}, "ship_postal_code": {"100-0001"}, "ship_pref": {"13"}, "ship_city": {"千代田区千代田"}, "ship_address1": {"1-1"},
			"delivery_fee": {"2380"}, "cod_fee": {"0"}}
		res := c.post(page+"/edit", form)
		res.want(t, "split edit", 422, "荷物ごとの数量と合わなくなる変更は保存できません", `value="3" min="0" max="9999" class="qty"><p class="field-error">この商品は複数の荷物に分けて発送予定のため`)
		if got, _ := order.ByNumber(ctx, d, o.Number); got.Lines[0].Qty != 2 {
			t.Fatal("refused edit written")
		}
	})
	t.Run("first parcel: notice with its contents, order still paid", func(t *testing.T) {
		r := c.get(page)
		c.post(fmt.Sprintf("%s/parcels/%d/ship", page, o.Parcels[1].ID), url.Values{"version": {pageVersion(t, r.body)}, "parcel": {fmt.Sprint(o.Parcels[1].ID)},
			"carrier": {"yupack"}, "tracking": {"1234-5678-9012"}}).want(t, "ship parcel 2", 303)
		mails := shippedMails(t, d, o.Email)
		if len(mails) != 1 {
			t.Fatalf("%d notices", len(mails))
		}
		for _, want := range []string{o.Number, "下記のお荷物を本日発送いたしました", "2個口のうち2個目", "佐藤 一郎 様", "急須 × 1", "1234-5678-9012"} {
			if !strings.Contains(mails[0], want) {
				t.Fatalf("notice lacks %q:\n%s", want, mails[0])
			}
		}
		if strings.Contains(mails[0], "煎茶") {
			t.Fatalf("notice names another parcel's item:\n%s", mails[0])
		}
		c.get(page).want(t, "partial", 200, `id="order-status">入金済み`, "2個中1個発送済み", "1234-5678-9012")
		c.get(page+"?lang=en").want(t, "partial in English", 200, "1 of 2 parcels shipped", "Parcel 2")
		c.get(page + "?lang=ja") // the language is remembered in a cookie
		if auditCount(t, d, "order.parcel_shipped", "owner@example.jp") != 1 {
			t.Fatal("parcel shipment not audit-logged")
		}
	})
	t.Run("bad tracking number kept next to its parcel", func(t *testing.T) {
		r := c.get(page)
		c.post(fmt.Sprintf("%s/parcels/%d/ship", page, o.Parcels[0].ID), url.Values{"version": {pageVersion(t, r.body)}, "parcel": {fmt.Sprint(o.Parcels[0].ID)},
			"carrier": {"yamato"}, "tracking": {"12<>"}}).want(t, "bad tracking", 422, `value="12&lt;&gt;"`)
	})
	t.Run("a parcel shipped twice is refused", func(t *testing.T) {
		r := c.get(page)
		c.post(fmt.Sprintf("%s/parcels/%d/ship", page, o.Parcels[1].ID), url.Values{"version": {pageVersion(t, r.body)}, "carrier": {"yupack"}, "tracking": {"1234-0000"}}).
			want(t, "twice", 409, "この荷物はすでに発送済みです")
	})
	t.Run("last parcel ships the order", func(t *testing.T) {
		r := c.get(page)
		c.post(fmt.Sprintf("%s/parcels/%d/ship", page, o.Parcels[0].ID), url.Values{"version": {pageVersion(t, r.body)}, "carrier": {"yamato"}, "tracking": {"4321-8765-0009"}}).
			want(t, "ship parcel 1", 303)
		mails := shippedMails(t, d, o.Email)
		if len(mails) != 2 || !strings.Contains(mails[1], "2個口のうち1個目") || !strings.Contains(mails[1], "煎茶 × 3") || !strings.Contains(mails[1], "tneko?number00=1&number01=4321-8765-0009") {
			t.Fatalf("notices %q", mails)
		}
		c.get(page).want(t, "shipped", 200, `id="order-status">発送済み`, "2個中2個発送済み")
	})
	t.Run("English notice", func(t *testing.T) {
		pot2 := seedProduct(t, d, "pot-en", "standard", []string{"POT-2"}, []int{5})[0]
		tea2 := seedProduct(t, d, "tea-en", "reduced", []string{"TEA-2"}, []int{5})[0]
		en := placeSplitOrder(t, d, "en", pot2, tea2)
		r := c.get(a + "/orders/" + en.Number)
		c.post(fmt.Sprintf("%s/orders/%s/parcels/%d/ship", a, en.Number, en.Parcels[0].ID), url.Values{"version": {pageVersion(t, r.body)}, "carrier": {"yamato"}, "tracking": {"4321-8765-0010"}}).
			want(t, "ship en parcel", 303)
		mails := shippedMails(t, d, en.Email)
		if len(mails) != 1 {
			t.Fatalf("%d notices", len(mails))
		}
		for _, want := range []string{"Your order has shipped", "We shipped the parcel below", "Parcel: 1 of 2", "Recipient: 髙橋 花子", "Teapot x 1", "Sencha x 3"} {
			if !strings.Contains(mails[0], want) {
				t.Fatalf("notice lacks %q:\n%s", want, mails[0])
			}
		}
	})
}
