// Package ordertest makes the rows tests of features built on orders
// need (reviews, recommendations, edits, refunds): a product with one
// variant, its stock, an active customer, an order placed through
// order.Create.
package ordertest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/order"
)

var seq atomic.Int64

// Product adds a public product with one variant at ¥1,000 excluding tax
// and returns the product's and the variant's IDs.
func Product(tb testing.TB, d *db.DB, slug string) (productID, variantID int64) {
	tb.Helper()
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, created_at, updated_at) VALUES (?, 'public', ?, ?, ?) RETURNING id`,
			slug, "商品 "+slug, now, now).Scan(&productID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, price, created_at, updated_at) VALUES (?, ?, 1000, ?, ?) RETURNING id`,
			productID, strings.ToUpper(slug), now, now).Scan(&variantID)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return productID, variantID
}

// Customer adds an active customer and returns the ID.
func Customer(tb testing.TB, d *db.DB) int64 {
	tb.Helper()
	ctx := context.Background()
	var id int64
	email := fmt.Sprintf("c%d@example.jp", seq.Add(1))
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		return tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?) RETURNING id`,
			email, email, now, now, now).Scan(&id)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// Place places an order in status for the customer (0 for a guest) with
// one of each product (product ID → variant ID) and returns its ID.
func Place(tb testing.TB, d *db.DB, customerID int64, status order.Status, lines map[int64]int64) int64 {
	tb.Helper()
	addr := order.Address{FamilyName: "山田", GivenName: "花子", FamilyKana: "ヤマダ", GivenKana: "ハナコ", Phone: "0312345678", PostalCode: "1000001", Pref: 13, City: "千代田区", Address1: "1-1"}
	o := &order.Order{IdempotencyKey: fmt.Sprintf("ot-%d-%d", seq.Add(1), customerID), Status: status, Lang: "ja", Email: "buyer@example.jp",
		Buyer: addr, Ship: addr, DeliveryMethod: 1, PaymentMethod: order.COD, Subtotal: 1100, Total: 1100,
		Rates: []order.RateTotal{{Rate: 1000, Total: 1100, Tax: 100}}}
	if customerID != 0 {
		o.CustomerID = &customerID
	}
	for pid, vid := range lines {
		o.Lines = append(o.Lines, order.Line{ProductID: pid, VariantID: vid, NameJA: "商品", SKU: fmt.Sprint("S", vid), UnitPrice: 1100, Rate: 1000, Qty: 1})
	}
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return order.Create(context.Background(), tx, o) }); err != nil {
		tb.Fatal(err)
	}
	return o.ID
}

// Variant adds a public product of tax class with one variant priced
// ¥1,000 before tax and stock units (negative: unlimited), and returns the
// variant's ID.
func Variant(tb testing.TB, d *db.DB, sku, class string, stock int) int64 {
	tb.Helper()
	ctx := context.Background()
	var st any
	if stock >= 0 {
		st = stock
	}
	var id int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var pid int64
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, tax_class, created_at, updated_at) VALUES (?, 'public', ?, ?, ?, ?) RETURNING id`,
			sku, "商品"+sku, class, tx.Now(), tx.Now()).Scan(&pid); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO variants (product_id, sku, price, stock, created_at, updated_at) VALUES (?, ?, 1000, ?, ?, ?) RETURNING id`,
			pid, sku, st, tx.Now(), tx.Now()).Scan(&id)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// Stock returns a variant's stock.
func Stock(tb testing.TB, d *db.DB, variantID int64) int {
	tb.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT stock FROM variants WHERE id = ?`, variantID).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
