package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/throttle"
)

// adminPatterns returns every admin route the shop registers (through
// admin.Routes and admin.Mount, the guard's two doors), for the admin path
// base: the wiring is built once more on a throwaway database.
func adminPatterns(t *testing.T, base string) []string {
	t.Helper()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	cfg := Config{BaseURL: "http://localhost", Secret: make([]byte, 32), Limits: throttle.DefaultLimits(), DataDir: t.TempDir()}
	a, err := newShop(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), d)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range a.admin.Patterns() {
		out = append(out, strings.Replace(p, a.admin.Base(), base, 1))
	}
	return out
}

var wildcardRE = regexp.MustCompile(`\{[^}]*\}`)

// A recovery code opens a restricted session: it can enrol a new passkey
// or authenticator and sign out, and every other admin route refuses it in
// the guard (GET: sent back to the enrolment page; POST: 401). Then the
// new authenticator, once enrolled, is what signs in.
func TestAdmin_RecoverySessionReachesOnlyEnrolment(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	d := openAdminDB(t, pg)
	owner, oldSecret := setupOwner(t, base, setup)
	owner.get(admin + "/account/recovery")
	codes := regexpAll(`<code>([0-9a-z-]{29})</code>`, owner.post(admin+"/account/recovery", nil).body)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes", len(codes))
	}

	restricted := func(code string) *client {
		c := newClient(t, base)
		c.get(admin + "/login")
		c.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "password", 303, "/login/2fa")
		c.get(admin + "/login/2fa")
		c.post(admin+"/login/recovery", url.Values{"code": {code}}).want(t, "recovery code", 303, "/enrol")
		c.get(admin+"/enrol").want(t, "restricted page", 200, `id="restricted-session"`, `id="passkey-register"`, `id="restricted-logout"`)
		return c
	}
	c := restricted(codes[0])

	allowed := map[string]bool{}
	for _, p := range []string{"GET /enrol", "POST /passkey/register/begin", "POST /passkey/register/finish", "GET /account/totp", "POST /account/totp", "POST /logout",
		// Before sign-in: open to anyone who may reach the admin at all.
		"GET /setup/{token}", "POST /setup/{token}", "GET /login", "POST /login", "GET /login/2fa", "POST /login/totp", "POST /login/recovery",
		"POST /passkey/login/begin", "POST /passkey/login/finish", "POST /passkey/report"} {
		method, path, _ := strings.Cut(p, " ")
		allowed[method+" "+admin+path] = true
	}
	patterns := adminPatterns(t, admin)
	checked := 0
	for _, p := range patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok || allowed[p] {
			continue // the catch-all 404, or a page the session may use
		}
		path = strings.ReplaceAll(path, "{$}", "")
		path = wildcardRE.ReplaceAllString(path, "1")
		checked++
		switch method {
		case "GET":
			c.get(path).want(t, "restricted session: "+p, 303, admin+"/enrol")
		case "POST":
			c.post(path, url.Values{"confirm": {"1"}, "allow": {"1"}, "passkeys_only": {"0"}, "id": {"others"}}).want(t, "restricted session: "+p, 401)
		default:
			t.Fatalf("route %s: no check for method %s", p, method)
		}
	}
	if checked < 60 {
		t.Fatalf("only %d admin routes checked (of %d patterns): is the route list complete?", checked, len(patterns))
	}
	t.Logf("%d admin routes refuse the restricted session", checked)
	if n := auditCount(t, d, "session.restricted_refused", "owner@example.jp"); n == 0 {
		t.Fatal("refusals of the restricted session are not audited")
	}
	var mails int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE event = 'admin_recovery_used' AND to_addr = 'owner@example.jp' AND body_text LIKE '%リカバリーコードが 1 つ使われました%'`).Scan(&mails)
	if mails != 1 {
		t.Fatalf("%d recovery mails, want 1", mails)
	}

	// Enrolling a new authenticator replaces the lost one and ends the
	// restricted session; the new app signs in, the old one no longer.
	c.admin = admin
	newSecret := enrolTOTP(t, c, 0)
	if newSecret == oldSecret {
		t.Fatal("the restricted session did not get a new secret")
	}
	c.get(admin+"/enrol").want(t, "restricted session after enrolment", 303, "/login")
	signIn := func(secret string, want int) *client {
		s := newClient(t, base)
		s.get(admin + "/login")
		s.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "password", 303)
		s.get(admin + "/login/2fa")
		s.post(admin+"/login/totp", url.Values{"code": {totp(t, secret, 1)}}).want(t, "TOTP", want)
		return s
	}
	signIn(oldSecret, 401)
	codeSession := signIn(newSecret, 303)

	// Signing out of a restricted session.
	c = restricted(codes[1])
	c.post(admin+"/logout", nil).want(t, "sign out of a restricted session", 303, "/login")
	c.get(admin+"/enrol").want(t, "after sign-out", 303, "/login")

	// The opt-out, on the server side. A passkey row stands in for a real
	// one (Chromium's ceremony is in TestAdmin_PasskeyAndRelay): from now
	// on typed codes are refused for this account.
	ctx := context.Background()
	if _, err := d.Exec(ctx, `INSERT INTO admin_passkeys (admin_id, credential_id, name, public_key, created_at) SELECT id, ?, 'key', ?, ? FROM admins`,
		[]byte("credential-1"), []byte("public-key"), time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	owner.get(admin+"/account").want(t, "account with a passkey", 200, "パスキーでのみログインできます", `id="typed-codes-form"`)
	owner.post(admin+"/account/typed-codes", url.Values{"allow": {"1"}}).want(t, "opt-out without the tick", 422, "危険を理解したことを確認")
	if _, err := d.Exec(ctx, `UPDATE admin_sessions SET sudo_until = ?`, time.Now().Add(-time.Minute).UTC()); err != nil {
		t.Fatal(err)
	}
	owner.get(admin+"/account").want(t, "account without sudo", 200, `id="sudo-first"`)
	owner.post(admin+"/account/typed-codes", url.Values{"allow": {"1"}, "confirm": {"1"}}).want(t, "opt-out without sudo", 403)
	if _, err := d.Exec(ctx, `UPDATE admin_sessions SET sudo_until = ?`, time.Now().Add(time.Minute).UTC()); err != nil {
		t.Fatal(err)
	}
	owner.post(admin+"/account/typed-codes", url.Values{"allow": {"1"}, "confirm": {"1"}}).want(t, "opt-out", 303)
	if n := auditCount(t, d, "security.typed_codes", "owner@example.jp"); n != 1 {
		t.Fatalf("%d opt-outs audited", n)
	}
	// The session the authenticator app opened ends when the account goes
	// back to passkeys only; the admin's own session stays.
	codeSession.get(admin+"/").want(t, "TOTP session", 200)
	owner.get(admin + "/account")
	owner.post(admin+"/account/typed-codes", url.Values{"allow": {"0"}}).want(t, "passkeys only again", 303)
	codeSession.get(admin+"/").want(t, "TOTP session after passkeys only", 303, "/login")
	owner.get(admin+"/account").want(t, "own session", 200)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE event = 'admin_change' AND body_text LIKE '%フィッシングで乗っ取られる%'`).Scan(&mails)
	if mails != 1 {
		t.Fatalf("%d opt-out mails, want 1", mails)
	}
}
