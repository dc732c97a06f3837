package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/settings"
)

// Settings: the owner saves shop information (a bad registration number
// is refused next to its field, input kept), schedules a tax rate; a
// staff member is refused the whole area (403, audited).
func TestAdminSettings(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	a := adminPathOf(setup)
	d := openAdminDB(t, pg)
	ctx := context.Background()
	owner, _ := setupOwner(t, base, setup)

	owner.get(a+"/settings").want(t, "shop settings", 200, "shop-form")
	form := url.Values{settings.ShopName: {"茶房 あきない"}, settings.ShopCompany: {"株式会社あきない"}, settings.InvoiceNumber: {"T1234567890124"}}
	owner.post(a+"/settings/shop", form).want(t, "bad registration", 400, "「T」＋13桁", "株式会社あきない")
	form.Set(settings.InvoiceNumber, "ｔ"+testRegistration()[1:])
	owner.post(a+"/settings/shop", form).want(t, "save shop", 303)
	var reg string
	d.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, settings.InvoiceNumber).Scan(&reg)
	if reg != testRegistration() {
		t.Fatalf("registration stored as %q", reg)
	}
	owner.get(a + "/settings/tax")
	owner.post(a+"/settings/tax", url.Values{"rounding": {"half_up"}, "class": {"reduced"}, "rate": {"10"}, "from": {"2031-10-01"}}).want(t, "schedule rate", 303)
	owner.get(a+"/settings/tax").want(t, "tax page", 200, "2031-10-01", "予約")
	if auditCount(t, d, "settings.shop", "owner@example.jp") != 1 || auditCount(t, d, "settings.tax", "owner@example.jp") != 1 {
		t.Fatal("settings not audit-logged")
	}

	staffPW := "yokohama-harbour-kite-42"
	owner.get(a + "/admins")
	owner.post(a+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)
	staff := newClient(t, base)
	staff.admin = a
	staff.get(a + "/login")
	staff.post(a+"/login", url.Values{"email": {"staff@example.jp"}, "password": {staffPW}}).want(t, "staff password", 303, "/enrol")
	enrolTOTP(t, staff, 0)
	if body := staff.get(a + "/").body; strings.Contains(body, a+"/settings") {
		t.Error("staff navigation shows settings")
	}
	staff.get(a+"/settings").want(t, "staff settings", 403)
	staff.post(a+"/settings/shop", form).want(t, "staff saving settings", 403)
	if n := auditCount(t, d, "permission.denied", "staff@example.jp"); n != 2 {
		t.Fatalf("%d refusals audited, want 2", n)
	}
	staff.get(a+"/orders").want(t, "staff may see orders", 200, "order-search")
}
