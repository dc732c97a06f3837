package main

import (
	"net/url"
	"strings"
	"testing"
)

// TestCustomer_NoPersonalDataInLogs runs registration, confirmation,
// failed and successful sign-in, reset and a profile page with the
// server's log captured, and looks for the customer's data and secrets in
// it.
func TestCustomer_NoPersonalDataInLogs(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base, logs := startLoggedShop(t, cfg, nil)
	d := openShopDB(t, cfg)
	email := "secret.person@example.jp"
	c := registerActive(t, base, cfg, email)
	c.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"typo-password-xx"}})
	c.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}})
	c.c.Get(base + "/mypage/profile")
	c.post(base+"/forgot", url.Values{"email": {email}})
	tok := lastLink(t, d, "customer_reset", email)
	c.c.Get(base + "/forgot/reset?token=" + tok)
	out := logs.String()
	if !strings.Contains(out, "/mypage/login") {
		t.Fatal("the access log did not record the requests")
	}
	for _, secret := range []string{email, "secret.person", "佐藤", "花子", "サトウ", "09012345678", "kumo-no-ue", "typo-password", tok} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q", secret)
		}
	}
}
