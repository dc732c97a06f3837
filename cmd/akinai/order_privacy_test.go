package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// secretOrder is an order form whose personal data the privacy test looks
// for in every page a stranger gets.
func secretOrder(email string) url.Values {
	v := orderForm(cart.NewToken(), "bank_transfer")
	v.Set("family_name", "秘密")
	v.Set("given_name", "花子")
	v.Set("email", email)
	v.Set("email2", email)
	v.Set("phone", "03-9876-5432")
	v.Set("city", "千代田区隠れ里")
	v.Set("address1", "9-9-9")
	return v
}

// personal is what must not reach anyone but the buyer.
var personal = []string{"秘密", "花子", "@example.jp", "0398765432", "03-9876-5432", "隠れ里", "9-9-9", "別荘", "4-4-4"}

// leaks fails the test when body holds any of the personal data.
func leaks(t *testing.T, what, body string) {
	t.Helper()
	for _, s := range personal {
		if strings.Contains(body, s) {
			t.Errorf("%s: the page shows %q", what, s)
		}
	}
}

// TestOrderPrivacy: every page that takes an order number or an ID in its
// path or query shows nothing and changes nothing for a second visitor
// (no session) and for a second signed-in customer, on both engines. The
// completion page and the registration prefill answer a stranger exactly
// as for an unknown order.
func TestOrderPrivacy(t *testing.T) {
	t.Parallel()
	onBothEngines(t, testOrderPrivacy)
}

// onBothEngines runs fn in parallel subtests with a fresh shop
// configuration on SQLite and on PostgreSQL.
func onBothEngines(t *testing.T, fn func(*testing.T, Config)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			cfg := Config{DataDir: t.TempDir()}
			if engine == "postgres" {
				cfg.DatabaseURL = dbtest.NewPostgresDatabase(t)
			}
			fn(t, cfg)
		})
	}
}

