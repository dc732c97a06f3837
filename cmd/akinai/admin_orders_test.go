package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/order"
)

// testRegistration is a registration number with a valid check digit.
func testRegistration() string {
	base := "234567890123"
	return fmt.Sprintf("T%d%s", invoice.CheckDigit(base), base)
}

// placeTestOrder creates a COD order for 髙橋 花子: 2 × POT (¥1,100 at
// 10%) and 3 × TEA (¥1,080 at 8%, reduced), delivery ¥930.
func placeTestOrder(t *testing.T, d *db.DB, pot, tea int64) *order.Order {
	t.Helper()
	addr := order.Address{FamilyName: "髙橋", GivenName: "花子", FamilyKana: "タカハシ", GivenKana: "ハナコ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区千代田", Address1: "1-1"}
	o := &order.Order{IdempotencyKey: fmt.Sprintf("t-%d", time.Now().UnixNano()), Status: order.New, Lang: "ja", Email: "hanako@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: order.COD,
		Subtotal: 5440, DeliveryFee: 930, Total: 6370,
		Rates: []order.RateTotal{{Rate: 1000, Total: 3130, Tax: 284}, {Rate: 800, Reduced: true, Total: 3240, Tax: 240}},
		Lines: []order.Line{
			{VariantID: pot, NameJA: "急須", SKU: "POT-1", UnitPrice: 1100, Rate: 1000, Qty: 2},
			{VariantID: tea, NameJA: "煎茶", SKU: "TEA-1", UnitPrice: 1080, Rate: 800, Reduced: true, Qty: 3},
		}}
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return order.Create(context.Background(), tx, o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

func pageVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no version on the order page")
	}
	return m[1]
}

// orderShop starts a shop on PostgreSQL (so the test can write next to
// the server) with a signed-in owner and one order.
func orderShop(t *testing.T) (cfg Config, c *client, d *db.DB, o *order.Order, pot int64) {
	t.Helper()
	cfg = Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base, logs := startLoggedShop(t, cfg, nil)
	c, _ = setupOwner(t, base, setupPath(t, logs))
	d = openAdminDB(t, cfg.DatabaseURL)
	pot = seedProduct(t, d, "pot", "standard", []string{"POT-1"}, []int{5})[0]
	tea := seedProduct(t, d, "tea", "reduced", []string{"TEA-1"}, []int{10})[0]
	o = placeTestOrder(t, d, pot, tea)
	return cfg, c, d, o, pot
}

