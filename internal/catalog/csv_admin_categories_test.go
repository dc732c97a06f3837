package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/csvcols"
	"github.com/akinai/akinai/internal/csvfile"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

func importCategories(t *testing.T, d *db.DB, file string) *catalog.Report {
	t.Helper()
	ctx := context.Background()
	var rep *catalog.Report
	errBad := errors.New("rollback")
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if rep, err = catalog.ImportCategories(ctx, tx, tx, strings.NewReader(file), nil); err != nil {
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

func TestImportCategories(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		bad := "slug,parent_slug,name_ja,name_en,sort_order\r\n" +
			"tea,,お茶,Tea,1\r\n" +
			"green,tea,緑茶,Green tea,1\r\n" +
			"cups,nowhere,器,,2\r\n" +
			"Bad Slug,,x,,x\r\n"
		rep := importCategories(t, d, bad)
		got := map[string]bool{}
		for _, e := range rep.Errors {
			got[e.Column] = true
		}
		if !got["parent_slug"] || !got["slug"] || !got["sort_order"] || rep.Count != 3 {
			t.Errorf("errors %+v", rep.Errors)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM categories`).Scan(&n)
		if n != 0 {
			t.Fatal("a failed import wrote")
		}
		good := "slug,parent_slug,name_ja,name_en,sort_order\r\n" +
			"tea,,お茶,Tea,2\r\n" +
			"green,tea,緑茶,Green tea,1\r\n" +
			"cups,,器,,1\r\n"
		if rep := importCategories(t, d, good); rep.Count != 0 || rep.Products != 3 {
			t.Fatalf("import: %+v", rep)
		}
		s := catalog.NewStore(d)
		var buf bytes.Buffer
		cw, _ := csvfile.NewWriter(&buf, csvfile.UTF8BOM)
		w, _ := csvcols.Start(cw, catalog.CategoryExport, catalog.CategoryExport.All(), nil)
		if err := catalog.ExportCategories(ctx, s, w); err != nil {
			t.Fatal(err)
		}
		want := "\uFEFFslug,parent_slug,name_ja,name_en,sort_order\r\ncups,,器,,1\r\ntea,,お茶,Tea,2\r\ngreen,tea,緑茶,Green tea,1\r\n"
		if buf.String() != want {
			t.Errorf("export\n%q\nwant\n%q", buf.String(), want)
		}
		// Moving a category under its own child through the CSV is refused.
		if rep := importCategories(t, d, "slug,parent_slug,name_ja,name_en,sort_order\r\ntea,green,お茶,Tea,2\r\n"); rep.Count != 1 || rep.Errors[0].Key != catalog.ErrKeyCycle {
			t.Errorf("cycle: %+v", rep.Errors)
		}
	})
}

// FuzzImportProducts: no file, however malformed, makes the dry run fail
// with anything but row errors, or panic.
func FuzzImportProducts(f *testing.F) {
	f.Add(header + "a,public,名,,,,,standard,0,,,,,,,A-1,100,,,,1,1\r\n")
	f.Add(header + "a,public,名,,,,,standard,0,,,色,赤,,,A-1,1e9,,-1,0,x,1\r\n")
	f.Add("\"unterminated\r\n")
	f.Add("\xff\xfe\x00")
	f.Add(header + "a,public,=1+1,,,,,standard,0,nope,nope,色,,,,,,,,,,\r\n")
	d := dbtest.MustOpen(f, dbtest.SQLite)
	f.Fuzz(func(t *testing.T, file string) {
		rep, err := catalog.ImportProducts(context.Background(), d, nil, strings.NewReader(file), nil)
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		if rep.Count < len(rep.Errors) {
			t.Fatalf("count %d < %d errors", rep.Count, len(rep.Errors))
		}
	})
}
