package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// newCustomerForm is the admin's 会員登録 form for email.
func newCustomerForm(email, sendLink, rank string) url.Values {
	return url.Values{"email": {email}, "lang": {"ja"}, "rank": {rank}, "send_link": {sendLink},
		"family_name": {"高橋"}, "given_name": {"一郎"}, "family_kana": {"タカハシ"}, "given_kana": {"イチロウ"},
		"phone": {"03-1234-5678"}, "postal_code": {"100-0001"}, "pref": {"13"}, "city": {"千代田区"}, "address1": {"1-2-3"}}
}

// The rank master, a customer made by the admin in a rank (with and
// without the password-set link), the link setting the password, the
// rank choice on the customer page, the provisional-registration switch,
// and what a staff member may not do (403) — on both engines.
func TestAdminCustomers13(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			cfg := Config{DataDir: t.TempDir()}
			if engine == "postgres" {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			testAdminCustomers13(t, cfg)
		})
	}
}

func testAdminCustomers13(t *testing.T, cfg Config) {
	ctx := context.Background()
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	a := adminPathOf(setup)
	d := openShopDB(t, cfg)
	owner, _ := setupOwner(t, base, setup)

	// Rank master: bad input, create two, edit, reorder.
	owner.get(a+"/customer-ranks").want(t, "ranks page", 200, "rank-create", "会員ランク")
	owner.post(a+"/customer-ranks", url.Values{"name_ja": {""}, "percent": {"101"}}).want(t, "bad rank", 422, "0〜100")
	owner.post(a+"/customer-ranks", url.Values{"name_ja": {"ゴールド会員"}, "name_en": {"Gold"}, "percent": {"１０％"}}).want(t, "create gold", 303)
	owner.post(a+"/customer-ranks", url.Values{"name_ja": {"シルバー会員"}, "percent": {"3"}}).want(t, "create silver", 303)
	var gold, silver string
	d.QueryRow(ctx, `SELECT CAST(id AS TEXT) FROM customer_ranks WHERE name_ja = 'ゴールド会員' AND discount_percent = 10`).Scan(&gold)
	d.QueryRow(ctx, `SELECT CAST(id AS TEXT) FROM customer_ranks WHERE name_ja = 'シルバー会員'`).Scan(&silver)
	if gold == "" || silver == "" {
		t.Fatal("ranks not stored (full-width 10% should read as 10)")
	}
	owner.get(a+"/customer-ranks/"+gold).want(t, "edit page", 200, "rank-edit", "ゴールド会員")
	owner.post(a+"/customer-ranks/"+gold, url.Values{"name_ja": {"ゴールド会員"}, "name_en": {"Gold"}, "percent": {"5"}}).want(t, "edit gold", 303)
	owner.post(a+"/customer-ranks/"+silver+"/move", url.Values{"dir": {"up"}}).want(t, "move silver up", 303)
	owner.post(a+"/customer-ranks/"+silver+"/move", url.Values{"dir": {"sideways"}}).want(t, "bad move", 422)
	body := owner.get(a + "/customer-ranks").body
	if strings.Index(body, "シルバー会員") > strings.Index(body, "ゴールド会員") {
		t.Error("silver not moved above gold")
	}
	owner.get(a+"/customer-ranks/999999").want(t, "unknown rank", 404)

	// A customer created in the gold rank with the password-set link.
	owner.get(a+"/customers/new").want(t, "new customer form", 200, "customer-new", "send-link-yes")
	owner.post(a+"/customers/new", newCustomerForm("not-an-address", "1", gold)).want(t, "bad email", 422, "new-email")
	r := owner.post(a+"/customers/new", newCustomerForm("ichiro@example.jp", "1", gold))
	r.want(t, "create customer", 303, a+"/customers/")
	id := strings.TrimPrefix(r.location, a+"/customers/")
	owner.get(a+"/customers/"+id).want(t, "customer page", 200, "ゴールド会員", "5% 割引", "no-password", "send-password-link")
	owner.post(a+"/customers/new", newCustomerForm("Ichiro@Example.jp", "0", "0")).want(t, "duplicate email", 409, "すでに登録")
	if n := auditCount(t, d, "customer.create", ""); n != 1 {
		t.Fatalf("%d creations audited", n)
	}
	var status, hash string
	d.QueryRow(ctx, `SELECT status, password_hash FROM customers WHERE CAST(id AS TEXT) = ?`, id).Scan(&status, &hash)
	if status != "active" || hash != "" {
		t.Fatalf("created account: status %q, hash set %v", status, hash != "")
	}
	// The link sets the password; the customer signs in with it.
	tok := lastLink(t, d, "customer_invite", "ichiro@example.jp")
	shopper := newBuyer(t, base)
	if resp, _, _ := shopper.post(base+"/forgot/reset", url.Values{"token": {tok}, "password": {"sora-wo-tobu-kujira-77"}, "password2": {"sora-wo-tobu-kujira-77"}}); resp.StatusCode != 303 {
		t.Fatalf("password set: %d", resp.StatusCode)
	}
	if resp, _, _ := shopper.post(base+"/mypage/login", url.Values{"email": {"ichiro@example.jp"}, "password": {"sora-wo-tobu-kujira-77"}}); resp.StatusCode != 303 {
		t.Fatalf("sign-in after the link: %d", resp.StatusCode)
	}

	// The customer page lists the mails sent (the invite) and, admin-only,
	// the shop's note: audited without its text, never shown to the
	// customer.
	owner.get(a+"/customers/"+id).want(t, "mails on the customer page", 200, "customer-mails")
	owner.post(a+"/customers/"+id+"/note", url.Values{"note": {"電話は午後に"}}).want(t, "note", 303)
	owner.post(a+"/customers/"+id+"/note", url.Values{"note": {strings.Repeat("長", 2001)}}).want(t, "note too long", 422)
	owner.get(a+"/customers/"+id).want(t, "note shown", 200, "電話は午後に")
	var details string
	d.QueryRow(ctx, `SELECT details FROM audit_log WHERE action = 'customer.note'`).Scan(&details)
	if auditCount(t, d, "customer.note", "") != 1 || strings.Contains(details, "午後") {
		t.Fatalf("note audit: %q", details)
	}
	if resp, body := shopper.get(t, base+"/mypage"); resp.StatusCode != 200 || strings.Contains(body, "電話は午後に") {
		t.Fatalf("My Page: %d, shows the shop's note: %v", resp.StatusCode, strings.Contains(body, "電話は午後に"))
	}

	// Without the link: no mail.
	r = owner.post(a+"/customers/new", newCustomerForm("jiro@example.jp", "0", "0"))
	r.want(t, "create without link", 303)
	if n := mailCount(t, d, "customer_invite", "jiro@example.jp"); n != 0 {
		t.Fatalf("%d invites without the link", n)
	}
	jiro := strings.TrimPrefix(r.location, a+"/customers/")
	owner.post(a+"/customers/"+jiro+"/password-link", nil).want(t, "link later", 303)
	if n := mailCount(t, d, "customer_invite", "jiro@example.jp"); n != 1 {
		t.Fatalf("%d invites after sending one", n)
	}

	// Rank choice on the customer page; a rank in use cannot be deleted.
	owner.post(a+"/customers/"+jiro+"/rank", url.Values{"rank": {silver}}).want(t, "rank choice", 303)
	owner.post(a+"/customers/"+jiro+"/rank", url.Values{"rank": {"999999"}}).want(t, "unknown rank", 422)
	owner.post(a+"/customers/"+jiro+"/rank", url.Values{"rank": {"x"}}).want(t, "bad rank", 422)
	owner.post(a+"/customers/999999/rank", url.Values{"rank": {silver}}).want(t, "unknown customer", 404)
	owner.post(a+"/customer-ranks/"+silver+"/delete", nil).want(t, "delete in use", 409, "1 名")
	owner.post(a+"/customers/"+jiro+"/rank", url.Values{"rank": {"0"}}).want(t, "no rank", 303)
	owner.post(a+"/customer-ranks/"+silver+"/delete", nil).want(t, "delete unused", 303)
	if n := auditCount(t, d, "customer.rank", ""); n != 2 {
		t.Fatalf("%d rank changes audited", n)
	}
	for _, act := range []string{"rank.create", "rank.edit", "rank.move", "rank.delete"} {
		if auditCount(t, d, act, "") == 0 {
			t.Errorf("%s not audited", act)
		}
	}

	// Provisional registration off: a new account is active at once.
	owner.get(a + "/settings")
	owner.post(a+"/settings/registration", url.Values{}).want(t, "provisional off", 303)
	if n := auditCount(t, d, "settings.registration", ""); n != 1 {
		t.Fatalf("%d switch changes audited", n)
	}
	buyer := newBuyer(t, base)
	if resp, _, err := buyer.post(base+"/entry", customerForm("direct@example.jp")); err != nil || resp.StatusCode != 303 {
		t.Fatalf("register without confirmation: %v %v", resp.StatusCode, err)
	}
	d.QueryRow(ctx, `SELECT status FROM customers WHERE email = 'direct@example.jp'`).Scan(&status)
	if status != "active" || mailCount(t, d, "customer_confirm", "direct@example.jp") != 0 || mailCount(t, d, "customer_welcome", "direct@example.jp") != 1 {
		t.Fatalf("registration with provisional off: status %q", status)
	}
	if resp, _, _ := buyer.post(base+"/mypage/login", url.Values{"email": {"direct@example.jp"}, "password": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != 303 {
		t.Fatalf("sign-in right after registering: %d", resp.StatusCode)
	}

	// A staff member (customers: read only; settings: none).
	staffPW := "yokohama-harbour-kite-42"
	owner.get(a + "/admins")
	owner.post(a+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)
	staff := newClient(t, base)
	staff.admin = a
	staff.get(a + "/login")
	staff.post(a+"/login", url.Values{"email": {"staff@example.jp"}, "password": {staffPW}}).want(t, "staff password", 303, "/enrol")
	enrolTOTP(t, staff, 0)
	staff.get(a+"/customers/"+id).want(t, "staff reads a customer", 200)
	if body := staff.get(a + "/customers").body; strings.Contains(body, "customer-new-link") || strings.Contains(body, a+"/customer-ranks") {
		t.Error("staff is offered 会員登録 or the rank master")
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/customer-ranks"}, {"GET", "/customer-ranks/" + gold}, {"POST", "/customer-ranks"},
		{"POST", "/customer-ranks/" + gold}, {"POST", "/customer-ranks/" + gold + "/delete"}, {"POST", "/customer-ranks/" + gold + "/move"},
		{"GET", "/customers/new"}, {"POST", "/customers/new"}, {"POST", "/customers/" + id + "/rank"},
		{"POST", "/customers/" + id + "/password-link"}, {"POST", "/settings/registration"}, {"POST", "/customers/" + id + "/note"},
	} {
		if c.method == "GET" {
			staff.get(a+c.path).want(t, "staff "+c.path, 403)
		} else {
			staff.post(a+c.path, url.Values{"rank": {gold}, "name_ja": {"x"}, "dir": {"up"}}).want(t, "staff POST "+c.path, 403)
		}
	}
	var rankNow string
	d.QueryRow(ctx, `SELECT CAST(rank_id AS TEXT) FROM customers WHERE CAST(id AS TEXT) = ?`, id).Scan(&rankNow)
	if rankNow != gold {
		t.Fatalf("staff changed the rank: %s", rankNow)
	}
}
