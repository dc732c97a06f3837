package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"

	"github.com/akinai/akinai/internal/db"
)

// openShopDB opens the database a started shop uses, to seed and inspect.
func openShopDB(t testing.TB, cfg Config) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), db.Config{URL: cfg.DatabaseURL, Path: cfg.SQLitePath()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// seedProduct adds a public product with the given variants (SKU → stock,
// -1 for unlimited) at ¥1,000 excl. tax and returns the variant IDs.
func seedProduct(t testing.TB, d *db.DB, slug, class string, skus []string, stocks []int) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var pid int64
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, name_en, tax_class, created_at, updated_at)
			VALUES (?, 'public', ?, ?, ?, ?, ?) RETURNING id`, slug, "テスト商品 "+slug, "Test product "+slug, class, now, now).Scan(&pid); err != nil {
			return err
		}
		for i, sku := range skus {
			var stock any
			if stocks[i] >= 0 {
				stock = stocks[i]
			}
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, price, stock, lead_days, sort_order, created_at, updated_at)
				VALUES (?, ?, 1000, ?, 1, ?, ?, ?) RETURNING id`, pid, sku, stock, i, now, now).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

var csrfRe = regexp.MustCompile(`name="csrf(?:-token)?" (?:value|content)="([^"]+)"`)

// buyer is a browser-like client with its own cookies.
type buyer struct {
	c    *http.Client
	csrf string
}

func newBuyer(t testing.TB, base string) *buyer {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	// Own transport, idle connections closed before the shop stops, so
	// its graceful shutdown does not wait for them.
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	b := &buyer{c: &http.Client{Transport: tr, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	resp, err := b.c.Get(base + "/cart")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on /cart (status %d)", resp.StatusCode)
	}
	b.csrf = string(m[1])
	return b
}

func (b *buyer) post(u string, v url.Values) (*http.Response, string, error) {
	v.Set("csrf", b.csrf)
	resp, err := b.c.PostForm(u, v)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body), nil
}

// copyJar points another server's URL at the same cookies (the second
// instance of a two-instance shop behind one domain).
func (b *buyer) copyCookies(from, to string) {
	fu, _ := url.Parse(from)
	tu, _ := url.Parse(to)
	b.c.Jar.SetCookies(tu, b.c.Jar.Cookies(fu))
}

// orderForm is a complete, valid checkout form.
func orderForm(key, payment string) url.Values {
	return url.Values{
		"family_name": {"山田"}, "given_name": {"太郎"}, "family_kana": {"ヤマダ"}, "given_kana": {"タロウ"},
		"email": {"taro@example.jp"}, "email2": {"taro@example.jp"}, "phone": {"03-1234-5678"},
		"postal_code": {"100-0001"}, "pref": {"13"}, "city": {"千代田区千代田"}, "address1": {"1-1"},
		"method": {"1"}, "payment": {payment}, "key": {key},
	}
}
