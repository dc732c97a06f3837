package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// The newcomer's path: setup link → owner → TOTP (codes from oathtool) →
// recovery codes → sign out → password + TOTP → replayed and stale codes
// refused → recovery code works once.
func TestAdmin_SetupAndTOTPSignIn(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	d := openAdminDB(t, pg)

	c, secret := setupOwner(t, base, setup)
	// The setup link is single-use.
	newClient(t, base).get(setup).want(t, "reused setup link", 404, "セットアップリンクは無効")

	r := c.get(admin + "/account/recovery?first=1")
	r.want(t, "recovery page", 200, "recovery-new")
	r = c.post(admin+"/account/recovery", nil)
	r.want(t, "recovery codes", 200, `id="recovery-codes"`)
	codes := regexpAll(`<code>([0-9a-z-]{29})</code>`, r.body)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	c.get(admin+"/").want(t, "dashboard", 200, `id="public-products"`, `id="today-sales"`)
	r = c.get(admin + "/")
	for _, h := range []string{"X-Robots-Tag", "Cache-Control", "Referrer-Policy", "Content-Security-Policy"} {
		if r.header.Get(h) == "" {
			t.Errorf("admin page lacks %s", h)
		}
	}
	if r.header.Get("Cache-Control") != "no-store" || !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || r.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("admin headers: %v", r.header)
	}
	c.post(admin+"/logout", nil).want(t, "logout", 303, "/login")
	c.get(admin+"/").want(t, "dashboard after logout", 303, "/login")

	// Password, then TOTP from the next step (the enrolment used this one).
	c.get(admin + "/login")
	c.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {"wrong-password-123"}}).
		want(t, "wrong password", 401, "メールアドレスまたはパスワードが正しくありません")
	c.post(admin+"/login", url.Values{"email": {"nobody@example.jp"}, "password": {"wrong-password-123"}}).
		want(t, "unknown account", 401, "メールアドレスまたはパスワードが正しくありません")
	c.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "password", 303, "/login/2fa")
	c.get(admin+"/").want(t, "panel before second factor", 303, "/login/2fa")
	c.get(admin + "/login/2fa")
	c.post(admin+"/login/totp", url.Values{"code": {totp(t, secret, -3)}}).want(t, "stale code", 401, "すでに使用されています")
	code := totp(t, secret, 1)
	c.post(admin+"/login/totp", url.Values{"code": {code}}).want(t, "TOTP", 303)
	c.get(admin+"/").want(t, "dashboard after TOTP", 200, "public-products")

	// The same code again, on a fresh password step: refused.
	c2 := newClient(t, base)
	c2.get(admin + "/login")
	c2.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "password 2", 303)
	c2.get(admin + "/login/2fa")
	c2.post(admin+"/login/totp", url.Values{"code": {code}}).want(t, "replayed code", 401)
	// A recovery code opens only a restricted session (enrol or sign out).
	c2.post(admin+"/login/recovery", url.Values{"code": {strings.ToUpper(codes[3])}}).want(t, "recovery code", 303, "/enrol")
	c2.get(admin+"/").want(t, "panel in a recovery session", 303, "/enrol")
	c2.get(admin+"/enrol").want(t, "recovery session page", 200, `id="restricted-session"`, "リカバリーコードでログインしました", `id="restricted-totp"`)
	c3 := newClient(t, base)
	c3.get(admin + "/login")
	c3.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "password 3", 303)
	c3.get(admin + "/login/2fa")
	c3.post(admin+"/login/recovery", url.Values{"code": {codes[3]}}).want(t, "used recovery code", 401)

	// Sessions page lists the signed-in sessions (not c2's restricted
	// one); end the others, which ends c2's too.
	r = c.get(admin + "/account/sessions")
	r.want(t, "sessions", 200, "127.0.0.1")
	if n := strings.Count(r.body, `name="id" value="`) - 1; n != 1 {
		t.Fatalf("sessions page lists %d sessions, want 1 (c)", n)
	}
	c.post(admin+"/account/sessions/end", url.Values{"id": {"others"}}).want(t, "end others", 303)
	c2.get(admin+"/").want(t, "ended session", 303, "/login")

	// Sudo mode: lapsed, the security page asks for the password first.
	if _, err := d.Exec(context.Background(), `UPDATE admin_sessions SET sudo_until = ?`, time.Now().Add(-time.Minute).UTC()); err != nil {
		t.Fatal(err)
	}
	c.get(admin+"/security").want(t, "security without sudo", 303, "/sudo?next=")
	c.get(admin + "/account")
	c.post(admin+"/security/policy", url.Values{"passkeys_only": {"0"}}).want(t, "policy POST without sudo", 403, "本人確認が必要")
	c.get(admin+"/sudo?next="+url.QueryEscape(admin+"/security")).want(t, "sudo page", 200, "sudo-form")
	c.post(admin+"/sudo", url.Values{"password": {"wrong-password-123"}, "next": {admin + "/security"}}).want(t, "sudo wrong password", 401)
	c.post(admin+"/sudo", url.Values{"password": {ownerPassword}, "next": {"https://evil.example/"}}).want(t, "sudo", 303, admin+"/")
	c.get(admin+"/security").want(t, "security with sudo", 200, "policy-form")

	// The audit viewer and its CSV export.
	c.get(admin+"/audit?action=signin.&actor=owner").want(t, "audit viewer", 200, "signin.success", "signin.failure")
	r = c.get(admin + "/audit.csv?action=signin.failure")
	r.want(t, "audit CSV", 200, "id,at,actor,action")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV content type %q", ct)
	}
	if lines := strings.Count(strings.TrimSpace(r.body), "\n"); lines != 6 {
		t.Errorf("CSV has %d rows, want 6 sign-in failures:\n%s", lines, r.body)
	}

	for action, want := range map[string]int{"setup.owner_created": 1, "signin.success": 1, "signin.restricted": 1, "signin.failure": 6, "factor.totp_added": 1, "setup.token_refused": 1} {
		if got := auditCount(t, d, action, ""); got != want {
			t.Errorf("audit %s: %d entries, want %d", action, got, want)
		}
	}
	if got := auditCount(t, d, "signin.failure", "owner@example.jp"); got != 5 {
		t.Errorf("failures attributed to the owner: %d, want 5", got)
	}
	n, broken, err := audit.Verify(context.Background(), d)
	if err != nil || broken != nil || n < 10 {
		t.Fatalf("audit chain: %d, %v, %v", n, broken, err)
	}
	// The TOTP secret is sealed at rest, not in the clear.
	var sealed []byte
	d.QueryRow(context.Background(), `SELECT totp_sealed FROM admins`).Scan(&sealed)
	if len(sealed) == 0 || strings.Contains(string(sealed), secret) {
		t.Fatal("TOTP secret not sealed")
	}
	// Alerts were queued: the first sign-in from this client, and the changes.
	var mails int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE event IN ('admin_signin', 'admin_change')`).Scan(&mails)
	var recoveryMails int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE event = 'admin_recovery_used'`).Scan(&recoveryMails)
	if mails < 2 || recoveryMails != 1 {
		t.Fatalf("%d alert mails and %d recovery mails queued", mails, recoveryMails)
	}
}

