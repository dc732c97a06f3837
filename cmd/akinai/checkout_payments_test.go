package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/settings"
)

// The checkout offers what the admin's payment settings say, over HTTP:
// a disabled method is neither shown nor accepted when a tampered form
// sends it, a configured fee is charged, and a card key sealed by the
// admin turns cards on in the running shop, without a restart.
func TestCheckoutPaymentSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	secret := []byte("checkout-payments-test-master-secret-0123456789")
	cfg := Config{DataDir: t.TempDir(), Secret: secret}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	vids := seedProduct(t, d, "tea", "standard", []string{"TEA-S"}, []int{5})
	b := newBuyer(t, base)
	if resp, body := b.mustPost(t, base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vids[0])}, "qty": {"2"}}); resp.StatusCode != 303 {
		t.Fatalf("add: %d %.300s", resp.StatusCode, body)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}

	_, body := b.get(t, base+"/checkout")
	if !strings.Contains(body, `value="cod"`) || !strings.Contains(body, `value="bank_transfer"`) || strings.Contains(body, `value="card"`) {
		t.Fatalf("default methods: %.2000s", body)
	}

	exec(`UPDATE payment_methods SET active = ? WHERE code = 'cod'`, false)
	if _, body := b.get(t, base+"/checkout"); strings.Contains(body, `value="cod"`) {
		t.Fatal("disabled COD offered")
	}
	resp, body := b.mustPost(t, base+"/checkout", orderForm("", "cod"))
	if resp.StatusCode != 422 || !strings.Contains(body, "このお支払い方法は現在ご利用いただけません") || !strings.Contains(body, `value="山田"`) {
		t.Fatalf("tampered COD: %d %.3000s", resp.StatusCode, body)
	}
	if n := countRows(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders", n)
	}

	exec(`UPDATE payment_methods SET fee = 220 WHERE code = 'bank_transfer'`)
	resp, body = b.mustPost(t, base+"/checkout", orderForm("", "bank_transfer"))
	if resp.StatusCode != 200 || !strings.Contains(body, "決済手数料") || !strings.Contains(body, "220") {
		t.Fatalf("bank fee on the confirmation: %d %.3000s", resp.StatusCode, body)
	}

	exec(`UPDATE delivery_methods SET active = ? WHERE id = 1`, false)
	if resp, body := b.mustPost(t, base+"/checkout", orderForm("", "bank_transfer")); resp.StatusCode != 422 {
		t.Fatalf("disabled delivery method accepted: %d %.2000s", resp.StatusCode, body)
	}
	exec(`UPDATE delivery_methods SET active = ? WHERE id = 1`, true)

	sealed, err := settings.SealCardKey(secret, "sk_test_SealedInTheAdmin1")
	if err != nil {
		t.Fatal(err)
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		return settings.New(d).Set(ctx, tx, map[string]string{settings.PaymentCardKeySealed: sealed, checkout.StripeURL: "http://127.0.0.1:1"})
	})
	if err != nil {
		t.Fatal(err)
	}
	// The shop's settings cache holds values for 3 s; wait it out.
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, body := b.get(t, base+"/checkout"); strings.Contains(body, `value="card"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a card key set while the shop runs never turned cards on")
		}
		time.Sleep(300 * time.Millisecond)
	}
}