func testOrderPrivacy(t *testing.T, cfg Config) {
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	vids := seedProduct(t, d, "gyokuro", "reduced", []string{"GYO-1"}, []int{50})
	var productID int64
	d.QueryRow(ctx, `SELECT product_id FROM variants WHERE id = ?`, vids[0]).Scan(&productID)
	get := func(b *buyer, path string) (int, string) {
		t.Helper()
		r, err := b.c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		return r.StatusCode, readAll(r)
	}
	place := func(b *buyer, email string) string {
		t.Helper()
		b.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"1"}})
		resp, body, _ := b.post(base+"/checkout/place", secretOrder(email))
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/checkout/done/") {
			t.Fatalf("place: %d %.300s", resp.StatusCode, body)
		}
		return strings.TrimPrefix(resp.Header.Get("Location"), "/checkout/done/")
	}

	// A guest order: its browser sees the completion page and the prefill.
	guest := newBuyer(t, base)
	guestOrder := place(guest, "guest@example.jp")
	if st, body := get(guest, "/checkout/done/"+guestOrder); st != 200 || !strings.Contains(body, "guest@example.jp") || !strings.Contains(body, "隠れ里") {
		t.Fatalf("the buyer's completion page: %d", st)
	}
	if st, body := get(guest, "/entry?order="+guestOrder); st != 200 || !strings.Contains(body, `value="guest@example.jp"`) {
		t.Fatalf("the buyer's registration prefill: %d", st)
	}

	// Customer A: an order, a saved address, a favourite, a passkey.
	a := registerActive(t, base, cfg, "owner-a@example.jp")
	signIn(t, base, a, "owner-a@example.jp")
	aOrder := place(a, "owner-a@example.jp")
	if st, body := get(a, "/mypage/orders/"+aOrder); st != 200 || !strings.Contains(body, "隠れ里") {
		t.Fatalf("A's own order detail: %d", st)
	}
	addr := url.Values{"family_name": {"秘密"}, "given_name": {"別荘"}, "family_kana": {"ヒミツ"}, "given_kana": {"ベッソウ"},
		"phone": {"03-9876-5432"}, "postal_code": {"100-0001"}, "pref": {"13"}, "city": {"千代田区隠れ里"}, "address1": {"4-4-4"}}
	if resp, _, _ := a.post(base+"/mypage/addresses", addr); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("A saves an address: %d", resp.StatusCode)
	}
	a.post(base+"/mypage/favorites/"+fmt.Sprint(productID), url.Values{})
	var aID, addrID, passkeyID int64
	var aSession string
	d.QueryRow(ctx, `SELECT id FROM customers WHERE email = ?`, "owner-a@example.jp").Scan(&aID)
	d.QueryRow(ctx, `SELECT id FROM customer_addresses WHERE customer_id = ?`, aID).Scan(&addrID)
	d.QueryRow(ctx, `SELECT id_hash FROM customer_sessions WHERE customer_id = ? AND kind = 'session'`, aID).Scan(&aSession)
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO customer_passkeys (customer_id, credential_id, name, credential, created_at)
			VALUES (?, 'cred-a', 'A の鍵', '{}', ?) RETURNING id`, aID, tx.Now()).Scan(&passkeyID)
	}); err != nil {
		t.Fatal(err)
	}
	if addrID == 0 || aSession == "" || countRows(t, d, `SELECT COUNT(*) FROM customer_favorites`) != 1 {
		t.Fatalf("A's data: address %d, session %q", addrID, aSession)
	}

	// Customer B, signed in, and a visitor with no session at all.
	b := registerActive(t, base, cfg, "other-b@example.jp")
	signIn(t, base, b, "other-b@example.jp")
	stranger := newBuyer(t, base)

	// The completion page and the prefill: exactly as for an unknown order.
	for name, who := range map[string]*buyer{"visitor": stranger, "customer B": b, "guest (other order)": guest} {
		const unknown = "261231-ZZZZZZ"
		get(who, "/cart") // shows (and so ends) a pending flash message
		_, unknownDone := get(who, "/checkout/done/"+unknown)
		_, unknownEntry := get(who, "/entry?order="+unknown)
		for _, n := range []string{guestOrder, aOrder} {
			if who == guest && n == guestOrder {
				continue
			}
			// The pages differ only in the number itself (the language
			// switch links to the same path).
			st, body := get(who, "/checkout/done/"+n)
			if st != http.StatusNotFound || strings.ReplaceAll(body, n, unknown) != unknownDone {
				t.Errorf("%s, completion page of %s: %d, differs from an unknown order's", name, n, st)
			}
			leaks(t, name+" /checkout/done", body)
			st, body = get(who, "/entry?order="+n)
			if st != 200 || strings.ReplaceAll(body, n, unknown) != unknownEntry {
				t.Errorf("%s, registration prefill from %s: %d, differs from an unknown order's", name, n, st)
			}
			leaks(t, name+" /entry?order=", body)
		}
	}

	// My Page with A's order number and A's IDs.
	reads := []string{"/mypage/orders/" + aOrder, "/mypage/orders/" + guestOrder, fmt.Sprintf("/mypage/addresses/%d/edit", addrID)}
	for _, p := range reads {
		if st, body := get(b, p); st != http.StatusNotFound {
			t.Errorf("customer B, GET %s: %d", p, st)
		} else {
			leaks(t, "customer B "+p, body)
		}
		if st, body := get(stranger, p); st != http.StatusSeeOther {
			t.Errorf("visitor, GET %s: %d", p, st)
		} else {
			leaks(t, "visitor "+p, body)
		}
	}
	changed := url.Values{"family_name": {"改竄"}, "given_name": {"太郎"}, "family_kana": {"カイザン"}, "given_kana": {"タロウ"},
		"phone": {"03-1111-2222"}, "postal_code": {"100-0001"}, "pref": {"13"}, "city": {"千代田区"}, "address1": {"1-1"}}
	writes := []struct {
		path string
		form url.Values
	}{
		{"/mypage/orders/" + aOrder + "/reorder", url.Values{}},
		{fmt.Sprintf("/mypage/addresses/%d", addrID), changed},
		{fmt.Sprintf("/mypage/addresses/%d/delete", addrID), url.Values{}},
		{fmt.Sprintf("/mypage/passkeys/%d/delete", passkeyID), url.Values{}},
		{"/mypage/sessions/end-one", url.Values{"id": {aSession}}},
	}
	for _, wr := range writes {
		resp, body, _ := b.post(base+wr.path, wr.form)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("customer B, POST %s: %d", wr.path, resp.StatusCode)
		}
		leaks(t, "customer B POST "+wr.path, body)
		resp, body, _ = stranger.post(base+wr.path, wr.form)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/mypage/login") {
			t.Errorf("visitor, POST %s: %d %s", wr.path, resp.StatusCode, resp.Header.Get("Location"))
		}
		leaks(t, "visitor POST "+wr.path, body)
	}
	// B removing "its" favourite of the same product leaves A's alone.
	b.post(base+"/mypage/favorites/"+fmt.Sprint(productID)+"/delete", url.Values{})
	stranger.post(base+"/mypage/favorites/"+fmt.Sprint(productID)+"/delete", url.Values{})

	// Nothing of A's changed, and B's cart got nothing from A's order.
	var family string
	d.QueryRow(ctx, `SELECT family_name FROM customer_addresses WHERE id = ?`, addrID).Scan(&family)
	if family != "秘密" {
		t.Errorf("A's address now has family name %q", family)
	}
	for q, want := range map[string]int{
		`SELECT COUNT(*) FROM customer_passkeys WHERE customer_id = ` + fmt.Sprint(aID):                                  1,
		`SELECT COUNT(*) FROM customer_favorites WHERE customer_id = ` + fmt.Sprint(aID):                                 1,
		`SELECT COUNT(*) FROM customer_sessions WHERE id_hash = '` + aSession + `'`:                                      1,
		`SELECT COUNT(*) FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.customer_id <> ` + fmt.Sprint(aID): 0,
	} {
		if n := countRows(t, d, q); n != want {
			t.Errorf("%s: %d, want %d", q, n, want)
		}
	}
	if st, _ := get(a, "/mypage"); st != 200 {
		t.Errorf("A was signed out by B: %d", st)
	}
	// A's browser sees its completion page until A signs out.
	if st, _ := get(a, "/checkout/done/"+aOrder); st != 200 {
		t.Errorf("A's own completion page: %d", st)
	}
	a.post(base+"/mypage/logout", url.Values{})
	if st, body := get(a, "/checkout/done/"+aOrder); st != http.StatusNotFound {
		t.Errorf("A's completion page after signing out: %d", st)
	} else {
		leaks(t, "after sign-out", body)
	}
	// B's own pages hold nothing of A's.
	for _, p := range []string{"/mypage", "/mypage/addresses", "/mypage/favorites", "/mypage/sessions", "/mypage/profile", "/mypage/export.json"} {
		st, body := get(b, p)
		if st != 200 {
			t.Errorf("customer B, own %s: %d", p, st)
		}
		for _, s := range []string{aOrder, guestOrder, "隠れ里", "owner-a", "A の鍵"} {
			if strings.Contains(body, s) {
				t.Errorf("customer B's %s shows %q", p, s)
			}
		}
	}
}

// signIn signs a registered customer in with the test password.
func signIn(t *testing.T, base string, c *buyer, email string) {
	t.Helper()
	if resp, _, _ := c.post(base+"/mypage/login", url.Values{"email": {email}, "password": {"kumo-no-ue-de-odoru"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d", email, resp.StatusCode)
	}
}
