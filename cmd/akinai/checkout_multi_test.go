package main

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestCheckoutMultipleShipping buys two items, split over Tokyo (Yamato)
// and Hokkaido (Yu-Pack, 12–14時), through the pages: the split form,
// its errors, the confirmation with a fee per address, the order.
func TestCheckoutMultipleShipping(t *testing.T) {
	t.Parallel()
	base, d, b, vids := checkoutShop(t, "")
	if resp, _ := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[1])}, "qty": {"1"}}); resp.StatusCode != 303 {
		t.Fatal("add second item")
	}
	if _, body := b.get(t, base+"/cart"); !strings.Contains(body, `href="/checkout/multi"`) {
		t.Fatal("no multiple-shipping link on the cart")
	}
	resp, body := b.get(t, base+"/checkout/multi")
	q0, q1 := fmt.Sprintf("d1_q_%d", vids[0]), fmt.Sprintf("d1_q_%d", vids[1])
	if resp.StatusCode != 200 || !strings.Contains(body, `name="`+q0+`"`) || !strings.Contains(body, `name="d2_postal_code"`) || strings.Contains(body, `value="cod"`) {
		t.Fatalf("multi form: %d %.1000s", resp.StatusCode, body)
	}
	form := orderForm("", "bank_transfer")
	form.Del("key")
	form.Del("method")
	form.Set("multi", "1")
	form.Set("dest_count", "2")
	dest := func(p, fam, kana, postal, pref, city, method, slot string) {
		form.Set(p+"family_name", fam)
		form.Set(p+"given_name", "花子")
		form.Set(p+"family_kana", kana)
		form.Set(p+"given_kana", "ハナコ")
		form.Set(p+"phone", "0312345678")
		form.Set(p+"postal_code", postal)
		form.Set(p+"pref", pref)
		form.Set(p+"city", city)
		form.Set(p+"address1", "1-1")
		form.Set(p+"method", method)
		form.Set(p+"slot", slot)
	}
	dest("d1_", "山田", "ヤマダ", "1000001", "13", "千代田区", "1", "am")
	dest("d2_", "佐藤", "サトウ", "0600001", "1", "札幌市中央区", "2", "12_14")

	// Quantities that do not add up, and one that is not a number.
	form.Set(q0, "1")
	form.Set(q1, "abc")
	form.Set(fmt.Sprintf("d2_q_%d", vids[0]), "0")
	resp, body = b.mustPost(t, base+"/checkout", form)
	if resp.StatusCode != 422 || !strings.Contains(body, "各商品の数量の合計がご注文数と一致するように振り分けてください。") ||
		!strings.Contains(body, "数量は0〜999の整数で入力してください。") || !strings.Contains(body, `value="札幌市中央区"`) {
		t.Fatalf("bad split: %d %.3000s", resp.StatusCode, body)
	}
	// Add a third address (no JavaScript), then drop it again by posting two.
	form.Set("add_dest", "1")
	_, body = b.mustPost(t, base+"/checkout", form)
	form.Del("add_dest")
	if !strings.Contains(body, `name="d3_postal_code"`) || !strings.Contains(body, `name="dest_count" value="3"`) {
		t.Fatal("add_dest did not add an address")
	}
	// Cash on delivery is refused for several addresses.
	form.Set(q1, "1")
	form.Set(fmt.Sprintf("d2_q_%d", vids[0]), "1")
	form.Set("payment", "cod")
	if resp, body := b.mustPost(t, base+"/checkout", form); resp.StatusCode != 422 || !strings.Contains(body, "複数のお届け先に送る場合、代金引換はご利用いただけません。") {
		t.Fatalf("COD: %d", resp.StatusCode)
	}
	form.Set("payment", "bank_transfer")
	resp, body = b.mustPost(t, base+"/checkout", form)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="place-order"`) {
		t.Fatalf("confirm: %d %.3000s", resp.StatusCode, body)
	}
	// Goods 3 × ¥1,100; Tokyo by Yamato ¥930 + Hokkaido by Yu-Pack ¥1,450.
	for _, want := range []string{"お届け先 1", "お届け先 2", "札幌市中央区", "12時〜14時", "¥1,450", "¥930", "¥5,680"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	place := hiddenFields(body, "place-form")
	resp, _ = b.mustPost(t, base+"/checkout/place", place)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/checkout/done/") {
		t.Fatalf("place: %d %s", resp.StatusCode, loc)
	}
	_, body = b.get(t, base+loc)
	if !strings.Contains(body, "札幌市中央区") || !strings.Contains(body, "¥5,680") {
		t.Errorf("done page lacks the second address")
	}
	number := strings.TrimPrefix(loc, "/checkout/done/")
	if n := countRows(t, d, `SELECT COUNT(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.number = ?`, number); n != 2 {
		t.Fatalf("%d shipments", n)
	}
	if n := countRows(t, d, `SELECT SUM(si.qty) FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id WHERE s.pref = 1`); n != 1 {
		t.Fatalf("Hokkaido gets %d items", n)
	}
}

// hiddenFields returns the hidden inputs of the form with id.
func hiddenFields(body, id string) url.Values {
	i := strings.Index(body, `id="`+id+`"`)
	j := strings.Index(body[i:], "</form>")
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(body[i:i+j], -1) {
		if m[1] != "csrf" {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	return v
}
