package main

import (
	"net/url"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/throttle"
)

// A password lock-out must not lock the owner out. A guesser's failures
// lock the account for unknown networks (the guesser stays throttled), but
// not for the networks the owner signed in from before, nor for the other
// allow-listed networks. (That a passkey signs in during a lock-out is
// shown in Chromium by TestAdmin_PasskeyAndRelay.) On both engines: the
// counters live in the database.
func TestAdmin_LockOutSparesTheOwnersNetworks(t *testing.T) {
	t.Parallel()
	// Long blocks, so no assertion depends on the machine's speed: the
	// third failure locks for an hour.
	policy := throttle.Policy{Free: 2, Base: time.Hour, Max: time.Hour, LockAfter: 3, LockFor: time.Hour, Forget: 24 * time.Hour}
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			dbURL := func() string {
				if engine == dbtest.Postgres {
					return dbtest.NewPostgresDatabase(t)
				}
				return ""
			}
			t.Run("previously used network", func(t *testing.T) {
				t.Parallel()
				base, logs := startLoggedShop(t, Config{DatabaseURL: dbURL(), adminSignIn: policy}, nil)
				setup := setupPath(t, logs)
				admin := adminPathOf(setup)
				_, secret := setupOwner(t, base, setup)
				// A complete sign-in from 127.0.0.1 makes 127.0.0.0/24 known.
				home := newClientFrom(t, base, "127.0.0.1")
				passwordStep(t, home, admin, ownerPassword, 303)
				home.get(admin + "/login/2fa")
				home.post(admin+"/login/totp", url.Values{"code": {totp(t, secret, 1)}}).want(t, "TOTP at home", 303)

				guess(t, base, "127.0.9.9", admin, 3)
				passwordStep(t, newClientFrom(t, base, "127.0.9.9"), admin, ownerPassword, 429)
				// Any other unknown network: the account stays locked there.
				passwordStep(t, newClientFrom(t, base, "127.0.8.8"), admin, ownerPassword, 429)
				// The owner's network is not locked out.
				passwordStep(t, newClientFrom(t, base, "127.0.0.7"), admin, ownerPassword, 303)
				// A guesser inside the owner's network is throttled there too.
				guess(t, base, "127.0.0.9", admin, 3)
				passwordStep(t, newClientFrom(t, base, "127.0.0.10"), admin, ownerPassword, 429)
			})
			t.Run("allow-listed network", func(t *testing.T) {
				t.Parallel()
				base, logs := startLoggedShop(t, Config{DatabaseURL: dbURL(), adminSignIn: policy, AdminAllow: "127.0.0.0/24, 127.0.1.0/24, 127.0.2.0/24"}, nil)
				setup := setupPath(t, logs)
				admin := adminPathOf(setup)
				setupOwner(t, base, setup)
				guess(t, base, "127.0.1.9", admin, 3)
				passwordStep(t, newClientFrom(t, base, "127.0.1.10"), admin, ownerPassword, 429)
				// The other office (never signed in from before) is open.
				passwordStep(t, newClientFrom(t, base, "127.0.2.7"), admin, ownerPassword, 303)
			})
		})
	}
}

// guess sends n wrong passwords for the owner from address from.
func guess(t *testing.T, base, from, admin string, n int) {
	t.Helper()
	g := newClientFrom(t, base, from)
	for i := range n {
		passwordStep(t, g, admin, "not-the-password-"+string(rune('a'+i)), 401)
	}
}

// passwordStep posts the owner's email and password and wants status.
func passwordStep(t *testing.T, c *client, admin, password string, status int) {
	t.Helper()
	c.get(admin+"/login").want(t, "login page", 200)
	c.post(admin+"/login", url.Values{"email": {"owner@example.jp"}, "password": {password}}).want(t, "password step", status)
}
