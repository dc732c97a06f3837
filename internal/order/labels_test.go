package order

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// mustParcelOrder creates mustOrder's order with one parcel of both
// lines, for delivery on date in slot.
func mustParcelOrder(t *testing.T, d *db.DB, v1, v2 int64, payment, date, slot string) *Order {
	t.Helper()
	addr := Address{FamilyName: "山田", GivenName: "太郎", FamilyKana: "ヤマダ", GivenKana: "タロウ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "千代田1-1", Address2: "皇居前ハイツ101"}
	o := &Order{IdempotencyKey: "p-" + time.Now().Format("150405.000000000"), Status: Paid, Lang: "ja", Email: "taro@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: payment, DeliveryDate: date, DeliverySlot: slot,
		Subtotal: 5440, DeliveryFee: 930, Total: 6370,
		Rates: []RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []Line{
			{VariantID: v1, NameJA: "急須", SKU: "POT", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: v2, NameJA: "煎茶", SKU: "TEA", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		},
		Parcels: []Parcel{{Ship: addr, Method: 1, Date: date, Slot: slot, Fee: 930, Items: []ParcelItem{{Line: 0, Qty: 2}, {Line: 1, Qty: 3}}}},
	}
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return Create(context.Background(), tx, o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestParcelRef(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		number string
		seq    int
		ref    string
	}{
		{"261202-AQ4VE4", 1, "261202AQ4VE401"},
		{"261202-AQ4VE4", 12, "261202AQ4VE412"},
	} {
		if got := ParcelRef(c.number, c.seq); got != c.ref {
			t.Errorf("ParcelRef(%s, %d) = %s", c.number, c.seq, got)
		}
		n, s, ok := splitRef(c.ref)
		if !ok || n != c.number || s != c.seq {
			t.Errorf("splitRef(%s) = %s %d %v", c.ref, n, s, ok)
		}
	}
	for _, ref := range []string{"261202-AQ4VE4", "261202aq4ve4"} {
		if n, s, ok := splitRef(ref); !ok || n != "261202-AQ4VE4" || s != 0 {
			t.Errorf("splitRef(%s) = %s %d %v", ref, n, s, ok)
		}
	}
	for _, ref := range []string{"", "123", "261202AQ4VE4XX", "261202AQ4VE400"} {
		if _, _, ok := splitRef(ref); ok {
			t.Errorf("splitRef(%q) accepted", ref)
		}
	}
}

// The B2 row puts each value in the column Yamato's layout gives it
// (docs/CARRIERS.md): 42 columns, codes for COD, cool and slot, dates
// as YYYY/MM/DD, the recipient's and the shop's addresses.
func TestB2Record(t *testing.T) {
	t.Parallel()
	p := &LabelParcel{ParcelID: 7, Seq: 1, Parcels: 1, Number: "261202-AQ4VE4", Payment: COD, Total: 6370, Tax: 524,
		Ship: Address{FamilyName: "山田", GivenName: "太郎", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "千代田1-1", Address2: "皇居前ハイツ101"},
		Date: "2030-01-02", Slot: "am", Cool: "chilled", Items: []LabelItem{{Name: "急須", Qty: 2}, {Name: "煎茶", Qty: 3}, {Name: "湯呑", Qty: 1}}}
	s := Sender{Name: "株式会社あきない", Phone: "0612345678", PostalCode: "5300001", Address: "大阪府大阪市北区梅田1-1", YamatoBilling: "012345678901", YamatoFreight: "01"}
	rec := B2Record(nil, p, s, time.Date(2030, 1, 1, 0, 0, 0, 0, jst))
	want := map[int]string{
		1: "261202AQ4VE401", 2: "2", 3: "2", 4: "", 5: "2030/01/01", 6: "2030/01/02", 7: "0812",
		9: "0312345678", 11: "100-0001", 12: "東京都千代田区千代田1-1", 13: "皇居前ハイツ101", 16: "山田 太郎", 18: "様",
		20: "0612345678", 22: "530-0001", 23: "大阪府大阪市北区梅田1-1", 25: "株式会社あきない",
		28: "急須", 30: "煎茶 他1点", 33: "261202-AQ4VE4", 34: "6370", 35: "524", 40: "012345678901", 42: "01",
	}
	if len(rec) != 42 || len(B2Header) != 42 {
		t.Fatalf("%d columns, header %d", len(rec), len(B2Header))
	}
	for no, v := range want { // Yamato numbers its items from 1
		if rec[no-1] != v {
			t.Errorf("item %d (%s) = %q, want %q", no, B2Header[no-1], rec[no-1], v)
		}
	}
	// A second parcel of a COD order and a card order go prepaid.
	p.Seq, p.Slot, p.Cool = 2, "12_14", ""
	rec = B2Record(rec, p, s, time.Now())
	if rec[1] != "0" || rec[33] != "" || rec[6] != "" || rec[2] != "0" || rec[0] != "261202AQ4VE402" {
		t.Fatalf("second COD parcel: %q", rec[:7])
	}
}

func TestEachLabelParcel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := mustVariant(t, d, "POT", "standard", -1)
		v2 := mustVariant(t, d, "TEA", "reduced", -1)
		a := mustParcelOrder(t, d, v1, v2, COD, "2030-01-02", "am")
		b := mustParcelOrder(t, d, v1, v2, Card, "", "")
		c := mustParcelOrder(t, d, v1, v2, Card, "", "")
		if _, err := d.Exec(ctx, `UPDATE delivery_methods SET cool = 'frozen' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return AddShipment(ctx, tx, c.ID, "yamato", "1111-2222-3333") }); err != nil {
			t.Fatal(err)
		}
		var got []*LabelParcel
		if err := EachLabelParcel(ctx, d, Filter{IDs: []int64{a.ID, b.ID, c.ID}}, func(p *LabelParcel) error { got = append(got, p); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Number != a.Number || got[1].Number != b.Number {
			t.Fatalf("parcels: %d", len(got))
		}
		p := got[0]
		if p.Seq != 1 || p.Parcels != 1 || p.Total != 6370 || p.Tax != 524 || p.Date != "2030-01-02" || p.Slot != "am" || p.Cool != "frozen" ||
			p.Ship.Address2 != "皇居前ハイツ101" || len(p.Items) != 2 || p.Items[1].Name != "煎茶" || p.Items[1].Qty != 3 {
			t.Fatalf("parcel: %+v", p)
		}
	})
}

func sjis(t *testing.T, s string) []byte {
	t.Helper()
	b, _, err := transform.Bytes(japanese.ShiftJIS.NewEncoder(), []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseTracking(t *testing.T) {
	t.Parallel()
	// B2 Cloud's issued-data export: header, the reference in column 1
	// and the slip number in column 4, Shift_JIS.
	rows, probs := ParseTracking(bytes.NewReader(sjis(t, "お客様管理番号,送り状種類,クール区分,伝票番号\r\n261202AQ4VE401,0,0,123456789012\r\n,,,\r\n")))
	if len(probs) != 0 || len(rows) != 1 || rows[0] != (TrackingRow{Line: 2, Ref: "261202AQ4VE401", Tracking: "123456789012"}) {
		t.Fatalf("B2 file: %+v %+v", rows, probs)
	}
	rows, probs = ParseTracking(strings.NewReader("\uFEFF261202-AQ4VE4, 4321-8765-0001\n"))
	if len(probs) != 0 || len(rows) != 1 || rows[0].Ref != "261202-AQ4VE4" || rows[0].Tracking != "4321-8765-0001" || rows[0].Line != 1 {
		t.Fatalf("plain file: %+v %+v", rows, probs)
	}
	// UTF-16 (as some spreadsheets save) is decoded, not refused.
	var u16 []byte
	u16 = append(u16, 0xff, 0xfe)
	for _, r := range "261202-AQ4VE4,4321-8765-0001\r\n" {
		u16 = append(u16, byte(r), 0)
	}
	rows, probs = ParseTracking(bytes.NewReader(u16))
	if len(probs) != 0 || len(rows) != 1 || rows[0].Ref != "261202-AQ4VE4" || rows[0].Tracking != "4321-8765-0001" {
		t.Fatalf("UTF-16 file: %+v %+v", rows, probs)
	}
	for name, body := range map[string][]byte{
		"empty":     []byte("お客様管理番号,伝票番号\n"),
		"bad quote": []byte("\"abc,1234\n"),
	} {
		if _, probs := ParseTracking(bytes.NewReader(body)); len(probs) != 1 {
			t.Errorf("%s: %+v", name, probs)
		}
	}
}

// The dry run reports each problem and plans nothing when there is one.
func TestPlanTracking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v1 := mustVariant(t, d, "POT", "standard", -1)
		v2 := mustVariant(t, d, "TEA", "reduced", -1)
		a := mustParcelOrder(t, d, v1, v2, Card, "", "")
		b := mustParcelOrder(t, d, v1, v2, Card, "", "")
		shipped := mustParcelOrder(t, d, v1, v2, Card, "", "")
		cancelled := mustParcelOrder(t, d, v1, v2, Card, "", "")
		if err := d.Tx(ctx, func(tx *db.Tx) error { return AddShipment(ctx, tx, shipped.ID, "yamato", "1111-2222-3333") }); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE orders SET status = 'cancelled' WHERE id = ?`, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		good := []TrackingRow{{Line: 2, Ref: ParcelRef(a.Number, 1), Tracking: "111111111111"}, {Line: 3, Ref: b.Number, Tracking: "222222222222"}}
		plan, probs, err := PlanTracking(ctx, d, good)
		if err != nil || len(probs) != 0 || len(plan) != 2 || plan[0].OrderID != a.ID || plan[1].OrderID != b.ID || plan[1].Seq != 1 {
			t.Fatalf("clean plan: %+v %+v %v", plan, probs, err)
		}
		bad := append(good,
			TrackingRow{Line: 4, Ref: "261202ZZZZZZ01", Tracking: "333333333333"},
			TrackingRow{Line: 5, Ref: ParcelRef(a.Number, 1), Tracking: "444444444444"},
			TrackingRow{Line: 6, Ref: shipped.Number, Tracking: "555555555555"},
			TrackingRow{Line: 7, Ref: cancelled.Number, Tracking: "666666666666"},
			TrackingRow{Line: 8, Ref: "x", Tracking: "111111111111"},
			TrackingRow{Line: 9, Ref: "y", Tracking: "bad tracking!"},
			TrackingRow{Line: 10, Ref: ParcelRef(a.Number, 2), Tracking: "777777777777"},
		)
		plan, probs, err = PlanTracking(ctx, d, bad)
		if err != nil || plan != nil {
			t.Fatalf("plan with problems: %+v %v", plan, err)
		}
		want := map[int]string{4: "order.tracking.unknown", 5: "order.tracking.duplicate_ref", 6: "order.tracking.already_shipped",
			7: "order.tracking.not_shippable", 8: "order.tracking.duplicate_tracking", 9: "order.tracking.bad_tracking", 10: "order.tracking.unknown"}
		if len(probs) != len(want) {
			t.Fatalf("problems: %+v", probs)
		}
		for _, p := range probs {
			if want[p.Line] != p.Key {
				t.Errorf("line %d: %s, want %s", p.Line, p.Key, want[p.Line])
			}
		}
	})
}
