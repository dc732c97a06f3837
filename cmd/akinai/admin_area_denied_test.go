package main

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// A role without an area gets 403 on the pages and the form posts of that
// area — order revision, class masters, reviews, recommendations, payment
// methods — each refusal is audited, and nothing in the database changes.
func TestAdmin_RoleWithoutAreaGets403(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	a := adminPathOf(setup)
	d := openAdminDB(t, pg)
	ctx := context.Background()
	owner, _ := setupOwner(t, base, setup)
	pw := "yokohama-harbour-kite-42"
	owner.post(a+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {pw}}).want(t, "create staff", 303)
	owner.post(a+"/admins/roles", url.Values{"access.staff.products": {"0"}, "access.staff.orders": {"0"}, "access.staff.settings": {"0"}}).want(t, "take areas away", 303)
	staff := newClient(t, base)
	staff.admin = a
	staff.get(a + "/login")
	staff.post(a+"/login", url.Values{"email": {"staff@example.jp"}, "password": {pw}}).want(t, "staff password", 303, "/enrol")
	enrolTOTP(t, staff, 0)
	staff.get(a+"/").want(t, "staff dashboard", 200)

	fingerprint := func() string {
		var s string
		for _, q := range []string{`SELECT COUNT(*) FROM orders`, `SELECT COALESCE(SUM(version), 0) FROM orders`, `SELECT COUNT(*) FROM class_names`,
			`SELECT COUNT(*) FROM class_values`, `SELECT COUNT(*) FROM reviews`, `SELECT COUNT(*) FROM recommended_products`,
			`SELECT COUNT(*) FROM payment_methods`, `SELECT COUNT(*) FROM payment_methods WHERE active`} {
			var n int64
			if err := d.QueryRow(ctx, q).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			s += fmt.Sprint(n, " ")
		}
		return s
	}
	before := fingerprint()
	denied := auditCount(t, d, "permission.denied", "staff@example.jp")
	cases := []struct{ method, path string }{
		{"GET", "/orders/1001/revise"}, {"POST", "/orders/1001/revise"},
		{"GET", "/classes"}, {"POST", "/classes"}, {"POST", "/classes/1/delete"}, {"POST", "/classes/1/values/1/delete"},
		{"GET", "/reviews"}, {"GET", "/reviews/1"}, {"POST", "/reviews/1/status"}, {"POST", "/reviews/1/reply"},
		{"GET", "/recommendations"}, {"POST", "/recommendations"}, {"POST", "/recommendations/1"}, {"POST", "/recommendations/1/remove"},
		{"GET", "/settings/payment-methods"}, {"POST", "/settings/payment-methods"}, {"GET", "/settings/payment-methods/cod"},
		{"POST", "/settings/payment-methods/cod"}, {"POST", "/settings/payment-methods/cod/delete"},
	}
	form := url.Values{"name_ja": {"サイズ"}, "values": {"S\nM"}, "status": {"published"}, "reply": {"x"}, "product_id": {"1"},
		"code": {"cod"}, "active": {"0"}, "qty_1": {"9"}, "version": {"1"}}
	for _, c := range cases {
		var r result
		if c.method == "GET" {
			r = staff.get(a + c.path)
		} else {
			r = staff.post(a+c.path, form)
		}
		r.want(t, c.method+" "+c.path, 403)
	}
	if after := fingerprint(); after != before {
		t.Fatalf("refused requests changed the database: %s → %s", before, after)
	}
	if n := auditCount(t, d, "permission.denied", "staff@example.jp") - denied; n != len(cases) {
		t.Fatalf("%d refusals audited, want %d", n, len(cases))
	}
	// The owner still reaches them.
	owner.get(a+"/classes").want(t, "owner classes", 200)
	owner.get(a+"/recommendations").want(t, "owner recommendations", 200)
}
