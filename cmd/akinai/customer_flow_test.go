package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
)

// customerForm is a complete, valid registration form.
func customerForm(email string) url.Values {
	return url.Values{
		"email": {email}, "password": {"kumo-no-ue-de-odoru"}, "password2": {"kumo-no-ue-de-odoru"},
		"family_name": {"佐藤"}, "given_name": {"花子"}, "family_kana": {"さとう"}, "given_kana": {"ハナコ"},
		"phone": {"090-1234-5678"}, "postal_code": {"100-0001"}, "pref": {"13"}, "city": {"千代田区千代田"}, "address1": {"1-1"},
		"terms": {"1"},
	}
}

var linkRe = regexp.MustCompile(`(http://[^\s]+token=[A-Za-z0-9_%-]+)`)

// lastLink returns the link in the newest outbox mail of event to addr.
func lastLink(t testing.TB, d *db.DB, event, addr string) string {
	t.Helper()
	var body string
	err := d.QueryRow(context.Background(), `SELECT body_text FROM outbox WHERE event = ? AND to_addr = ? ORDER BY id DESC LIMIT 1`, event, addr).Scan(&body)
	if err != nil {
		t.Fatalf("no %s mail to %s: %v", event, addr, err)
	}
	m := linkRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link in %s mail:\n%s", event, body)
	}
	u, _ := url.Parse(m[1])
	return u.Query().Get("token")
}

func mailCount(t *testing.T, d *db.DB, event, addr string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM outbox WHERE event = ? AND to_addr = ?`, event, addr).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCustomer_RegisterConfirmSignInReset walks the account life cycle over
// HTTP against the real server, with the bad inputs along the way.
func TestCustomer_RegisterConfirmSignInReset(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir()}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	b := newBuyer(t, base)
	email := "hanako@example.jp"

	// Bad input first: nothing is stored.
	bad := customerForm(email)
	bad.Set("password", "password1234")
	bad.Set("password2", "password1234")
	bad.Set("family_kana", "佐藤")
	bad.Del("terms")
	resp, body, err := b.post(base+"/entry", bad)
	if err != nil || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad registration: %v %v", resp.StatusCode, err)
	}
	for _, want := range []string{"よく使われる", "カタカナで", "利用規約への同意", `value="hanako@example.jp"`} {
		if !strings.Contains(body, want) {
			t.Errorf("bad registration page lacks %q", want)
		}
	}
	var n int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM customers`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d customers after a refused registration", n)
	}

	resp, body, err = b.post(base+"/entry", customerForm(email))
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="sent"`) {
		t.Fatalf("registration: %v %v", resp.StatusCode, err)
	}
	sentPage := body
	tok := lastLink(t, d, "customer_confirm", email)

	// Not usable before confirmation.
	resp, _, _ = b.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sign-in before confirmation: %d", resp.StatusCode)
	}
	// A tampered token is refused and changes nothing.
	resp, _, _ = b.post(base+"/entry/confirm", url.Values{"token": {tok[:42] + "x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("tampered confirmation: %d", resp.StatusCode)
	}
	// The GET page does not use the link.
	if r, _ := b.c.Get(base + "/entry/confirm?token=" + tok); r.StatusCode != http.StatusOK {
		t.Fatalf("confirm page: %d", r.StatusCode)
	}
	resp, _, _ = b.post(base+"/entry/confirm", url.Values{"token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmation: %d", resp.StatusCode)
	}
	// Reused link.
	resp, body, _ = b.post(base+"/entry/confirm", url.Values{"token": {tok}})
	if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, "このリンクは無効です") {
		t.Fatalf("reused confirmation: %d", resp.StatusCode)
	}

	// A second registration with the same address: the same page, nothing
	// changed, and the owner is told.
	again := customerForm(email)
	again.Set("family_name", "攻撃")
	resp, body, _ = b.post(base+"/entry", again)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="sent"`) || stripTokens(body) != stripTokens(sentPage) {
		t.Fatalf("duplicate registration differs from a new one (%d)", resp.StatusCode)
	}
	if mailCount(t, d, "customer_exists", email) != 1 {
		t.Fatal("no notice to the owner of the address")
	}
	var fam string
	d.QueryRow(context.Background(), `SELECT family_name FROM customers WHERE email_key = ?`, email).Scan(&fam)
	if fam != "佐藤" {
		t.Fatalf("duplicate registration changed the name to %q", fam)
	}

	// Wrong password and unknown address: the same answer.
	resp, body1, _ := b.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"wrong-password-here"}})
	resp2, body2, _ := b.post(base+"/mypage/login", url.Values{"email": {"nobody@example.jp"}, "password": {"wrong-password-here"}})
	if resp.StatusCode != http.StatusUnauthorized || resp2.StatusCode != http.StatusUnauthorized ||
		stripTokens(body1) != strings.Replace(stripTokens(body2), "nobody@example.jp", email, 1) {
		t.Fatalf("sign-in failures differ: %d %d", resp.StatusCode, resp2.StatusCode)
	}

	resp, _, _ = b.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}, "remember": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mypage" {
		t.Fatalf("sign-in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	r, _ := b.c.Get(base + "/mypage")
	page := readAll(r)
	if r.StatusCode != http.StatusOK || !strings.Contains(page, "佐藤 花子") {
		t.Fatalf("My Page: %d", r.StatusCode)
	}

	// Password reset: a second browser signed in is signed out by it.
	other := newBuyer(t, base)
	if resp, _, _ := other.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("second sign-in failed")
	}
	guest := newBuyer(t, base)
	guest.post(base+"/forgot", url.Values{"email": {"nobody@example.jp"}})
	resp, body, _ = guest.post(base+"/forgot", url.Values{"email": {email}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "再設定用のリンクを送信しました") {
		t.Fatalf("forgot: %d", resp.StatusCode)
	}
	rt := lastLink(t, d, "customer_reset", email)
	resp, body, _ = guest.post(base+"/forgot/reset", url.Values{"token": {rt}, "password": {"hanako12345678"}, "password2": {"hanako12345678"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `class="field-error"`) {
		t.Fatalf("weak reset password: %d", resp.StatusCode)
	}
	resp, _, _ = guest.post(base+"/forgot/reset", url.Values{"token": {rt}, "password": {"aozora-ni-tobu-kujira"}, "password2": {"aozora-ni-tobu-kujira"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	resp, _, _ = guest.post(base+"/forgot/reset", url.Values{"token": {rt}, "password": {"sora-ni-ukabu-shima"}, "password2": {"sora-ni-ukabu-shima"}})
	if resp.StatusCode == http.StatusSeeOther {
		t.Fatal("reset link worked twice")
	}
	if r, _ := other.c.Get(base + "/mypage"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("other session survived the reset: %d", r.StatusCode)
	}
	if mailCount(t, d, "customer_password_changed", email) != 1 {
		t.Fatal("no password-change notice")
	}
	if resp, _, _ := guest.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"aozora-ni-tobu-kujira"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("sign-in with the new password failed")
	}
}

var tokenAttr = regexp.MustCompile(`(value|content)="[A-Za-z0-9_\-.:]{20,}"|nonce-[^"';]+|[0-9a-f]{16,}`)

// stripTokens removes per-request values (CSRF tokens, IDs) from a page.
func stripTokens(s string) string { return tokenAttr.ReplaceAllString(s, "") }

func readAll(r *http.Response) string {
	defer r.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
