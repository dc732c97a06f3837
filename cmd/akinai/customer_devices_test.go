package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var deviceIDRe = regexp.MustCompile(`name="id" value="([0-9a-f]+)"`)

// TestCustomer_DevicesAndAddressEdit: My Page lists the signed-in devices
// (browser, address, last seen), ends one of them (another browser is
// then signed out, its remember token too), refuses another customer's
// session, and edits a saved address with per-field messages.
func TestCustomer_DevicesAndAddressEdit(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	email := "sora@example.jp"
	a := registerActive(t, base, cfg, email)
	if resp, _, _ := a.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != 303 {
		t.Fatalf("sign-in A: %d", resp.StatusCode)
	}
	b := newBuyer(t, base)
	if resp, _, _ := b.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}, "remember": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("sign-in B: %d", resp.StatusCode)
	}

	r, _ := a.c.Get(base + "/mypage/sessions")
	page := readAll(r)
	if r.StatusCode != 200 || !strings.Contains(page, `id="devices"`) || !strings.Contains(page, "127.0.0.1") ||
		!strings.Contains(page, `title="Go-http-client/1.1"`) || strings.Count(page, "<strong>この端末</strong>") != 1 || !strings.Contains(page, "ログイン状態を保持") {
		t.Fatalf("devices page (%d):\n%s", r.StatusCode, page)
	}
	ids := deviceIDRe.FindAllStringSubmatch(page, -1)
	if len(ids) != 3 { // A's session, B's session and remember token
		t.Fatalf("%d devices listed, want 3", len(ids))
	}
	// End every device but this one, one by one.
	var current string
	for _, row := range strings.Split(page, "<tr>") {
		if m := deviceIDRe.FindStringSubmatch(row); m != nil && strings.Contains(row, "<strong>") {
			current = m[1]
		}
	}
	for _, m := range ids {
		if m[1] == current {
			continue
		}
		if resp, _, _ := a.post(base+"/mypage/sessions/end-one", url.Values{"id": {m[1]}}); resp.StatusCode != 303 {
			t.Fatalf("end device: %d", resp.StatusCode)
		}
	}
	if resp, _ := b.c.Get(base + "/mypage"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the ended browser is still signed in: %d", resp.StatusCode)
	}
	if resp, _ := a.c.Get(base + "/mypage"); resp.StatusCode != 200 {
		t.Fatalf("this browser was signed out: %d", resp.StatusCode)
	}
	// Someone else's session: not found, and it keeps working.
	other := registerActive(t, base, cfg, "umi@example.jp")
	other.post(base+"/mypage/login", url.Values{"email": {"umi@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})
	var theirs string
	d.QueryRow(ctx, `SELECT s.id_hash FROM customer_sessions s JOIN customers c ON c.id = s.customer_id WHERE c.email_key = 'umi@example.jp'`).Scan(&theirs)
	if resp, _, _ := a.post(base+"/mypage/sessions/end-one", url.Values{"id": {theirs}}); resp.StatusCode != 404 {
		t.Fatalf("ending another customer's session: %d", resp.StatusCode)
	}
	if resp, _ := other.c.Get(base + "/mypage"); resp.StatusCode != 200 {
		t.Fatalf("the other customer was signed out: %d", resp.StatusCode)
	}

	// Edit a saved address.
	addr := url.Values{"family_name": {"青木"}, "given_name": {"空"}, "family_kana": {"アオキ"}, "given_kana": {"ソラ"},
		"phone": {"06-1234-5678"}, "postal_code": {"530-0001"}, "pref": {"27"}, "city": {"大阪市北区梅田"}, "address1": {"1-1"}}
	a.post(base+"/mypage/addresses", addr)
	var aid string
	d.QueryRow(ctx, `SELECT CAST(id AS TEXT) FROM customer_addresses`).Scan(&aid)
	r, _ = a.c.Get(base + "/mypage/addresses")
	if !strings.Contains(readAll(r), "/mypage/addresses/"+aid+"/edit") {
		t.Fatal("the address list has no edit link")
	}
	r, _ = a.c.Get(base + "/mypage/addresses/" + aid + "/edit")
	if body := readAll(r); r.StatusCode != 200 || !strings.Contains(body, `value="大阪市北区梅田"`) {
		t.Fatalf("edit page %d", r.StatusCode)
	}
	addr.Set("phone", "x")
	addr.Set("city", "大阪市中央区")
	resp, body, _ := a.post(base+"/mypage/addresses/"+aid, addr)
	if resp.StatusCode != 422 || !strings.Contains(body, `value="大阪市中央区"`) || !strings.Contains(body, "field-error") {
		t.Fatalf("bad edit: %d", resp.StatusCode)
	}
	addr.Set("phone", "06-1234-5678")
	if resp, _, _ := a.post(base+"/mypage/addresses/"+aid, addr); resp.StatusCode != 303 {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	var city string
	d.QueryRow(ctx, `SELECT city FROM customer_addresses WHERE id = ?`, aid).Scan(&city)
	if city != "大阪市中央区" {
		t.Fatalf("address not changed: %q", city)
	}
	if resp, _, _ := other.post(base+"/mypage/addresses/"+aid, addr); resp.StatusCode != 404 {
		t.Fatalf("editing another customer's address: %d", resp.StatusCode)
	}
	if resp, _ := other.c.Get(base + "/mypage/addresses/" + aid + "/edit"); resp.StatusCode != 404 {
		t.Fatalf("another customer's address form: %d", resp.StatusCode)
	}
}
