package main

import (
	"net/url"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/throttle"
)

// Two `serve` instances on one PostgreSQL database, as behind a load
// balancer: sign-in failures counted on one block the account on the
// other; IP lists saved on one apply on the other; each believes
// X-Forwarded-For only from its own trusted proxies.
func TestAdmin_TwoInstancesShareThrottleAndIPLists(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	dir := t.TempDir() // shared secret.key: instances must share the secret
	// Long blocks, so no assertion depends on the machine's speed.
	policy := throttle.Policy{Free: 2, Base: time.Hour, Max: time.Hour, LockAfter: 5, LockFor: time.Hour, Forget: 24 * time.Hour}
	baseA, logsA := startLoggedShop(t, Config{DataDir: dir, DatabaseURL: pg, adminSignIn: policy}, nil)
	baseB, _ := startLoggedShop(t, Config{DataDir: dir, DatabaseURL: pg, adminSignIn: policy, TrustedProxies: "127.0.0.2/32"}, nil)
	setup := setupPath(t, logsA)
	admin := adminPathOf(setup)
	d := openAdminDB(t, pg)
	owner, _ := setupOwner(t, baseA, setup)

	// Throttling across instances, for the account.
	a, b := newClient(t, baseA), newClient(t, baseB)
	a.get(admin + "/login")
	b.get(admin + "/login")
	bad := url.Values{"email": {"owner@example.jp"}, "password": {"not-the-password-1"}}
	a.post(admin+"/login", bad).want(t, "failure 1 on A", 401)
	b.post(admin+"/login", bad).want(t, "failure 2 on B", 401)
	a.post(admin+"/login", bad).want(t, "failure 3 on A", 401)
	r := b.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}})
	r.want(t, "right password on B while blocked", 429, "秒間ログインできません")
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if n := auditCount(t, d, "signin.throttled", ""); n != 1 {
		t.Fatalf("%d throttled attempts audited", n)
	}
	// The same refusal for an unknown account from another address: the
	// address bucket of 127.0.0.1 is blocked too, and an unknown email
	// gets the same treatment as a known one.
	c := newClientFrom(t, baseB, "127.0.0.3")
	c.get(admin + "/login")
	unknown := url.Values{"email": {"nobody@example.jp"}, "password": {"not-the-password-1"}}
	for i := range 3 {
		c.post(admin+"/login", unknown).want(t, "unknown account failure "+string(rune('1'+i)), 401, "メールアドレスまたはパスワードが正しくありません")
	}
	c.post(admin+"/login", unknown).want(t, "unknown account throttled", 429)

	// IP lists, saved through A (the owner's session is fresh: sudo). A
	// relay at 127.0.0.2 had the login page before; after the save its
	// relayed password gets the storefront 404.
	relay := newClientFrom(t, baseB, "127.0.0.2")
	relay.get(admin+"/login").want(t, "relay before the allow list", 200)
	owner.get(admin+"/security").want(t, "security page", 200, "ip-form")
	owner.post(admin+"/security/ip", url.Values{"allow": {"127.0.0.1/32\n::1"}, "deny": {""}}).want(t, "save allow list", 303)
	relay.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {ownerPassword}}).want(t, "relayed password from an address off the list", 404)
	relay.get(admin+"/login").want(t, "B from 127.0.0.2 (proxy, no header)", 404)
	relay.getWith(admin+"/login", map[string]string{"X-Forwarded-For": "127.0.0.1"}).want(t, "B via trusted proxy for 127.0.0.1", 200)
	relayA := newClientFrom(t, baseA, "127.0.0.2")
	relayA.getWith(admin+"/login", map[string]string{"X-Forwarded-For": "127.0.0.1"}).want(t, "A does not trust 127.0.0.2", 404)
	relay.getWith(admin+"/login", map[string]string{"X-Forwarded-For": "127.0.0.1, 127.0.0.9"}).want(t, "B: right-most untrusted hop is 127.0.0.9", 404)
	if n := auditCount(t, d, "ip.blocked", ""); n != 4 {
		t.Fatalf("%d blocked requests audited, want 4", n)
	}

	// A list that would shut out the owner's own address needs the box.
	r = owner.post(admin+"/security/ip", url.Values{"allow": {"10.0.0.0/8"}})
	r.want(t, "lock-out without confirmation", 409, `name="confirm"`)
	owner.get(admin+"/").want(t, "owner still allowed", 200)
	owner.post(admin+"/security/ip", url.Values{"allow": {"not-an-address"}}).want(t, "bad list", 422, "読めない行")
	owner.post(admin+"/security/ip", url.Values{"allow": {""}, "deny": {"127.0.0.2"}}).want(t, "deny list", 303)
	relay.get(admin+"/login").want(t, "denied proxy address", 404)
	newClient(t, baseB).get(admin+"/login").want(t, "others still allowed", 200)
	owner.post(admin+"/security/ip", url.Values{"allow": {"10.0.0.0/8"}, "confirm": {"1"}}).want(t, "confirmed lock-out", 303)
	owner.get(admin+"/").want(t, "owner locked out by their own list", 404)
}
