package main

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// 設定 › 税率: the owner adds a category's and a product's (by SKU) dated
// rate; bad input is refused next to its field with nothing written; the
// page lists both; a rule is deleted; every change is audit-logged.
func TestAdminTaxScoped(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	a := adminPathOf(setup)
	d := openAdminDB(t, pg)
	ctx := context.Background()
	owner, _ := setupOwner(t, base, setup)

	var catID, prodID int64
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		if err := tx.QueryRow(ctx, `INSERT INTO categories (slug, name_ja, created_at, updated_at) VALUES ('tea', '日本茶', ?, ?) RETURNING id`, now, now).Scan(&catID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, created_at, updated_at) VALUES ('sencha', 'public', '煎茶', ?, ?) RETURNING id`, now, now).Scan(&prodID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO variants (product_id, sku, price, created_at, updated_at) VALUES (?, 'SEN-1', 1000, ?, ?)`, prodID, now, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		d.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM category_tax_rules) + (SELECT COUNT(*) FROM product_tax_rules)`).Scan(&n)
		return n
	}

	owner.get(a+"/settings/tax").want(t, "tax page", 200, "tax-scoped-form", "日本茶")
	owner.post(a+"/settings/tax/scoped", url.Values{"scope": {"category"}, "category": {""}, "srate": {"8"}, "sfrom": {"2031-10-01"}}).
		want(t, "no category", 400, "カテゴリを選んでください")
	owner.post(a+"/settings/tax/scoped", url.Values{"scope": {"product"}, "product": {"NOPE-9"}, "srate": {"150"}, "sfrom": {"2031-13-01"}}).
		want(t, "bad product, rate, date", 400, "その商品ID・商品コードの商品はありません", "NOPE-9")
	owner.post(a+"/settings/tax/scoped", url.Values{"scope": {"category"}, "category": {"999999"}, "srate": {"8"}, "sfrom": {"2031-10-01"}}).
		want(t, "deleted category", 400, "削除されています")
	if n := count(); n != 0 {
		t.Fatalf("%d rules written by refused forms", n)
	}
	owner.post(a+"/settings/tax/scoped", url.Values{"scope": {"category"}, "category": {strconv.FormatInt(catID, 10)}, "srate": {"8"}, "sfrom": {"2031-10-01"}}).want(t, "category rule", 303)
	owner.post(a+"/settings/tax/scoped", url.Values{"scope": {"product"}, "product": {"SEN-1"}, "srate": {"6.5"}, "sfrom": {"2020-01-01"}}).want(t, "product rule", 303)
	owner.get(a+"/settings/tax").want(t, "rules listed", 200, "tax-scoped-rules", "日本茶", "煎茶", "6.50%", "2031-10-01", "予約")
	var bp int
	var from time.Time
	if err := d.QueryRow(ctx, `SELECT rate_bp, effective_from FROM category_tax_rules WHERE category_id = ?`, catID).Scan(&bp, &from); err != nil || bp != 800 ||
		!from.Equal(time.Date(2031, 10, 1, 0, 0, 0, 0, time.FixedZone("JST", 9*3600))) {
		t.Fatalf("category rule stored as %d from %s (%v)", bp, from, err)
	}
	owner.post(a+"/settings/tax/scoped/delete", url.Values{"scope": {"product"}, "id": {strconv.FormatInt(prodID, 10)}, "from": {"2020-01-01T00:00:00+09:00"}}).want(t, "delete", 303)
	owner.post(a+"/settings/tax/scoped/delete", url.Values{"scope": {"product"}, "id": {strconv.FormatInt(prodID, 10)}, "from": {"2020-01-01T00:00:00+09:00"}}).want(t, "delete again", 404)
	if n := count(); n != 1 {
		t.Fatalf("%d rules left, want the category's", n)
	}
	if auditCount(t, d, "settings.tax_scoped", "owner@example.jp") != 2 || auditCount(t, d, "settings.tax_scoped_delete", "owner@example.jp") != 1 {
		t.Fatal("rule changes not audit-logged")
	}
}
