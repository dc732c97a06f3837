package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// Roles and bad input: a forged role, a staff member forging URLs,
// malformed and mismatched WebAuthn payloads, wrong content types, bodies
// over the limit and missing CSRF tokens all get a clear 4xx in the
// admin's language, security-relevant ones an audit entry, and change
// nothing.
func TestAdmin_RolesAndBadInput(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	d := openAdminDB(t, pg)
	ctx := context.Background()
	owner, _ := setupOwner(t, base, setup)
	owner.get(admin+"/admins?lang=en").want(t, "admins page", 200, "admin-create")

	// A forged role is refused, audited, and creates nobody.
	staffPW := "yokohama-harbour-kite-42"
	owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"superadmin"}, "password": {staffPW}}).
		want(t, "forged role", 422, "That role does not exist")
	owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {"password1234"}}).
		want(t, "common password", 422, "too common")
	if n := auditCount(t, d, "admin.forged_role", "owner@example.jp"); n != 1 {
		t.Fatalf("%d forged roles audited", n)
	}
	var admins int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM admins`).Scan(&admins)
	if admins != 1 {
		t.Fatalf("%d admins after refused creations", admins)
	}
	owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)

	// The staff member signs in, must enrol first, then may not reach the
	// owner's areas.
	staff := newClient(t, base)
	staff.admin = admin
	staff.get(admin + "/login?lang=en")
	staff.post(admin+"/login", url.Values{"email": {"staff@example.jp"}, "password": {staffPW}}).want(t, "staff password", 303, "/enrol")
	staff.get(admin+"/").want(t, "panel before enrolment", 303, "/enrol")
	enrolTOTP(t, staff, 0)
	staff.get(admin+"/").want(t, "staff dashboard", 200, "public-products")
	if body := staff.get(admin + "/").body; strings.Contains(body, admin+"/security") || strings.Contains(body, admin+"/audit") {
		t.Error("staff navigation shows owner areas")
	}
	staff.get(admin+"/security").want(t, "staff forging /security", 403, "You are not allowed")
	staff.get(admin+"/audit").want(t, "staff forging /audit", 403)
	staff.post(admin+"/admins", url.Values{"email": {"x@example.jp"}, "name": {"X"}, "role": {"owner"}, "password": {staffPW}}).want(t, "staff creating an owner", 403)
	staff.post(admin+"/security/policy", url.Values{"passkeys_only": {"1"}}).want(t, "staff changing policy", 403)
	if n := auditCount(t, d, "permission.denied", "staff@example.jp"); n != 4 {
		t.Fatalf("%d permission refusals audited, want 4", n)
	}

	// WebAuthn endpoints.
	staff.postJSON(admin+"/passkey/login/begin", "text/plain", "{}").want(t, "wrong content type", 415, "application/json")
	staff.postJSON(admin+"/passkey/register/finish", "application/json", `{"id":`).want(t, "finish without ceremony", 400, "could not be verified")
	staff.postJSON(admin+"/passkey/register/begin", "application/json", `{"name":"`+strings.Repeat("x", 61)+`"}`).want(t, "passkey name too long", 422)
	staff.postJSON(admin+"/passkey/register/begin", "application/json", `{"name":"Phone"}`).want(t, "register begin", 200, `"challenge"`)
	staff.postJSON(admin+"/passkey/register/finish", "application/json", `{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA"}}`).
		want(t, "malformed attestation", 400, "could not be verified")
	anon := newClient(t, base)
	anon.get(admin + "/login?lang=en")
	anon.postJSON(admin+"/passkey/login/begin", "application/json", "{}").want(t, "discoverable begin", 200, `"challenge"`)
	// A well-formed assertion answering some other challenge.
	anon.postJSON(admin+"/passkey/login/finish", "application/json",
		`{"id":"AQID","rawId":"AQID","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiQUFBQSIsIm9yaWdpbiI6Imh0dHA6Ly9sb2NhbGhvc3QifQ","authenticatorData":"AAAA","signature":"AAAA","userHandle":"AQID"}}`).
		want(t, "wrong challenge", 400, "could not be verified")
	anon.postJSON(admin+"/passkey/login/begin", "application/json", "{}")
	anon.postJSON(admin+"/passkey/login/finish", "application/json", `{"pad":"`+strings.Repeat("a", 70<<10)+`"}`).want(t, "oversized WebAuthn body", 413)
	anon.post(admin+"/login", url.Values{"email": {"a@example.jp"}, "password": {strings.Repeat("p", 2<<20)}}).want(t, "oversized form", 413, "too large")
	var failures int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('signin.passkey.failure', 'passkey.register_failure')`).Scan(&failures)
	if failures != 4 {
		t.Fatalf("%d failed ceremonies audited, want 4", failures)
	}
	var passkeys int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM admin_passkeys`).Scan(&passkeys)
	if passkeys != 0 {
		t.Fatal("a malformed registration stored a passkey")
	}

	// Missing CSRF token: refused in the admin's language, nothing saved.
	owner.post(admin+"/account/anti-phishing", url.Values{"code": {"sakura"}, "csrf": {""}}).want(t, "missing CSRF", 403, "This form has expired")
	var code string
	d.QueryRow(ctx, `SELECT anti_phishing FROM admins WHERE email = 'owner@example.jp'`).Scan(&code)
	if code != "" {
		t.Fatal("anti-phishing code saved without a CSRF token")
	}
	owner.get(admin + "/account")
	owner.post(admin+"/account/anti-phishing", url.Values{"code": {"sakura"}}).want(t, "anti-phishing code", 303)

	// Owner resets the staff member's factors: they must enrol again.
	var staffID string
	d.QueryRow(ctx, `SELECT id FROM admins WHERE email = 'staff@example.jp'`).Scan(&staffID)
	owner.get(admin + "/admins")
	owner.post(admin+"/admins/"+staffID+"/reset-mfa", nil).want(t, "reset staff factors", 303)
	staff.get(admin+"/").want(t, "staff session after reset", 303, "/login")
	var staffMail string
	d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'admin_change' AND to_addr = 'staff@example.jp' ORDER BY id DESC LIMIT 1`).Scan(&staffMail)
	if !strings.Contains(staffMail, "二段階認証のリセット") {
		t.Fatalf("staff was not told about the reset:\n%s", staffMail)
	}

	// Every alert starts with the admin's anti-phishing code.
	owner.get(admin + "/account/recovery")
	owner.post(admin+"/account/recovery", nil).want(t, "renew recovery codes", 200, "recovery-codes")
	var mail string
	d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE to_addr = 'owner@example.jp' ORDER BY id DESC LIMIT 1`).Scan(&mail)
	if !strings.HasPrefix(mail, "フィッシング対策コード: sakura") || strings.Contains(mail, "http") {
		t.Fatalf("owner alert:\n%s", mail)
	}
}
