package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// The owner reads the system information (with the engine), the login
// history with a failure and a success, filtered and as CSV, and the
// recent warnings without secrets; a staff member is refused all three.
func TestSystem_InfoLoginsLogs(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			cfg, name := Config{}, "SQLite"
			if engine == dbtest.Postgres {
				cfg.DatabaseURL, name = dbtest.NewPostgresDatabase(t), "PostgreSQL"
			}
			base, logs := startLoggedShop(t, cfg, nil)
			setup := setupPath(t, logs)
			admin := adminPathOf(setup)
			owner, secret := setupOwner(t, base, setup)

			r := owner.get(admin + "/system")
			r.want(t, "system page", 200, `id="system-engine">`+name+"<", `id="system-db-size"`, `id="system-disk-free"`, "go1.", "メール送信", "売上集計の更新", "システム情報")
			if strings.Contains(r.body, `id="system-db-size">-<`) {
				t.Error("database size unknown")
			}

			// A wrong password from 127.0.0.2, then a complete sign-in.
			passwordStep(t, newClientFrom(t, base, "127.0.0.2"), admin, "not-the-password", 401)
			c := newClientFrom(t, base, "127.0.0.1")
			passwordStep(t, c, admin, ownerPassword, 303)
			c.get(admin + "/login/2fa")
			c.post(admin+"/login/totp", url.Values{"code": {totp(t, secret, 1)}}).want(t, "TOTP", 303)

			r = c.get(admin + "/system/logins")
			r.want(t, "login history", 200, `id="logins-table"`, "owner@example.jp", "127.0.0.2", "login-failure", "login-success", "確認コード(TOTP)", "パスワード", "認証に失敗")
			r = c.get(admin + "/system/logins?result=failure")
			r.want(t, "failures", 200, "login-failure", "127.0.0.2")
			if strings.Contains(r.body, "login-success") {
				t.Error("result=failure shows a success")
			}
			r = c.get(admin + "/system/logins?result=success&ip=127.0.0.1")
			r.want(t, "successes from 127.0.0.1", 200, "login-success", "確認コード(TOTP)")
			if strings.Contains(r.body, "login-failure") || strings.Contains(r.body, "127.0.0.2") {
				t.Error("result=success&ip= shows a failure")
			}
			today := time.Now().In(time.FixedZone("JST", 9*3600))
			c.get(admin+"/system/logins?admin=OWNER@&from="+today.Format("2006-01-02")+"&to="+today.Format("2006-01-02")).want(t, "today", 200, "login-success", "login-failure")
			r = c.get(admin + "/system/logins?from=" + today.AddDate(0, 0, 1).Format("2006-01-02"))
			r.want(t, "tomorrow", 200, `id="logins-empty"`)
			c.get(admin+"/system/logins?from=2026-13-01").want(t, "bad date", 422, `id="logins-error-from"`, "YYYY-MM-DD")
			c.get(admin+"/system/logins?from=2026-11-30&to=2026-11-01").want(t, "reversed", 422, `id="logins-error-to"`)
			c.get(admin+"/system/logins?admin=nobody").want(t, "no match", 200, `id="logins-empty"`)

			r = c.get(admin + "/system/logins.csv?result=failure")
			r.want(t, "CSV", 200, "日時,管理者,IPアドレス,認証方法,結果,内容", "127.0.0.2", "失敗")
			if !strings.HasPrefix(r.body, "\ufeff") || strings.Contains(r.body, "成功") {
				t.Errorf("CSV: %q", r.body)
			}
			r = c.get(admin + "/system/logins.csv?enc=sjis&lang=en")
			if r.status != 200 || strings.HasPrefix(r.body, "\ufeff") || !strings.Contains(r.body, "Time,Admin,IP address") {
				t.Errorf("Shift_JIS CSV: %d %q", r.status, r.body)
			}
			c.get(admin+"/system/logins?lang=ja").want(t, "back to ja", 200)
			c.get(admin+"/audit?action=system.logins_export").want(t, "export audited", 200, "system.logins_export")

			// The setup link was logged as a warning; the viewer shows the
			// warning without the link.
			r = c.get(admin + "/system/logs")
			r.want(t, "log viewer", 200, `id="logs-table"`, "no admin account yet", "setup_url=[redacted]", "500")
			if strings.Contains(r.body, "/setup/") {
				t.Error("the log viewer shows the setup link")
			}
			c.get(admin+"/system/logs?level=error").want(t, "errors only", 200)
			// No raw message keys in either language.
			for _, lang := range []string{"en", "ja"} {
				for _, p := range []string{"/system?", "/system/logins?", "/system/logs?", "/system/logins?from=x&"} {
					if body := c.get(admin + p + "lang=" + lang).body; strings.Contains(body, ">system.") || strings.Contains(body, ": system.") {
						t.Errorf("%s in %s shows a raw key", p, lang)
					}
				}
			}

			// A staff member sees none of it.
			staffPW := "yokohama-harbour-kite-42"
			owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)
			staff := newClient(t, base)
			staff.admin = admin
			staff.get(admin + "/login")
			staff.post(admin+"/login", url.Values{"email": {"staff@example.jp"}, "password": {staffPW}}).want(t, "staff password", 303, "/enrol")
			enrolTOTP(t, staff, 0)
			if body := staff.get(admin + "/").body; strings.Contains(body, admin+"/system") {
				t.Error("staff navigation shows the system pages")
			}
			for _, p := range []string{"/system", "/system/logins", "/system/logins.csv", "/system/logs"} {
				staff.get(admin+p).want(t, "staff "+p, 403)
			}
			newClient(t, base).get(admin+"/system").want(t, "signed out", 303, "/login")
		})
	}
}