func TestAdmin_SetupLinkExpires(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	d := openAdminDB(t, pg)
	if _, err := d.Exec(context.Background(), `UPDATE admin_setup_tokens SET expires_at = ?`, time.Now().Add(-time.Minute).UTC()); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, base)
	c.get(setup+"?lang=en").want(t, "expired setup link", 404, "This setup link is invalid, expired or already used")
	c.csrf = "x"
	c.get(adminPathOf(setup) + "/login")
	c.post(setup, url.Values{"email": {"a@example.jp"}, "name": {"A"}, "password": {ownerPassword}, "password2": {ownerPassword}}).want(t, "post to expired link", 404)
	var n int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM admins`).Scan(&n)
	if n != 0 {
		t.Fatal("an admin was created through an expired link")
	}
}

func TestAdmin_DecoyPathsAnswerStorefront404(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{}, nil)
	admin := adminPathOf(setupPath(t, logs))
	_, want := get(t, base+"/no-such-page")
	want = strings.ReplaceAll(want, "/no-such-page", "PATH")
	for _, p := range []string{"/admin", "/admin/", "/administrator", "/wp-admin", "/wp-login.php", "/admin/login", "/login", "/setup", admin + "x/login", admin + "/nope", admin + "/setup/not-a-token-at-all"} {
		resp, body := get(t, base+p)
		if resp.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", p, resp.StatusCode)
		}
		// Byte for byte the page any unknown URL gets (but for the echoed
		// path in the language link).
		if got := strings.ReplaceAll(body, p, "PATH"); got != want && !strings.Contains(p, "/setup/") {
			t.Errorf("GET %s differs from the storefront 404:\n%s", p, clipBody(got))
		}
	}
	if resp, _ := get(t, base+admin+"/login"); resp.StatusCode != 200 {
		t.Fatalf("the real admin login = %d", resp.StatusCode)
	}
}
