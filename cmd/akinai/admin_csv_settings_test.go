package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// 設定 › CSV出力項目設定 lists every CSV export the admin offers; the
// columns, order and headings saved for one type shape that export (and
// no other); reset brings every column back; changes are audit-logged.
func TestAdminCSVSettings(t *testing.T) {
	t.Parallel()
	pg := dbtest.NewPostgresDatabase(t)
	base, logs := startLoggedShop(t, Config{DatabaseURL: pg}, nil)
	setup := setupPath(t, logs)
	a := adminPathOf(setup)
	d := openAdminDB(t, pg)
	ctx := context.Background()
	owner, _ := setupOwner(t, base, setup)
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, status, name_ja, created_at, updated_at) VALUES ('sencha', 'public', '煎茶', ?, ?) RETURNING id`, now, now).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO variants (product_id, sku, price, created_at, updated_at) VALUES (?, 'SEN-1', 1200, ?, ?)`, id, now, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	types := []string{"product", "category", "order", "line", "shipment", "customer", "report_period", "report_breakdown", "audit", "login"}
	idx := owner.get(a + "/settings/csv")
	idx.want(t, "index", 200, "商品CSV（規格ごと）", "会員CSV", "ログイン履歴CSV", "ヤマトB2クラウド")
	for _, typ := range types {
		if !strings.Contains(idx.body, "/settings/csv?type="+typ) {
			t.Errorf("index does not offer %s", typ)
		}
	}
	owner.get(a+"/settings/csv?type=nope").want(t, "unknown type", 404)
	owner.get(a+"/settings/csv?type=product").want(t, "product form", 200, `name="include_sku"`, "import-warning")
	owner.post(a+"/settings/csv?type=product", url.Values{"include_sku": {"1"}, "heading_sku": {strings.Repeat("長", 51)}}).want(t, "bad heading", 422, "50文字以内")
	owner.post(a+"/settings/csv?type=product", url.Values{"pos_sku": {"1"}}).want(t, "nothing ticked", 422, "少なくとも1つ")

	// One export per type, each saved with two columns swapped and renamed.
	for _, tc := range []struct {
		typ, url      string
		first, second string // keys: the second is exported first
	}{
		{"product", "/catalog-csv/products.csv", "sku", "price"},
		{"category", "/catalog-csv/categories.csv", "slug", "name_ja"},
		{"order", "/orders.csv?type=order", "number", "total"},
		{"customer", "/customers.csv", "email", "family_name"},
		{"report_breakdown", "/reports.csv?kind=category&from=2026-11-01&to=2026-11-30", "item", "amount"},
		{"report_period", "/reports.csv?kind=period&unit=day&from=2026-11-01&to=2026-11-02", "period", "amount"},
		{"audit", "/audit.csv", "action", "id"},
		{"login", "/system/logins.csv", "at", "result"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			owner.post(a+"/settings/csv?type="+tc.typ, url.Values{"include_" + tc.first: {"1"}, "pos_" + tc.first: {"2"}, "heading_" + tc.first: {"一" + tc.typ},
				"include_" + tc.second: {"1"}, "pos_" + tc.second: {"1"}, "heading_" + tc.second: {"二" + tc.typ}}).want(t, "save", 303)
			r := owner.get(a + tc.url)
			r.want(t, "export", 200)
			rd, err := csvfile.NewReader(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := rd.ReadAll()
			if err != nil || len(recs) == 0 || strings.Join(recs[0], ",") != "二"+tc.typ+",一"+tc.typ {
				t.Fatalf("export %s: %q %v", tc.url, recs, err)
			}
			for _, rec := range recs {
				if len(rec) != 2 {
					t.Fatalf("row with %d cells: %q", len(rec), rec)
				}
			}
			if tc.typ == "product" && (len(recs) != 2 || recs[1][0] != "1200" || recs[1][1] != "SEN-1") {
				t.Fatalf("product row: %q", recs)
			}
		})
	}
	// The other order exports keep every column.
	r := owner.get(a + "/orders.csv?type=line")
	if head, _, _ := strings.Cut(strings.TrimPrefix(r.body, "\uFEFF"), "\r\n"); strings.Count(head, ",") < 10 {
		t.Fatalf("per-line export lost its columns: %q", head)
	}
	owner.post(a+"/settings/csv?type=product", url.Values{"reset": {"1"}}).want(t, "reset", 303)
	r = owner.get(a + "/catalog-csv/products.csv")
	if !strings.HasPrefix(strings.TrimPrefix(r.body, "\uFEFF"), "product_slug,status,name_ja") {
		t.Fatalf("after reset: %.80q", r.body)
	}
	if n := auditCount(t, d, "settings.csv_columns", "owner@example.jp"); n != 9 {
		t.Fatalf("%d column changes audited, want 9", n)
	}
}
