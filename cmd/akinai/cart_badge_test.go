package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

var badgeRe = regexp.MustCompile(`<span class="badge">(\d+)</span>`)

// badgeOn returns the cart badge on a page ("" for none).
func badgeOn(t *testing.T, b *buyer, u string) string {
	t.Helper()
	resp, body := b.get(t, u)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d", u, resp.StatusCode)
	}
	if m := badgeRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// badgeWith returns the badge a request with exactly these cookies gets.
func badgeWith(t *testing.T, u, cookie string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := badgeRe.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// The badge on shared storefront pages follows every change the visitor
// makes to the cart, from the count cookie the change sets; a browser
// without that cookie (or with a broken one) is counted in the database,
// and another visitor never sees it.
func TestCartBadgeFollowsTheCart(t *testing.T) {
	t.Parallel()
	base, _, b, vids := checkoutShop(t, "")
	pages := []string{base + "/", base + "/products/tea", base + "/cart"}
	u, _ := url.Parse(base)
	jar := func(name string) string {
		for _, c := range b.c.Jar.Cookies(u) {
			if c.Name == name {
				return c.Value
			}
		}
		return ""
	}
	check := func(step, want string) {
		t.Helper()
		// The change itself set the browser's count: pages need no query.
		if n := jar("cart_n"); n != want && !(want == "" && n == "0") {
			t.Errorf("%s: count cookie %q, want %q", step, n, want)
		}
		for _, u := range pages {
			if got := badgeOn(t, b, u); got != want {
				t.Errorf("%s: badge on %s = %q, want %q", step, u, got, want)
			}
		}
	}
	check("after adding 2", "2")
	if got := badgeOn(t, newBuyer(t, base), base+"/products/tea"); got != "" {
		t.Errorf("another visitor sees badge %q", got)
	}

	if resp, body := b.mustPost(t, base+"/cart/update", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"3"}}); resp.StatusCode != 303 {
		t.Fatalf("update: %d %.300s", resp.StatusCode, body)
	}
	check("after setting 3", "3")
	if resp, body := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[1])}, "qty": {"4"}}); resp.StatusCode != 303 {
		t.Fatalf("add: %d %.300s", resp.StatusCode, body)
	}
	check("after adding 4 of another variant", "7")

	// Without the count cookie, or with one that is not a count, the
	// database answers.
	token := jar("cart")
	if token == "" {
		t.Fatal("no cart cookie")
	}
	for _, cookie := range []string{"cart=" + token, "cart=" + token + "; cart_n=x1", "cart=" + token + "; cart_n=-5"} {
		if got := badgeWith(t, base+"/products/tea", cookie); got != "7" {
			t.Errorf("Cookie %q: badge %q, want 7 from the database", cookie, got)
		}
	}
	if got := badgeWith(t, base+"/products/tea", "cart="+token+"; cart_n=12"); got != "12" {
		t.Errorf("badge %q: the count cookie is not what the page shows", got)
	}
	if got := badgeWith(t, base+"/products/tea", "cart_n=9"); got != "" {
		t.Errorf("a count cookie without a cart shows badge %q", got)
	}

	if resp, body := b.mustPost(t, base+"/cart/remove", url.Values{"variant_id": {fmt.Sprint(vids[1])}}); resp.StatusCode != 303 {
		t.Fatalf("remove: %d %.300s", resp.StatusCode, body)
	}
	check("after removing the 4", "3")

	// Placing the order empties the cart, and the badge.
	resp, body := b.mustPost(t, base+"/checkout", orderForm("", "cod"))
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || key == nil {
		t.Fatalf("confirm: %d %.300s", resp.StatusCode, body)
	}
	if resp, _ := b.mustPost(t, base+"/checkout/place", orderForm(key[1], "cod")); resp.StatusCode != 303 {
		t.Fatalf("place: %d", resp.StatusCode)
	}
	check("after placing the order", "")
}
