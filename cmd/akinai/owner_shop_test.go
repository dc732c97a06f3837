package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/calendar"
)

var (
	dateSelectRE = regexp.MustCompile(`(?s)<select id="date" name="date">(.*?)</select>`)
	slotSelectRE = regexp.MustCompile(`(?s)<select id="slot" name="slot">(.*?)</select>`)
	optionTextRE = regexp.MustCompile(`<option value="(\d{4}-\d\d-\d\d)"[^>]*>([^<]*)</option>`)
)

// What a new owner tripped over in the storefront of the demo shop: no
// favicon, no terms page behind the registration form's link, a legal
// notice listing a payment method the shop does not offer, a
// bank-transfer mail without the account, slots of every carrier and
// dates without the weekday at checkout, and My Page showing one
// destination of a split order.
func TestOwner_Storefront(t *testing.T) {
	t.Parallel()
	cfg := Config{Demo: true, DemoSize: 3, DataDir: t.TempDir()}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	b := newBuyer(t, base)

	t.Run("favicon", func(t *testing.T) {
		resp, body := b.get(t, base+"/favicon.ico")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/x-icon" || !bytes.HasPrefix([]byte(body), []byte{0, 0, 1, 0}) {
			t.Fatalf("/favicon.ico: %d %s % x", resp.StatusCode, resp.Header.Get("Content-Type"), []byte(body)[:min(4, len(body))])
		}
		_, home := b.get(t, base+"/")
		m := regexp.MustCompile(`<link rel="icon" href="([^"]+)"`).FindStringSubmatch(home)
		if m == nil {
			t.Fatal("no <link rel=icon> on the top page")
		}
		if resp, _ := b.get(t, base+m[1]); resp.StatusCode != 200 {
			t.Fatalf("%s: %d", m[1], resp.StatusCode)
		}
	})

	t.Run("terms page behind the registration link", func(t *testing.T) {
		_, entry := b.get(t, base+"/entry")
		if !strings.Contains(entry, `href="/pages/terms"`) {
			t.Fatal("the registration form no longer links the terms")
		}
		resp, body := b.get(t, base+"/pages/terms")
		if resp.StatusCode != 200 || !strings.Contains(body, "利用規約") || !strings.Contains(body, "第1条") {
			t.Fatalf("terms: %d", resp.StatusCode)
		}
		if _, body := b.get(t, base+"/pages/terms?lang=en"); !strings.Contains(body, "Terms of use") || !strings.Contains(body, "Governing law") {
			t.Fatal("no English terms")
		}
		b.get(t, base+"/?lang=ja")
	})

	t.Run("legal notice lists the payment methods on offer", func(t *testing.T) {
		_, body := b.get(t, base+"/pages/tokushoho")
		// No card key is set: the checkout offers bank transfer and COD.
		if !strings.Contains(body, "銀行振込、代金引換") || !strings.Contains(body, "銀行振込: ご注文後7日以内に前払い") {
			t.Fatalf("legal notice payment rows:\n%s", clipBody(body))
		}
		for _, bad := range []string{"コンビニ", "クレジットカード", "{payment"} {
			if strings.Contains(body, bad) {
				t.Errorf("legal notice shows %q", bad)
			}
		}
		if _, en := b.get(t, base+"/pages/tokushoho?lang=en"); !strings.Contains(en, "Bank transfer, Cash on delivery") || strings.Contains(en, "convenience") {
			t.Error("English legal notice does not list what is offered")
		}
		b.get(t, base+"/?lang=ja")
	})

	vids := seedProduct(t, d, "owner-tea", "standard", []string{"OWN-TEA"}, []int{9})
	if resp, body := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("add: %d %.300s", resp.StatusCode, body)
	}

	var date, label string
	t.Run("checkout dates carry the weekday", func(t *testing.T) {
		_, body := b.get(t, base+"/checkout")
		sel := dateSelectRE.FindStringSubmatch(body)
		if sel == nil {
			t.Fatal("no date select")
		}
		opts := optionTextRE.FindAllStringSubmatch(sel[1], -1)
		if len(opts) == 0 {
			t.Fatal("no dates on offer")
		}
		for _, o := range opts {
			if !regexp.MustCompile(`^\d{1,2}月\d{1,2}日\([日月火水木金土]\)$`).MatchString(o[2]) {
				t.Fatalf("date %s shown as %q", o[1], o[2])
			}
		}
		date, label = opts[0][1], opts[0][2]
		_, en := b.get(t, base+"/checkout?lang=en")
		if o := optionTextRE.FindAllStringSubmatch(dateSelectRE.FindStringSubmatch(en)[1], 1); len(o) == 0 ||
			!regexp.MustCompile(`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$`).MatchString(o[0][2]) {
			t.Fatalf("English date label %q", o)
		}
		b.get(t, base+"/?lang=ja")
	})

	t.Run("checkout offers the chosen method's slots only", func(t *testing.T) {
		form := orderForm("", "bank_transfer")
		form.Set("slot", "12_14") // Yu-Pack's; method 1 is Yamato
		resp, body := b.mustPost(t, base+"/checkout", form)
		if resp.StatusCode != 422 || fieldError(body, "slot") == "" && !strings.Contains(body, "時間帯") {
			t.Fatalf("slot of another method: %d", resp.StatusCode)
		}
		sel := slotSelectRE.FindStringSubmatch(body)
		if sel == nil {
			t.Fatal("no slot select")
		}
		for _, g := range regexp.MustCompile(`<optgroup [^>]*>`).FindAllString(sel[1], -1) {
			chosen := strings.Contains(g, `data-method="1"`)
			off := strings.Contains(g, " disabled hidden")
			if chosen == off {
				t.Errorf("slot group %s: chosen %v, offered %v", g, chosen, !off)
			}
		}
	})

	t.Run("bank transfer mail states the account; confirmation shows the weekday", func(t *testing.T) {
		form := orderForm("", "bank_transfer")
		form.Set("date", date)
		form.Set("slot", "am")
		resp, body := b.mustPost(t, base+"/checkout", form)
		if resp.StatusCode != 200 || !strings.Contains(body, label) {
			t.Fatalf("confirm: %d, lacks %q", resp.StatusCode, label)
		}
		place := hiddenFields(body, "place-form")
		if resp, _ := b.mustPost(t, base+"/checkout/place", place); resp.StatusCode != 303 {
			t.Fatalf("place: %d", resp.StatusCode)
		}
		var subject, text string
		if err := d.QueryRow(ctx, `SELECT subject, body_text FROM outbox WHERE event = 'order_confirmation' ORDER BY id DESC LIMIT 1`).Scan(&subject, &text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "あきない銀行") || strings.Contains(text, "別途ご連絡") || !strings.Contains(text, label) {
			t.Fatalf("bank-transfer mail:\n%s", text)
		}
	})

	t.Run("My Page lists every destination", func(t *testing.T) {
		shopper := registerActive(t, base, cfg, "kaori@example.jp")
		shopper.post(base+"/mypage/login", url.Values{"email": {"kaori@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})
		var cid int64
		d.QueryRow(ctx, `SELECT id FROM customers WHERE email = 'kaori@example.jp'`).Scan(&cid)
		pot := seedProduct(t, d, "owner-pot", "standard", []string{"POT-1"}, []int{5})[0]
		tea := seedProduct(t, d, "owner-sencha", "reduced", []string{"TEA-1"}, []int{5})[0]
		o := placeSplitOrder(t, d, "ja", pot, tea)
		if _, err := d.Exec(ctx, `UPDATE orders SET customer_id = ? WHERE id = ?`, cid, o.ID); err != nil {
			t.Fatal(err)
		}
		resp, body := shopper.get(t, base+"/mypage/orders/"+o.Number)
		if resp.StatusCode != 200 {
			t.Fatalf("order page: %d", resp.StatusCode)
		}
		for _, want := range []string{`id="parcel-1"`, `id="parcel-2"`, "お届け先 2", "千代田区千代田", "札幌市中央区", "佐藤 一郎", "ゆうパック", "12時〜14時", "急須 × 1", "煎茶 × 3", "未発送"} {
			if !strings.Contains(body, want) {
				t.Errorf("My Page order lacks %q", want)
			}
		}
		if strings.Contains(body, "0001-01-01") {
			t.Error("My Page shows a year-1 date")
		}
		if want := "ご注文日: " + o.CreatedAt.In(calendar.Tokyo()).Format("2006-01-02 15:04"); !strings.Contains(body, want) {
			t.Errorf("My Page does not date the order in JST (%q)", want)
		}
	})
}