func TestAdminOrders(t *testing.T) {
	t.Parallel()
	_, c, d, o, pot := orderShop(t)
	ctx := context.Background()
	a := c.admin

	c.get(a+"/orders?name="+url.QueryEscape("髙橋")).want(t, "search by name", 200, o.Number)
	c.get(a+"/orders?kana="+url.QueryEscape("たかはし")).want(t, "search by kana (hiragana typed)", 200, o.Number)
	if r := c.get(a + "/orders?name=" + url.QueryEscape("佐藤")); strings.Contains(r.body, o.Number) {
		t.Fatal("search for another name found the order")
	}
	r := c.get(a + "/orders/" + o.Number)
	r.want(t, "detail", 200, "急須", "煎茶 ※", "10%対象", "8%対象", "order-edit")
	v1 := pageVersion(t, r.body)
	lines, err := order.AdminLines(ctx, d, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	editForm := func(version string, potQty int) url.Values {
		return url.Values{"version": {version}, fmt.Sprintf("qty_%d", lines[0].ID): {fmt.Sprint(potQty)}, fmt.Sprintf("qty_%d", lines[1].ID): {"1"},
			"ship_family_name": {"髙橋"}, "ship_given_name": {"花子"}, "ship_family_kana": {"タカハシ"}, "ship_given_kana": {"ハナコ"},
			"ship_phone": {"03-1234-5678"}, "ship_postal_code": {"100-0001"}, "ship_pref": {"13"}, "ship_city": {"千代田区千代田"}, "ship_address1": {"2-2"},
			"delivery_fee": {"930"}, "cod_fee": {"330"}}
	}

	t.Run("edit recomputes tax per rate and adjusts stock", func(t *testing.T) {
		c.post(a+"/orders/"+o.Number+"/edit", editForm(v1, 3)).want(t, "edit", 303)
		got, _ := order.ByNumber(ctx, d, o.Number)
		// 10%: 3,300 + 930 + 330 = 4,560 → tax 414 (floor); 8%: 1,080 → 80.
		if got.Total != 5640 || got.Rates[0].Tax != 414 || got.Rates[1].Tax != 80 || got.Ship.Address1 != "2-2" {
			t.Fatalf("after edit: total %d rates %+v ship %q", got.Total, got.Rates, got.Ship.Address1)
		}
		var stock int
		d.QueryRow(ctx, `SELECT stock FROM variants WHERE id = ?`, pot).Scan(&stock)
		if stock != 2 {
			t.Fatalf("POT stock %d, want 2", stock)
		}
		if auditCount(t, d, "order.edited", "owner@example.jp") != 1 {
			t.Fatal("edit not audit-logged")
		}
		var details string
		d.QueryRow(ctx, `SELECT details FROM audit_log WHERE action = 'order.edited'`).Scan(&details)
		for _, want := range []string{`"before":{`, `"total":6370`, `"total":5640`, `"POT-1":2`, `"POT-1":3`, `1-1 `, `2-2 `} {
			if !strings.Contains(details, want) {
				t.Fatalf("the edit's audit entry lacks %s: %s", want, details)
			}
		}
	})
	t.Run("second save from a stale page is refused", func(t *testing.T) {
		c.get(a + "/orders/" + o.Number)
		c.post(a+"/orders/"+o.Number+"/edit", editForm(v1, 2)).want(t, "stale edit", 409, "他の管理者が先に更新しました")
	})
	r = c.get(a + "/orders/" + o.Number)
	v2 := pageVersion(t, r.body)
	t.Run("increase beyond stock is refused with the SKU", func(t *testing.T) {
		c.post(a+"/orders/"+o.Number+"/edit", editForm(v2, 9)).want(t, "too many", 409, "POT-1の在庫が足りません")
	})
	t.Run("transition not allowed", func(t *testing.T) {
		c.get(a + "/orders/" + o.Number)
		c.post(a+"/orders/"+o.Number+"/status", url.Values{"version": {v2}, "status": {"returned"}}).want(t, "new → returned", 409)
	})
	t.Run("note and message", func(t *testing.T) {
		c.get(a + "/orders/" + o.Number)
		c.post(a+"/orders/"+o.Number+"/note", url.Values{"body": {"割れ物注意"}}).want(t, "note", 303)
		c.get(a + "/orders/" + o.Number)
		c.post(a+"/orders/"+o.Number+"/message", url.Values{"subject": {"お届け日について"}, "body": {"明日発送予定です。"}}).want(t, "message", 303)
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'order_message' AND to_addr = ? AND body_text LIKE ?`, o.Email, "%明日発送予定です。%").Scan(&n)
		if n != 1 {
			t.Fatalf("%d order_message mails", n)
		}
		c.get(a+"/orders/"+o.Number).want(t, "notes shown", 200, "割れ物注意", "お届け日について")
	})
	t.Run("mark shipped queues the notice", func(t *testing.T) {
		r := c.get(a + "/orders/" + o.Number)
		c.post(a+"/orders/"+o.Number+"/ship", url.Values{"version": {pageVersion(t, r.body)}, "carrier": {"yamato"}, "tracking": {"4321-8765-0001"}}).want(t, "ship", 303)
		var subject, body string
		if err := d.QueryRow(ctx, `SELECT subject, body_text FROM outbox WHERE event = 'order_shipped' AND to_addr = ?`, o.Email).Scan(&subject, &body); err != nil {
			t.Fatalf("no order_shipped mail: %v", err)
		}
		if !strings.Contains(body, "4321-8765-0001") || !strings.Contains(body, "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number00=1&number01=4321-8765-0001") || !strings.Contains(subject, o.Number) {
			t.Fatalf("shipping notice:\n%s\n%s", subject, body)
		}
		c.get(a+"/orders/"+o.Number).want(t, "shipped", 200, `id="order-status">発送済み`, "4321-8765-0001")
	})
	t.Run("invoice PDF", func(t *testing.T) {
		if r := c.get(a + "/orders/" + o.Number + "/invoice.pdf"); r.status != 409 || !strings.Contains(r.body, "登録番号が設定されていない") {
			t.Fatalf("PDF without a registration number: %d", r.status)
		}
		if _, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('tax.invoice_number', ?, ?), ('shop.company', '株式会社あきない', ?)`, testRegistration(), d.Now(), d.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed")
		}
		var r result
		for range 20 { // the settings cache holds values for 3 s
			if r = c.get(a + "/orders/" + o.Number + "/invoice.pdf"); r.status == 200 {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("invoice.pdf: %d %s", r.status, r.header.Get("Content-Type"))
		}
		text := invoicepdfText(t, []byte(r.body))
		for _, want := range []string{testRegistration(), "適格請求書", "株式会社あきない", "髙橋 花子", "煎茶 ※", "10%対象", "¥4,560", "¥414", "8%対象 ※", "¥1,080", "¥80", "¥5,640"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("slip", func(t *testing.T) {
		c.get(a+"/orders/"+o.Number+"/slip").want(t, "slip", 200, "納品書", "髙橋 花子", "煎茶 ※")
	})
	t.Run("CSV in Shift_JIS reads back", func(t *testing.T) {
		r := c.get(a + "/orders.csv?encoding=sjis&name=" + url.QueryEscape("髙橋"))
		r.want(t, "csv", 200)
		rd, err := csvfile.NewReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := rd.ReadAll()
		if err != nil || rd.Encoding != csvfile.ShiftJIS || len(recs) != 2 {
			t.Fatalf("csv: %v %s %d rows", err, rd.Encoding, len(recs))
		}
		if recs[0][0] != "注文番号" || recs[1][0] != o.Number || recs[1][4] != "髙橋" || recs[1][16] != "5640" {
			t.Fatalf("csv rows %q", recs)
		}
	})
}

func invoicepdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := t.TempDir() + "/invoice.pdf"
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
