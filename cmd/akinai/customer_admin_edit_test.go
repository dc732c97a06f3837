package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// adminProfileForm is a valid admin edit of the registered test customer.
func adminProfileForm(version string) url.Values {
	return url.Values{"version": {version},
		"family_name": {"鈴木"}, "given_name": {"花子"}, "family_kana": {"スズキ"}, "given_kana": {"ハナコ"},
		"phone": {"03-1111-2222"}, "postal_code": {"150-0001"}, "pref": {"13"}, "city": {"渋谷区神宮前"}, "address1": {"3-3"},
		"company": {"雲上商事"}, "newsletter": {"1"}}
}

// TestAdminCustomerEdit: the admin edits a profile and a saved address
// with per-field messages, a stale form is refused with 409 and changes
// nothing, the audit entries name fields but hold no personal data, and a
// pending account gets its confirmation mail again (an active one not).
func TestAdminCustomerEdit(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	shopper := registerActive(t, base, cfg, "kaori@example.jp")
	shopper.post(base+"/mypage/login", url.Values{"email": {"kaori@example.jp"}, "password": {"kumo-no-ue-de-odoru"}})
	addr := url.Values{"family_name": {"佐藤"}, "given_name": {"実家"}, "family_kana": {"サトウ"}, "given_kana": {"ジッカ"},
		"phone": {"011-222-3333"}, "postal_code": {"060-0001"}, "pref": {"1"}, "city": {"札幌市中央区北一条西"}, "address1": {"2-2"}}
	if resp, _, _ := shopper.post(base+"/mypage/addresses", addr); resp.StatusCode != 303 {
		t.Fatalf("save address: %d", resp.StatusCode)
	}
	var id, aid, version string
	d.QueryRow(ctx, `SELECT CAST(id AS TEXT), CAST(version AS TEXT) FROM customers WHERE email_key = 'kaori@example.jp'`).Scan(&id, &version)
	d.QueryRow(ctx, `SELECT CAST(id AS TEXT) FROM customer_addresses`).Scan(&aid)

	c, _ := setupOwner(t, base, setup)
	c.get(admin+"/customers/"+id).want(t, "detail links the edit", 200, "/customers/"+id+"/edit")
	c.get(admin+"/customers/"+id+"/edit").want(t, "edit page", 200, `value="佐藤"`, `value="`+version+`"`, `value="札幌市中央区北一条西"`)

	// Bad input: a message next to each wrong field, the input kept, nothing stored.
	bad := adminProfileForm(version)
	bad.Set("family_kana", "鈴木")
	bad.Set("phone", "12")
	bad.Set("pref", "99")
	bad.Set("birthday", "2999-01-01")
	c.post(admin+"/customers/"+id+"/edit", bad).want(t, "bad profile", 422,
		"カタカナで", `value="鈴木"`, `value="12"`, `value="雲上商事"`, `class="field-error"`)
	if n := strings.Count(c.post(admin+"/customers/"+id+"/edit", bad).body, `class="field-error"`); n != 4 {
		t.Errorf("%d field messages, want 4 (kana, phone, prefecture, birthday)", n)
	}
	var family string
	d.QueryRow(ctx, `SELECT family_name FROM customers WHERE id = ?`, id).Scan(&family)
	if family != "佐藤" || auditCount(t, d, "customer.edit", "") != 0 {
		t.Fatalf("a refused edit changed something: %q", family)
	}

	// A good edit, then the same (now stale) form again: 409, input kept.
	c.post(admin+"/customers/"+id+"/edit", adminProfileForm(version)).want(t, "edit", 303)
	var phone, newVersion string
	var nl bool
	d.QueryRow(ctx, `SELECT family_name, phone, newsletter, CAST(version AS TEXT) FROM customers WHERE id = ?`, id).Scan(&family, &phone, &nl, &newVersion)
	if family != "鈴木" || phone != "0311112222" || !nl || newVersion == version {
		t.Fatalf("edit not stored: %q %q %v v%s", family, phone, nl, newVersion)
	}
	stale := adminProfileForm(version)
	stale.Set("family_name", "田中")
	c.post(admin+"/customers/"+id+"/edit", stale).want(t, "stale edit", 409, "別の操作で更新", `value="田中"`)
	d.QueryRow(ctx, `SELECT family_name FROM customers WHERE id = ?`, id).Scan(&family)
	if family != "鈴木" {
		t.Fatalf("a stale form overwrote the profile: %q", family)
	}
	// The customer's own save in between makes the admin's form stale too.
	shopper.post(base+"/mypage/profile", customerForm("kaori@example.jp"))
	c.post(admin+"/customers/"+id+"/edit", adminProfileForm(newVersion)).want(t, "edited by the customer meanwhile", 409)

	// Saved address: validated per field, then stored.
	badAddr := url.Values{}
	for k, v := range addr {
		badAddr[k] = v
	}
	badAddr.Del("csrf") // the shopper's, set by buyer.post
	badAddr.Set("postal_code", "abc")
	c.post(admin+"/customers/"+id+"/addresses/"+aid, badAddr).want(t, "bad address", 422, `value="abc"`, `class="field-error"`)
	addr.Del("csrf")
	addr.Set("city", "札幌市北区")
	c.post(admin+"/customers/"+id+"/addresses/"+aid, addr).want(t, "address", 303)
	var city string
	d.QueryRow(ctx, `SELECT city FROM customer_addresses WHERE id = ?`, aid).Scan(&city)
	if city != "札幌市北区" {
		t.Fatalf("address not stored: %q", city)
	}
	c.post(admin+"/customers/"+id+"/addresses/999999", addr).want(t, "another's address", 404)

	// Audited, with field names and no personal data.
	if auditCount(t, d, "customer.edit", "") != 1 || auditCount(t, d, "customer.address", "") != 1 {
		t.Fatal("edits not audited")
	}
	rows, err := d.Query(ctx, `SELECT details FROM audit_log WHERE action IN ('customer.edit', 'customer.address')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var details string
		rows.Scan(&details)
		for _, pii := range []string{"鈴木", "0311112222", "雲上", "札幌", "kaori"} {
			if strings.Contains(details, pii) {
				t.Errorf("audit details hold personal data: %s", details)
			}
		}
	}
	rows.Close()
	var details string
	d.QueryRow(ctx, `SELECT details FROM audit_log WHERE action = 'customer.edit'`).Scan(&details)
	if !strings.Contains(details, "family_name") || !strings.Contains(details, "newsletter") || strings.Contains(details, "given_name") {
		t.Errorf("audit should name the changed fields only: %s", details)
	}

	// Resend: only for a pending account; the earlier link stops working.
	c.post(admin+"/customers/"+id+"/resend", nil).want(t, "resend to an active account", 409, "仮会員")
	other := newBuyer(t, base)
	if resp, _, _ := other.post(base+"/entry", customerForm("pending@example.jp")); resp.StatusCode != 200 {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	first := lastLink(t, d, "customer_confirm", "pending@example.jp")
	var pid string
	d.QueryRow(ctx, `SELECT CAST(id AS TEXT) FROM customers WHERE email_key = 'pending@example.jp'`).Scan(&pid)
	c.get(admin+"/customers/"+pid).want(t, "pending detail", 200, "resend-confirmation")
	c.post(admin+"/customers/"+pid+"/resend", nil).want(t, "resend", 303)
	if mailCount(t, d, "customer_confirm", "pending@example.jp") != 2 || auditCount(t, d, "customer.resend_confirmation", "") != 1 {
		t.Fatal("confirmation not resent or not audited")
	}
	second := lastLink(t, d, "customer_confirm", "pending@example.jp")
	if resp, _, _ := other.post(base+"/entry/confirm", url.Values{"token": {first}}); resp.StatusCode == 303 {
		t.Fatal("the replaced link still confirms")
	}
	if resp, _, _ := other.post(base+"/entry/confirm", url.Values{"token": {second}}); resp.StatusCode != 303 {
		t.Fatalf("the resent link: %d", resp.StatusCode)
	}
}
