package main

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/web"
)

// Bytes that are not text, as a careless client or an attacker sends them.
const (
	sjisYamada = "\x8eR\x93c" // 山田 in Shift_JIS
	nfdPa      = "ハ\u309a"    // パ, decomposed
)

// byField reports whether body shows msg right after the input (or
// textarea) with id.
func byField(body, id, msg string) bool {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>(?:[^<]*</textarea>)?\s*<span class="field-error" role="alert">` + regexp.QuoteMeta(msg))
	return re.MatchString(body)
}

// shown fails the test unless the answer is a 422 that shows the message
// for key by the field and echoes no bytes that are not text.
func shown(t *testing.T, what string, status int, body, field, key string) {
	t.Helper()
	if status != http.StatusUnprocessableEntity {
		t.Errorf("%s: status %d, want 422", what, status)
	}
	if msg := i18n.T(i18n.Japanese, key); !byField(body, field, msg) {
		t.Errorf("%s: no %q next to %s\n%.3000s", what, msg, field, body)
	}
	if !utf8.ValidString(body) || strings.ContainsAny(body, "\x00\x1b") {
		t.Errorf("%s: the page echoes bytes that are not text", what)
	}
}

// TestFormText: invalid UTF-8, raw Shift_JIS, NUL and other C0/C1
// controls in the checkout, registration, My Page, contact, sign-in and
// admin forms: a message by the field (or a whole-form 422 in the admin),
// and nothing stored; decomposed and half-width input is stored composed
// and full-width. On both engines.
func TestFormText(t *testing.T) {
	t.Parallel()
	onBothEngines(t, testFormText)
}

func testFormText(t *testing.T, cfg Config) {
	// A *.localhost base URL turns customer passkeys on (their name is
	// read from JSON and checked alike).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	cfg.BaseURL = "http://shop.localhost:" + port
	_, logs := startLoggedShop(t, cfg, l)
	base := "http://127.0.0.1:" + port
	d := openShopDB(t, cfg)
	ctx := context.Background()
	vids := seedProduct(t, d, "hojicha", "reduced", []string{"HOJ-1"}, []int{50})
	b := newBuyer(t, base)
	b.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"1"}})

	// Checkout: the confirmation step and the order itself.
	for _, tc := range []struct {
		field, value, key string
	}{
		{"family_name", sjisYamada, web.FieldNotText},
		{"given_name", "太郎\xff", web.FieldNotText},
		{"address1", "1-1\x00", web.FieldControl},
		{"city", "千代田区\u0085", web.FieldControl},
		{"address2", "\x1b[31m", web.FieldControl},
		{"given_name", "太郎\r\nBcc: x@example.com", web.FieldLineBreak},
		{"note", "よろしく\x82\xa8\x8a\xe8\x82\xa2", web.FieldNotText},
		{"note", "よろしく\x07", web.FieldControl},
	} {
		v := orderForm(cart.NewToken(), "bank_transfer")
		v.Set(tc.field, tc.value)
		resp, body, _ := b.post(base+"/checkout", v)
		shown(t, "checkout "+tc.field, resp.StatusCode, body, tc.field, tc.key)
		if strings.Contains(body, `id="place-order"`) {
			t.Errorf("checkout %s: the confirmation page was shown", tc.field)
		}
		resp, _, _ = b.post(base+"/checkout/place", v)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("place with %s: %d", tc.field, resp.StatusCode)
		}
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders stored from bad forms", n)
	}
	// Decomposed and half-width input is stored composed and full-width.
	v := orderForm(cart.NewToken(), "bank_transfer")
	v.Set("given_name", nfdPa+"ン")
	v.Set("family_kana", "ﾔﾏﾀﾞ")
	v.Set("given_kana", "ﾊﾟﾝ")
	v.Set("city", "千代田区"+"ｶﾞ")
	v.Set("note", "一行目\r\n二行目")
	if resp, body, _ := b.post(base+"/checkout", v); resp.StatusCode != 200 || !strings.Contains(body, "パン") {
		t.Fatalf("confirm with decomposed input: %d", resp.StatusCode)
	}
	if resp, _, _ := b.post(base+"/checkout/place", v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("place with decomposed input: %d", resp.StatusCode)
	}
	var given, fkana, gkana, city, note string
	d.QueryRow(ctx, `SELECT given_name, family_kana, given_kana, city, note FROM orders`).Scan(&given, &fkana, &gkana, &city, &note)
	if given != "パン" || fkana != "ヤマダ" || gkana != "パン" || city != "千代田区ｶﾞ" || note != "一行目\n二行目" {
		t.Errorf("stored %q %q %q %q %q", given, fkana, gkana, city, note)
	}

	// Registration.
	reg := customerForm("moji@example.jp")
	reg.Set("family_name", sjisYamada)
	reg.Set("city", "千代田区\x00")
	resp, body, _ := newBuyer(t, base).post(base+"/entry", reg)
	shown(t, "registration family_name", resp.StatusCode, body, "family_name", web.FieldNotText)
	shown(t, "registration city", resp.StatusCode, body, "city", web.FieldControl)
	if n := countRows(t, d, `SELECT COUNT(*) FROM customers`); n != 0 {
		t.Fatalf("%d customers stored from a bad registration", n)
	}

	// Sign-in.
	resp, body, _ = newBuyer(t, base).post(base+"/mypage/login", url.Values{"email": {"moji@example.jp\x00"}, "password": {"x"}})
	shown(t, "sign-in", resp.StatusCode, body, "email", web.FieldControl)

	// My Page: profile, a new address, an address edited.
	c := registerActive(t, base, cfg, "moji@example.jp")
	signIn(t, base, c, "moji@example.jp")
	p := customerForm("moji@example.jp")
	p.Set("given_name", "花子\u009b")
	resp, body, _ = c.post(base+"/mypage/profile", p)
	shown(t, "profile", resp.StatusCode, body, "given_name", web.FieldControl)
	addr := url.Values{"family_name": {"佐藤"}, "given_name": {"実家"}, "family_kana": {"ｻﾄｳ"}, "given_kana": {"ジッカ"},
		"phone": {"011-222-3333"}, "postal_code": {"060-0001"}, "pref": {"1"}, "city": {"札幌市中央区"}, "address1": {"2-2"}}
	bad := maps.Clone(addr)
	bad.Set("address1", "2-2\x82\xa0")
	resp, body, _ = c.post(base+"/mypage/addresses", bad)
	shown(t, "new address", resp.StatusCode, body, "address1", web.FieldNotText)
	if n := countRows(t, d, `SELECT COUNT(*) FROM customer_addresses`); n != 0 {
		t.Fatalf("%d addresses stored from a bad form", n)
	}
	good := maps.Clone(addr)
	good.Set("given_name", nfdPa)
	if resp, _, _ := c.post(base+"/mypage/addresses", good); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save address: %d", resp.StatusCode)
	}
	var addrID int64
	var sGiven, sKana string
	d.QueryRow(ctx, `SELECT id, given_name, family_kana FROM customer_addresses`).Scan(&addrID, &sGiven, &sKana)
	if sGiven != "パ" || sKana != "サトウ" {
		t.Errorf("stored address %q %q", sGiven, sKana)
	}
	bad.Set("address1", "2-2")
	bad.Set("city", "札幌市\x1f")
	resp, body, _ = c.post(base+fmt.Sprintf("/mypage/addresses/%d", addrID), bad)
	shown(t, "address edit", resp.StatusCode, body, "city", web.FieldControl)
	var sCity, fam string
	d.QueryRow(ctx, `SELECT city FROM customer_addresses WHERE id = ?`, addrID).Scan(&sCity)
	d.QueryRow(ctx, `SELECT given_name FROM customers WHERE email = ?`, "moji@example.jp").Scan(&fam)
	if sCity != "札幌市中央区" || fam != "花子" {
		t.Errorf("a bad form changed the stored city %q or given name %q", sCity, fam)
	}

	// A passkey's name, read from JSON.
	req, _ := http.NewRequest("POST", base+"/mypage/passkeys/begin", strings.NewReader(`{"name":"鍵\u0000"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	if resp, err := c.c.Do(req); err != nil {
		t.Fatal(err)
	} else if body := readAll(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.T(i18n.Japanese, web.FieldControl)) {
		t.Errorf("passkey named with NUL: %d %s", resp.StatusCode, body)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM customer_ceremonies`); n != 0 {
		t.Errorf("%d passkey ceremonies started", n)
	}

	// Contact.
	cc := newClient(t, base)
	cc.get("/contact")
	for _, f := range []struct{ field, value, key string }{
		{"message", "届きません\x82\xa0", web.FieldNotText},
		{"name", "山田\x00", web.FieldControl},
	} {
		v := inquiryForm("山田 花子")
		v.Set(f.field, f.value)
		for _, path := range []string{"/contact", "/contact/send"} {
			r := cc.post(path, v)
			shown(t, "contact "+path+" "+f.field, r.status, r.body, f.field, f.key)
		}
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM inquiries`); n != 0 {
		t.Fatalf("%d inquiries stored from bad forms", n)
	}

	// An admin form shows no field messages: the whole post is refused,
	// naming the field, and nothing is stored.
	setup := setupPath(t, logs)
	owner, _ := setupOwner(t, base, setup)
	admin := adminPathOf(setup)
	owner.get(admin + "/admins")
	r := owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki\x00"}, "role": {"staff"}, "password": {"yokohama-harbour-kite-42"}})
	r.want(t, "admin form with NUL", http.StatusUnprocessableEntity, "何も保存していません", "name")
	if n := countRows(t, d, `SELECT COUNT(*) FROM admins`); n != 1 {
		t.Fatalf("%d admins after a refused form", n)
	}
}
