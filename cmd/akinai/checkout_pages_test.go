package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
)

func (b *buyer) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// mustPost posts a form and fails the test on a transport error.
func (b *buyer) mustPost(t *testing.T, u string, v url.Values) (*http.Response, string) {
	t.Helper()
	resp, body, err := b.post(u, v)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// checkoutShop is a SQLite shop with one two-variant product (stock 5 and
// unlimited), and a buyer with 2 of the first variant in the cart.
func checkoutShop(t *testing.T, limits string) (base string, d *db.DB, b *buyer, vids []int64) {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), RateLimits: limits}
	base = startShop(t, cfg)
	d = openShopDB(t, cfg)
	vids = seedProduct(t, d, "tea", "standard", []string{"TEA-S", "TEA-L"}, []int{5, -1})
	b = newBuyer(t, base)
	if resp, body := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"2"}}); resp.StatusCode != 303 {
		t.Fatalf("add: %d %.300s", resp.StatusCode, body)
	}
	return base, d, b, vids
}

// fieldError returns the message shown next to a form field, "" if none.
func fieldError(body, field string) string {
	re := regexp.MustCompile(`name="` + field + `"[^>]*>\s*<span class="field-error" role="alert">([^<]*)</span>`)
	if m := re.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

func TestCheckoutFormErrors(t *testing.T) {
	t.Parallel()
	base, d, b, _ := checkoutShop(t, "")
	form := orderForm("", "cod")
	form.Del("key")
	form.Set("family_kana", "山田")                // kanji, not kana
	form.Set("postal_code", "12345")             // 5 digits
	form.Set("phone", "03-12")                   // too short
	form.Set("email", "taro@@example")           // not an address
	form.Set("date", "1999-01-01")               // outside the window
	form.Set("slot", "12_14")                    // Yu-Pack only; method 1 is Yamato
	form.Set("given_name", "<script>x</script>") // kept, shown inert
	resp, body := b.mustPost(t, base+"/checkout", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for field, want := range map[string]string{
		"family_kana": "カタカナで入力してください。",
		"postal_code": "郵便番号は7桁の数字で入力してください。",
		"phone":       "電話番号の形式が正しくありません。",
		"email":       "メールアドレスの形式が正しくありません。",
	} {
		if got := fieldError(body, field); got != want {
			t.Errorf("%s: message %q, want %q", field, got, want)
		}
	}
	// The date and slot selects show their messages after the select.
	for _, want := range []string{"お届け日は表示された期間から選択してください。", "選択された配送方法ではこの時間帯を指定できません。"} {
		if !strings.Contains(body, want) {
			t.Errorf("no message %q", want)
		}
	}
	// Input kept (escaped).
	for _, want := range []string{`value="山田"`, `value="12345"`, `value="taro@@example"`, `value="&lt;script&gt;x&lt;/script&gt;"`} {
		if !strings.Contains(body, want) {
			t.Errorf("input not kept: %s", want)
		}
	}
	if strings.Contains(body, "<script>x</script>") {
		t.Error("script echoed raw")
	}
	// English.
	form.Set("lang", "en")
	_, body = b.mustPost(t, base+"/checkout?lang=en", form)
	if got := fieldError(body, "family_kana"); got != "Please enter in katakana." {
		t.Errorf("English kana message %q", got)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders after invalid forms", n)
	}
}

func TestCheckoutConfirmAndPlace(t *testing.T) {
	t.Parallel()
	base, d, b, vids := checkoutShop(t, "")
	form := orderForm("", "cod")
	form.Del("key")
	// Tampered fields the server must ignore: a price, a total, another
	// variant and quantity. Prices come from the catalogue, lines from
	// the cart.
	form.Set("price", "1")
	form.Set("total", "1")
	form.Set("variant_id", fmt.Sprint(vids[1]))
	form.Set("qty", "99")
	resp, body := b.mustPost(t, base+"/checkout", form)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="place-order"`) {
		t.Fatalf("confirm: %d %.500s", resp.StatusCode, body)
	}
	// 2 × ¥1,100 + Tokyo ¥930 + COD ¥330 = ¥3,460.
	// The 2022 final-confirmation items: quantity, price and total,
	// payment method and timing, delivery timing, cancellation terms.
	for _, want := range []string{`<td>2</td>`, `¥3,460`, "代金引換", "商品お受け取り時にお支払い", "発送時期", "キャンセル・返品について", "ご注文はまだ確定していません", "10%対象"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(body)
	if key == nil {
		t.Fatal("no idempotency key on the confirmation page")
	}
	place := orderForm(key[1], "cod")
	place.Set("total", "1")
	place.Set("variant_id", fmt.Sprint(vids[1]))
	resp, _ = b.mustPost(t, base+"/checkout/place", place)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/checkout/done/") {
		t.Fatalf("place: %d %s", resp.StatusCode, loc)
	}
	// A double click: the same key gives the same order.
	resp, _ = b.mustPost(t, base+"/checkout/place", place)
	if resp.Header.Get("Location") != loc {
		t.Fatalf("second submit went to %q", resp.Header.Get("Location"))
	}
	resp, body = b.get(t, base+loc)
	number := strings.TrimPrefix(loc, "/checkout/done/")
	if resp.StatusCode != 200 || !strings.Contains(body, number) || !strings.Contains(body, "ご注文ありがとうございました") || !strings.Contains(body, "¥3,460") {
		t.Fatalf("done page: %d %.500s", resp.StatusCode, body)
	}
	var total, lines, qty int64
	d.QueryRow(context.Background(), `SELECT total, (SELECT COUNT(*) FROM order_lines WHERE order_id = o.id), (SELECT SUM(qty) FROM order_lines WHERE order_id = o.id) FROM orders o WHERE number = ?`, number).Scan(&total, &lines, &qty)
	if total != 3460 || lines != 1 || qty != 2 || countRows(t, d, `SELECT COUNT(*) FROM orders`) != 1 {
		t.Fatalf("order total %d, %d lines, qty %d", total, lines, qty)
	}
	// The cart is empty now: the checkout sends the buyer to a clear page.
	resp, body = b.get(t, base+"/checkout")
	if resp.StatusCode == 200 && strings.Contains(body, `id="checkout-form"`) {
		t.Fatal("checkout form shown for an empty cart")
	}
}

func TestCheckoutPostalLookup(t *testing.T) {
	t.Parallel()
	base, _, b, _ := checkoutShop(t, "")
	// Without JavaScript: the 住所を検索 button posts the form.
	form := url.Values{"postal_code": {"100-0001"}, "family_name": {"山田"}, "lookup": {"buyer"}}
	resp, body := b.mustPost(t, base+"/checkout", form)
	if resp.StatusCode != 200 || !strings.Contains(body, `<option value="13" selected>`) || !strings.Contains(body, `id="city" name="city" type="text" value="千代田区千代田"`) || !strings.Contains(body, `value="山田"`) {
		t.Fatalf("lookup: %d %.2000s", resp.StatusCode, body)
	}
	// The form offers delivery dates before a method is chosen, and
	// keeps a chosen date after the lookup.
	if _, body := b.get(t, base+"/checkout"); !regexp.MustCompile(`<option value="\d{4}-\d{2}-\d{2}">`).MatchString(body) {
		t.Error("no delivery dates on the first form")
	}
	date := regexp.MustCompile(`<option value="(\d{4}-\d{2}-\d{2})" selected>`)
	form.Set("date", "")
	_, first := b.get(t, base+"/checkout")
	if m := regexp.MustCompile(`<option value="(\d{4}-\d{2}-\d{2})">`).FindAllStringSubmatch(first, -1); len(m) > 2 {
		form.Set("date", m[2][1])
		form.Set("method", "1")
		if _, body := b.mustPost(t, base+"/checkout", form); date.FindStringSubmatch(body) == nil || date.FindStringSubmatch(body)[1] != m[2][1] {
			t.Error("chosen date lost by the address lookup")
		}
	}
	// The JSON endpoint checkout.js uses.
	resp, body = b.get(t, base+"/api/postal/1000001")
	var got []struct {
		Pref int    `json:"pref"`
		City string `json:"city"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &got) != nil || len(got) == 0 || got[0].Pref != 13 || !strings.HasPrefix(got[0].City, "千代田区") {
		t.Fatalf("api: %d %s", resp.StatusCode, body)
	}
	for _, code := range []string{"0000000", "12", "abcdefg"} {
		if resp, _ := b.get(t, base+"/api/postal/"+code); resp.StatusCode != 404 {
			t.Errorf("/api/postal/%s = %d", code, resp.StatusCode)
		}
	}
}

func TestCartLineMessages(t *testing.T) {
	t.Parallel()
	base, _, b, vids := checkoutShop(t, "")
	v := fmt.Sprint(vids[0])
	for _, tc := range []struct {
		qty, want string
		status    int
	}{
		{"abc", "数量は 1〜999 の整数で入力してください。", 422},
		{"-1", "数量は 1〜999 の整数で入力してください。", 422},
		{"99999999999999999999", "数量は 1〜999 の整数で入力してください。", 422},
		{"1.5", "数量は 1〜999 の整数で入力してください。", 422},
		{"6", "在庫が不足しています（残り 5 点）。数量を減らしてください。", 409},
	} {
		resp, body := b.mustPost(t, base+"/cart/update", url.Values{"variant_id": {v}, "qty": {tc.qty}})
		line := regexp.MustCompile(`(?s)<tr id="line-` + v + `">.*?</tr>`).FindString(body)
		if resp.StatusCode != tc.status || !strings.Contains(line, `class="error line-problem"`) || !strings.Contains(html.UnescapeString(line), tc.want) {
			t.Errorf("qty %q: %d, line %.600s", tc.qty, resp.StatusCode, line)
		}
		// The line keeps its quantity.
		if !strings.Contains(line, `name="qty" value="2"`) {
			t.Errorf("qty %q changed the line: %.600s", tc.qty, line)
		}
	}
	// Add a quantity that is not a number: message, nothing added.
	resp, body := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[1])}, "qty": {"x"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "数量は 1〜999") || strings.Contains(body, `id="line-`+fmt.Sprint(vids[1])+`"`) {
		t.Errorf("add x: %d", resp.StatusCode)
	}
	// A variant that does not exist.
	if resp, body := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {"999999"}, "qty": {"1"}}); resp.StatusCode != 404 || !strings.Contains(body, "この商品は現在お取り扱いしておりません。") {
		t.Errorf("unknown variant: %d", resp.StatusCode)
	}
	// A valid change, then removal.
	if resp, _ := b.mustPost(t, base+"/cart/update", url.Values{"variant_id": {v}, "qty": {"3"}}); resp.StatusCode != 303 {
		t.Fatalf("update 3: %d", resp.StatusCode)
	}
	if _, body := b.get(t, base+"/cart"); !strings.Contains(body, `name="qty" value="3"`) || !strings.Contains(body, "数量を変更しました。") {
		t.Errorf("after update: %.1500s", body)
	}
	if resp, _ := b.mustPost(t, base+"/cart/remove", url.Values{"variant_id": {v}}); resp.StatusCode != 303 {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if _, body := b.get(t, base+"/cart"); !strings.Contains(body, "カートに商品はありません。") {
		t.Error("cart not empty after removal")
	}
}

