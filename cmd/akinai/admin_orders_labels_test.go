package main

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
)

// placeParcelOrder creates a paid card order of one parcel (both lines)
// for delivery on date in the morning slot.
func placeParcelOrder(t *testing.T, d *db.DB, pot, tea int64, date string) *order.Order {
	t.Helper()
	addr := order.Address{FamilyName: "髙橋", GivenName: "花子", FamilyKana: "タカハシ", GivenKana: "ハナコ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区千代田", Address1: "1-1"}
	o := &order.Order{IdempotencyKey: fmt.Sprintf("l-%d", time.Now().UnixNano()), Status: order.Paid, Lang: "ja", Email: "hanako@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: order.Card, DeliveryDate: date, DeliverySlot: "am",
		Subtotal: 5440, DeliveryFee: 930, Total: 6370,
		Rates: []order.RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []order.Line{
			{VariantID: pot, NameJA: "急須", SKU: "POT-1", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: tea, NameJA: "煎茶", SKU: "TEA-1", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		},
		Parcels: []order.Parcel{{Ship: addr, Method: 1, Date: date, Slot: "am", Fee: 930, Items: []order.ParcelItem{{Line: 0, Qty: 2}, {Line: 1, Qty: 3}}}},
	}
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return order.Create(context.Background(), tx, o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

// The day's work: the paid orders' Yamato B2 labels, then the tracking
// numbers B2 gives back, checked first and then applied; the orders ship
// and their notices are queued.
func TestAdminOrders_LabelsAndTracking(t *testing.T) {
	t.Parallel()
	_, c, d, _, pot := orderShop(t)
	ctx := context.Background()
	a := c.admin
	if _, err := d.Exec(ctx, `UPDATE variants SET stock = 100`); err != nil {
		t.Fatal(err)
	}
	var tea int64
	if err := d.QueryRow(ctx, `SELECT id FROM variants WHERE sku = 'TEA-1'`).Scan(&tea); err != nil {
		t.Fatal(err)
	}
	o1 := placeParcelOrder(t, d, pot, tea, "2030-01-02")
	o2 := placeParcelOrder(t, d, pot, tea, "")
	ids := url.Values{"scope": {"ids"}, "action": {"labels_yamato"}, "id": {strconv.FormatInt(o1.ID, 10), strconv.FormatInt(o2.ID, 10)}}

	c.get(a + "/orders")
	r := c.post(a+"/orders/bulk", ids)
	r.want(t, "labels redirect", 303, "/orders/labels.csv?")
	labels := r.location
	c.get(labels).want(t, "labels without the account codes", 409, "請求先顧客コード")

	c.get(a + "/orders/labels")
	c.post(a+"/orders/labels", url.Values{"yamato_billing": {"12ab"}, "yamato_freight": {"1"}}).want(t, "bad codes", 422, "10〜12桁", "2桁")
	c.post(a+"/orders/labels", url.Values{"yamato_billing": {"012345678901"}, "yamato_freight": {"01"}}).want(t, "save codes", 303)

	var recs [][]string
	for range 20 { // the settings cache holds values for 3 s
		r = c.get(labels)
		if r.status == 200 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	r.want(t, "labels", 200)
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=shift_jis" || !strings.Contains(r.body, "\r\n") {
		t.Fatalf("labels: %s", ct)
	}
	rd, err := csvfile.NewReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if recs, err = rd.ReadAll(); err != nil || rd.Encoding != csvfile.ShiftJIS || len(recs) != 3 {
		t.Fatalf("labels: %v %s %d rows", err, rd.Encoding, len(recs))
	}
	if strings.Join(recs[0][:7], ",") != "お客様管理番号,送り状種類,クール区分,伝票番号,出荷予定日,お届け予定日,配達時間帯" || len(recs[1]) != 42 {
		t.Fatalf("header %q", recs[0])
	}
	row := recs[1]
	if row[0] != order.ParcelRef(o1.Number, 1) || row[1] != "0" || row[5] != "2030/01/02" || row[6] != "0812" || row[15] != "髙橋 花子" || row[39] != "012345678901" || row[41] != "01" {
		t.Fatalf("row %q", row)
	}

	// What B2 gives back: its issued data, the reference and the slip number.
	var back strings.Builder
	back.WriteString("お客様管理番号,送り状種類,クール区分,伝票番号\r\n")
	for i, rec := range recs[1:] {
		fmt.Fprintf(&back, "%s,0,0,4000123456%02d\r\n", rec[0], i)
	}
	file := []byte(csvfile.ForShiftJIS(back.String()))
	c.get(a + "/orders/tracking")
	bad := back.String() + "261202ZZZZZZ01,0,0,400012345699\r\n"
	r = c.postFile(a+"/orders/tracking", "file", "tracking.csv", []byte(bad), map[string]string{"carrier": "yamato"})
	r.want(t, "dry run with a problem", 422, "1件の問題", "該当する受注・荷物がありません", "何も登録していません")
	var drafts int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM order_bulk_jobs`).Scan(&drafts); err != nil || drafts != 0 {
		t.Fatalf("a refused dry run wrote %d jobs", drafts)
	}
	r = c.postFile(a+"/orders/tracking", "file", "tracking.csv", file, map[string]string{"carrier": "yamato"})
	r.want(t, "clean dry run", 200, "2個の荷物（2件の受注）", "400012345600")
	if got, _ := order.ByNumber(ctx, d, o1.Number); got.Status != order.Paid {
		t.Fatalf("the dry run shipped: %s", got.Status)
	}
	m := regexpAll(`/orders/tracking/(\d+)/apply`, r.body)
	if len(m) == 0 {
		t.Fatal("no apply form")
	}
	r = c.post(a+"/orders/tracking/"+m[0]+"/apply", nil)
	r.want(t, "apply", 303, "/order-bulk/")
	r = waitBulk(t, c, r.location)
	r.want(t, "applied", 200, "変更 2件")
	c.post(a+"/orders/tracking/"+m[0]+"/apply", nil).want(t, "apply twice", 409)
	for i, o := range []*order.Order{o1, o2} {
		got, _ := order.ByNumber(ctx, d, o.Number)
		if got.Status != order.Shipped || got.Parcels[0].Tracking != fmt.Sprintf("4000123456%02d", i) || got.Parcels[0].Carrier != "yamato" {
			t.Fatalf("%s after import: %s %+v", o.Number, got.Status, got.Parcels[0])
		}
	}
	var notices int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'order_shipped' AND body_text LIKE ?`, "%400012345600%").Scan(&notices); err != nil || notices != 1 {
		t.Fatalf("notices: %d %v", notices, err)
	}
	// The same file again: every parcel has left.
	c.get(a + "/orders/tracking")
	c.postFile(a+"/orders/tracking", "file", "tracking.csv", file, map[string]string{"carrier": "yamato"}).want(t, "already shipped", 422, "すでに発送済みです")
}
