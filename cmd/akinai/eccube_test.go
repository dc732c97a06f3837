package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/eccube/eccubetest"
)

// TestImportEccube_SignInAndOldURLs is the "done when": the dry
// run, the import, then the shop: an imported customer signs in with the
// EC-CUBE password through the real sign-in form, sees their orders on My
// Page, and old EC-CUBE links answer 301 to the same pages.
func TestImportEccube_SignInAndOldURLs(t *testing.T) {
	t.Parallel()
	conn, src := eccubetest.NewMariaDB(t)
	shop := eccubetest.Generate(eccubetest.Size{Products: 30, Customers: 40, Orders: 60})
	images := filepath.Join(t.TempDir(), "save_image")
	if err := eccubetest.Fill(context.Background(), conn, false, shop, images); err != nil {
		t.Fatal(err)
	}
	env := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(env, []byte("APP_ENV=prod\nECCUBE_AUTH_MAGIC="+eccubetest.AuthMagic+"\n"), 0o600)
	cfg := Config{DataDir: t.TempDir()}
	args := []string{"import", "eccube", "--data", cfg.DataDir, "--source", src, "--images", images, "--eccube-env", env}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), append(args, "--dry-run"), nil, &out, &errOut); code != 0 {
		t.Fatalf("dry run: %d %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "dry run (nothing written)") || !strings.Contains(out.String(), "REFUSED") {
		t.Errorf("dry-run report:\n%s", out.String())
	}
	out.Reset()
	if code := run(context.Background(), args, nil, &out, &errOut); code != 0 {
		t.Fatalf("import: %d %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "orders 60/60") {
		t.Errorf("no progress on the terminal:\n%s", errOut.String())
	}
	// A wrong source: one clear line, exit 1.
	errOut.Reset()
	bad := strings.Replace(src, "eccube-pass", "wrong", 1)
	if code := run(context.Background(), []string{"import", "eccube", "--data", cfg.DataDir, "--source", bad}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "wrong user name or password") {
		t.Errorf("bad credentials: %d %q", code, errOut.String())
	}

	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	c := shop.Customers[1] // active, salted HMAC, has orders
	var number string
	if err := d.QueryRow(context.Background(), `SELECT o.number FROM orders o JOIN eccube_map m ON m.kind = 'customer' AND m.new_id = o.customer_id
		WHERE m.old_id = '2' ORDER BY o.id LIMIT 1`).Scan(&number); err != nil {
		t.Fatalf("customer 2 has no imported order: %v", err)
	}
	b := newBuyer(t, base)
	resp, _, _ := b.post(base+"/mypage/login", url.Values{"email": {c.Email}, "password": {"wrong-password-1"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp, _, _ = b.post(base+"/mypage/login", url.Values{"email": {c.Email}, "password": {c.Plain}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with the EC-CUBE password: %d", resp.StatusCode)
	}
	r, err := b.c.Get(base + "/mypage")
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(r)
	if r.StatusCode != http.StatusOK || !strings.Contains(page, number) {
		t.Errorf("My Page (%d) does not list order %s", r.StatusCode, number)
	}
	var hash string
	d.QueryRow(context.Background(), `SELECT password_hash FROM customers WHERE email = ?`, c.Email).Scan(&hash)
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("the legacy hash is still there: %q", hash)
	}

	// Old URLs.
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for from, to := range map[string]string{
		"/products/detail/3":           "/products/3",
		"/products/detail/999999":      "/products",
		"/products/list?category_id=4": "/categories/c4",
		"/products/list?name=緑茶":       "/products?q=%E7%B7%91%E8%8C%B6",
		"/help/tradelaw":               "/pages/tokushoho",
		"/mypage/favorite":             "/mypage/favorites",
		"/mypage/history/" + number:    "/mypage/orders/" + number,
	} {
		r, err := cl.Get(base + from)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != to {
			t.Errorf("%s: %d → %q, want 301 → %q", from, r.StatusCode, r.Header.Get("Location"), to)
		}
	}
	// Paths Akinai serves itself keep their page.
	for _, p := range []string{"/entry", "/contact", "/mypage/login", "/products/3", "/pages/tokushoho"} {
		r, err := cl.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(r)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", p, r.StatusCode)
		}
		if p == "/products/3" && !strings.Contains(body, shop.Products[2].Name) {
			t.Errorf("product 3's page lacks its name")
		}
	}
}