// TestCheckoutExpired: no cart (cookie lost or expired) or a stale
// confirmation page → a clear page that says nothing was charged, and no
// order.
func TestCheckoutExpired(t *testing.T) {
	t.Parallel()
	base, d, b, _ := checkoutShop(t, "")
	stranger := newBuyer(t, base) // has no cart
	resp, body := stranger.get(t, base+"/checkout")
	if resp.StatusCode != 404 || !strings.Contains(body, "カートが見つかりません。有効期限が切れた可能性があります。ご請求は発生していません。") {
		t.Errorf("GET /checkout without a cart: %d", resp.StatusCode)
	}
	resp, body = stranger.mustPost(t, base+"/checkout/place", orderForm(randHex(16), "cod"))
	if resp.StatusCode != 404 || !strings.Contains(body, "ご請求は発生していません") {
		t.Errorf("place without a cart: %d %.300s", resp.StatusCode, body)
	}
	// The confirmation page's key is missing (a page from before a
	// deploy, or a forged post).
	resp, body = b.mustPost(t, base+"/checkout/place", orderForm("", "cod"))
	if resp.StatusCode != 422 || !strings.Contains(body, "確認画面の有効期限が切れました") {
		t.Errorf("place without key: %d", resp.StatusCode)
	}
	// The cart was deleted server-side (expired and purged).
	d.Exec(context.Background(), `DELETE FROM carts`)
	resp, body = b.mustPost(t, base+"/checkout/place", orderForm(randHex(16), "cod"))
	if resp.StatusCode != 404 || !strings.Contains(body, "ご請求は発生していません") {
		t.Errorf("place after the cart expired: %d", resp.StatusCode)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders", n)
	}
}

func countRows(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
