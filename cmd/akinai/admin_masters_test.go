package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// The operator renames a gender choice and a customer status: the
// registration form and the admin's customer list show the new names in
// the language they were given for; a label over 40 characters stores
// nothing; an empty field restores the built-in name; changes are audited.
func TestAdminMasters(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			cfg := Config{DataDir: t.TempDir()}
			if engine == dbtest.Postgres {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			base, logs := startLoggedShop(t, cfg, nil)
			setup := setupPath(t, logs)
			admin := adminPathOf(setup)
			owner, _ := setupOwner(t, base, setup)

			owner.get(admin+"/settings/masters").want(t, "screen", 200, `id="masters-form"`, "性別", "会員ステータス", `placeholder="女性"`)
			long := strings.Repeat("長", 41)
			owner.post(admin+"/settings/masters", url.Values{"ja.customer.gender.female": {long}, "ja.customer.gender.male": {"男性のお客様"}}).want(t, "too long", 422, "40文字以内")
			if body := newClient(t, base).get("/entry").body; strings.Contains(body, "男性のお客様") {
				t.Fatal("a refused form changed a label")
			}

			owner.post(admin+"/settings/masters", url.Values{"ja.customer.gender.other": {"その他・無回答"}, "en.customer.gender.other": {"Prefer not to say"}, "ja.admin.customers.status.withdrawn": {"退会済み"}}).want(t, "save", 303, "/settings/masters")
			visitor := newClient(t, base)
			visitor.get("/entry").want(t, "registration ja", 200, ">その他・無回答<")
			visitor.get("/entry?lang=en").want(t, "registration en", 200, ">Prefer not to say<")
			owner.get(admin+"/customers").want(t, "status renamed", 200, "退会済み")
			owner.get(admin+"/audit?action=masters.labels").want(t, "audited", 200, "masters.labels", "その他・無回答")

			owner.post(admin+"/settings/masters", url.Values{"ja.customer.gender.other": {""}}).want(t, "restore", 303)
			if body := newClient(t, base).get("/entry").body; strings.Contains(body, "その他・無回答") || !strings.Contains(body, ">その他<") {
				t.Errorf("the built-in name did not come back: %q", body[strings.Index(body, `id="gender"`):][:400])
			}
		})
	}
}
