package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// The owner edits the permission matrix: staff may then read reports and
// only read products; the owner's own rights, write on admins for a
// manager and no dashboard are refused with nothing stored; a manager
// sees the matrix but cannot change it; the change is audited.
func TestRoles_OwnerEditsMatrix(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			cfg := Config{}
			if engine == dbtest.Postgres {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			base, logs := startLoggedShop(t, cfg, nil)
			setup := setupPath(t, logs)
			admin := adminPathOf(setup)
			owner, _ := setupOwner(t, base, setup)

			newStaff := func(email, role string) *client {
				pw := "yokohama-harbour-kite-42"
				owner.post(admin+"/admins", url.Values{"email": {email}, "name": {"Suzuki"}, "role": {role}, "password": {pw}}).want(t, "create "+role, 303)
				c := newClient(t, base)
				c.admin = admin
				c.get(admin + "/login")
				c.post(admin+"/login", url.Values{"email": {email}, "password": {pw}}).want(t, role+" password", 303, "/enrol")
				enrolTOTP(t, c, 0)
				return c
			}
			staff := newStaff("staff@example.jp", "staff")
			manager := newStaff("manager@example.jp", "manager")

			// Built-in: staff changes products, has no reports.
			staff.get(admin+"/reports").want(t, "staff reports before", 403)
			r := owner.get(admin + "/admins/roles")
			r.want(t, "matrix", 200, `id="roles-matrix"`, "権限管理", `name="access.staff.reports"`, "売上集計")
			if strings.Contains(r.body, `name="access.owner.`) {
				t.Error("the owner's column is editable")
			}

			// Refused: the owner's rights, write on admins, no dashboard —
			// nothing stored, the form comes back with messages.
			owner.post(admin+"/admins/roles", url.Values{"access.owner.products": {"1"}}).want(t, "owner reduced", 422, "オーナーの権限は減らせません")
			owner.post(admin+"/admins/roles", url.Values{"access.manager.admins": {"2"}, "access.staff.reports": {"1"}}).want(t, "manager admins write", 422, "オーナーだけに許されます")
			owner.post(admin+"/admins/roles", url.Values{"access.staff.dashboard": {"0"}}).want(t, "no dashboard", 422, "ダッシュボード")
			owner.post(admin+"/admins/roles", url.Values{"access.staff.orders": {"7"}}).want(t, "bad value", 422)
			staff.get(admin+"/reports").want(t, "staff reports after refusals", 403)

			// Accepted.
			owner.post(admin+"/admins/roles", url.Values{"access.staff.reports": {"1"}, "access.staff.products": {"1"}}).want(t, "save", 303, "/admins/roles")
			owner.get(admin+"/admins/roles").want(t, "saved flash", 200, "権限を保存しました")
			staff.get(admin+"/reports").want(t, "staff reports", 200)
			if body := staff.get(admin + "/").body; !strings.Contains(body, admin+"/reports") {
				t.Error("staff navigation lacks reports")
			}
			staff.get(admin+"/products").want(t, "staff product list", 200)
			staff.post(admin+"/products/new", url.Values{"name_ja": {"x"}}).want(t, "staff creates a product", 403)

			// A manager reads the matrix but cannot change it.
			r = manager.get(admin + "/admins/roles")
			r.want(t, "manager reads", 200, `id="roles-matrix"`)
			if strings.Contains(r.body, `name="access.`) {
				t.Error("a manager gets an editable matrix")
			}
			manager.post(admin+"/admins/roles", url.Values{"access.manager.reports": {"2"}}).want(t, "manager writes", 403)
			staff.get(admin+"/admins/roles").want(t, "staff reads matrix", 403)

			owner.get(admin+"/audit?action=roles.access").want(t, "audited", 200, "roles.access", "reports")
			for _, lang := range []string{"ja", "en"} {
				if body := owner.get(admin + "/admins/roles?lang=" + lang).body; strings.Contains(body, ">roles.") {
					t.Errorf("raw key in %s", lang)
				}
			}
		})
	}
}
