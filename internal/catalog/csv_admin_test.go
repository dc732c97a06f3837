package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

const header = "product_slug,status,name_ja,name_en,description_ja,description_en,search_words,tax_class,featured,categories,tags,axis1_name,axis1_value,axis2_name,axis2_value,sku,price,list_price,stock,sale_limit,lead_days,active\r\n"

func importCSV(t *testing.T, d *db.DB, apply bool, file string) *catalog.Report {
	t.Helper()
	ctx := context.Background()
	if !apply {
		rep, err := catalog.ImportProducts(ctx, d, nil, strings.NewReader(file), nil)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	var rep *catalog.Report
	errBad := errors.New("rollback")
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if rep, err = catalog.ImportProducts(ctx, tx, tx, strings.NewReader(file), nil); err != nil {
			return err
		}
		if rep.Count > 0 {
			return errBad
		}
		return nil
	})
	if err != nil && err != errBad {
		t.Fatal(err)
	}
	return rep
}

func TestImportProducts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		if _, err := mk2(ctx, d, 0, "tea"); err != nil {
			t.Fatal(err)
		}
		good := header +
			"sencha,public,煎茶,Sencha,,,,reduced,1,tea,,量目,100g,,,SEN-100,1200,,30,,1,1\r\n" +
			"sencha,public,煎茶,Sencha,,,,reduced,1,tea,,量目,200g,,,SEN-200,2200,,,5,1,1\r\n" +
			"cup,private,湯呑み,,,,,standard,0,,,色,藍,サイズ,大,CUP-A-L,3000,3500,2,,3,1\r\n" +
			"cup,private,湯呑み,,,,,standard,0,,,色,藍,サイズ,小,CUP-A-S,2800,,2,,3,1\r\n" +
			"cup,private,湯呑み,,,,,standard,0,,,色,白,サイズ,大,CUP-W-L,3000,,0,,3,1\r\n" +
			"cup,private,湯呑み,,,,,standard,0,,,色,白,サイズ,小,CUP-W-S,2800,,0,,3,0\r\n"
		if rep := importCSV(t, d, false, good); rep.Count != 0 || rep.Products != 2 || rep.Rows != 6 {
			t.Fatalf("dry run: %+v", rep)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM products`).Scan(&n)
		if n != 0 {
			t.Fatal("the dry run wrote")
		}

		t.Run("one bad row: every error listed, nothing written", func(t *testing.T) {
			bad := strings.Replace(good, "SEN-200,2200", "SEN-200,22OO", 1)
			bad = strings.Replace(bad, "CUP-W-S,2800", "CUP-W-L,2800", 1)
			bad = strings.Replace(bad, "reduced,1,tea", "reduced,1,coffee", 1)
			bad += "mug,public,=SUM(A1:A9),,,,,standard,0,,,,,,,MUG,100,,,,1,1\r\n"
			rep := importCSV(t, d, true, bad)
			want := map[string]bool{"3 price": false, "7 sku": false, "2 categories": false, "8 name_ja": false}
			for _, e := range rep.Errors {
				want[strings.TrimSpace(strings.Join([]string{strconv.Itoa(e.Row), e.Column}, " "))] = true
			}
			for k, ok := range want {
				if !ok {
					t.Errorf("no error at %s: %+v", k, rep.Errors)
				}
			}
			d.QueryRow(ctx, `SELECT COUNT(*) FROM products`).Scan(&n)
			if n != 0 {
				t.Fatal("a failed import wrote")
			}
		})
		t.Run("wrong columns and encoding", func(t *testing.T) {
			rep := importCSV(t, d, false, "slug,name\r\nx,y\r\n")
			if rep.Count == 0 || rep.Errors[0].Row != 1 {
				t.Errorf("%+v", rep)
			}
			latin1 := header + "x,public,caf\xe9,,,,,standard,0,,,,,,,X1,1,,,,1,1\r\n"
			rep = importCSV(t, d, false, strings.Replace(latin1, "product_slug", "product_slug", 1))
			found := false
			for _, e := range rep.Errors {
				found = found || e.Key == catalog.ErrKeyCSVEncoding || e.Key == catalog.ErrKeyCSVEncodingUnknown
			}
			if !found {
				t.Errorf("broken encoding not reported: %+v", rep.Errors)
			}
		})

		if rep := importCSV(t, d, true, good); rep.Count != 0 {
			t.Fatalf("import: %+v", rep.Errors)
		}
		s := catalog.NewStore(d)
		rows, total, err := s.AdminList(ctx, catalog.AdminQuery{Keywords: catalog.Keywords("cup")})
		if err != nil || total != 1 || len(rows[0].Variants) != 3 {
			t.Fatalf("cup: %d %+v %v", total, rows, err)
		}
		t.Run("list filters: category, tag, stock", func(t *testing.T) {
			tree, _ := s.Tree(ctx)
			tea := tree.BySlug("tea")
			var tagID int64
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				tagID, err = catalog.SaveTag(ctx, tx, catalog.Tag{Slug: "new", NameJA: "新商品"})
				if err == nil {
					_, err = tx.Exec(ctx, `INSERT INTO product_tags (product_id, tag_id) VALUES (?, ?)`, rows[0].ID, tagID)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for name, tc := range map[string]struct {
				q    catalog.AdminQuery
				want string
			}{
				"category": {catalog.AdminQuery{CategoryID: tea.ID}, "sencha"},
				"tag":      {catalog.AdminQuery{TagID: tagID}, "cup"},
				"out":      {catalog.AdminQuery{Stock: "out"}, "cup"},
				"low":      {catalog.AdminQuery{Stock: "low"}, "cup"},
				"in":       {catalog.AdminQuery{Stock: "in"}, "sencha"},
				"private":  {catalog.AdminQuery{Status: catalog.StatusPrivate}, "cup"},
			} {
				got, n, err := s.AdminList(ctx, tc.q)
				if err != nil || n != 1 || got[0].Slug != tc.want {
					t.Errorf("%s: %d %v %v", name, n, got, err)
				}
			}
		})
		t.Run("export and import again in Shift_JIS changes nothing", func(t *testing.T) {
			var buf bytes.Buffer
			cw, _ := csvfile.NewWriter(&buf, csvfile.ShiftJIS)
			w, _ := csvcols.Start(cw, catalog.ProductExport, catalog.ProductExport.All(), nil)
			if err := catalog.ExportProducts(ctx, d, w); err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(buf.Bytes(), []byte("SEN-200")) || bytes.Contains(buf.Bytes(), []byte("煎茶")) {
				t.Fatal("not Shift_JIS")
			}
			var before, after int
			d.QueryRow(ctx, `SELECT SUM(version) FROM products`).Scan(&before)
			if rep := importCSV(t, d, true, buf.String()); rep.Count != 0 || rep.Products != 2 {
				t.Fatalf("re-import: %+v", rep)
			}
			d.QueryRow(ctx, `SELECT SUM(version) FROM products`).Scan(&after)
			e, _ := s.Edit(ctx, rows[0].ID)
			if after != before+2 || len(e.Variants) != 4 || *e.Variants[0].Stock != 2 || e.Variants[3].Active {
				t.Errorf("after re-import: versions %d→%d, %+v", before, after, e.Variants)
			}
		})
	})
}
