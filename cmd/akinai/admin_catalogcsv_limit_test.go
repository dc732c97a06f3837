package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestAdminCatalogCSVLimits sends files over the operator's upload limit
// (the attack's 40 MB one-line file, and one just over the limit) and an
// EUC-JP file: clear, localised refusals with 413 and nothing kept, and
// the EUC-JP file checked as Japanese text instead of mojibake.
func TestAdminCatalogCSVLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := Config{Demo: true, DemoSize: 3, DataDir: dir}
	base, logs := startLoggedShop(t, cfg, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	owner, _ := setupOwner(t, base, setup)
	owner.get(admin+"/catalog-csv?lang=en").want(t, "csv page", 200, "Files of up to 32 MB can be uploaded.", `name="max_mb"`)

	owner.post(admin+"/catalog-csv/limit", url.Values{"max_mb": {"0"}}).want(t, "limit 0", 422, "Enter a whole number of MB from 1 to 256.")
	owner.post(admin+"/catalog-csv/limit", url.Values{"max_mb": {"x"}}).want(t, "limit x", 422, "csv-limit-error")
	owner.post(admin+"/catalog-csv/limit", url.Values{"max_mb": {"1"}}).want(t, "limit 1", 303)
	owner.get(admin+"/catalog-csv?lang=ja").want(t, "csv page in Japanese", 200, "アップロードできるのは 1 MB までです。")

	line := bytes.Repeat([]byte("a,"), 20<<20) // 40 MiB, one line
	r := owner.postFile(admin+"/catalog-csv/import", "file", "big.csv", line, map[string]string{"kind": "products"})
	r.want(t, "40 MB file", 413, "送信された内容が大きすぎます（上限 1 MB）。")
	owner.get(admin + "/catalog-csv?lang=en")
	r = owner.postFile(admin+"/catalog-csv/import", "file", "big.csv", line[:1<<20+10], map[string]string{"kind": "products"})
	r.want(t, "file just over the limit", 413, "CSV uploads are limited to 1 MB", "csv-upload")

	d := openShopDB(t, cfg)
	var kept int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM catalog_imports`).Scan(&kept); err != nil || kept != 0 {
		t.Fatalf("refused uploads were kept: %d, %v", kept, err)
	}
	if n := auditCount(t, d, "settings.csv_limit", ""); n != 1 {
		t.Errorf("limit changes audited: %d", n)
	}

	owner.post(admin+"/catalog-csv/limit", url.Values{"max_mb": {"32"}}).want(t, "limit back", 303)

	// EUC-JP: read as Japanese (the product name is in the check's
	// errors as it was written, not as mojibake); a row longer than the
	// row limit stops the check with its row number.
	euc := []byte{}
	for _, s := range []string{csvHeader, "matcha,public,", "\xcb\xf5\xc3\xe3", ",Matcha,,,,reduced,0,nosuchcat,,,,,,MAT-1,1000,,5,,1,1\r\n"} {
		euc = append(euc, s...)
	}
	r = owner.postFile(admin+"/catalog-csv/import", "file", "euc.csv", euc, map[string]string{"kind": "products"})
	r.want(t, "EUC-JP upload", 303)
	waitImport(t, owner, r.location).want(t, "EUC-JP check", 200, "nosuchcat", "1 errors")
	long := csvHeader + "x,public," + strings.Repeat("長", 100<<10) + "\r\n"
	r = owner.postFile(admin+"/catalog-csv/import", "file", "long.csv", []byte(long), map[string]string{"kind": "products"})
	waitImport(t, owner, r.location).want(t, "long row", 200, "<td>2</td><td></td><td>This row is too long (256 KB per row at most)")
}
