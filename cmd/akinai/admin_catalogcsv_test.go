package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

// postFile sends a multipart form with one file and some fields.
func (c *client) postFile(path, field, name string, data []byte, fields map[string]string) result {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile(field, name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// waitImport follows the import page's reload link until the check or
// import has finished.
func waitImport(t *testing.T, c *client, page string) result {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r := c.get(page)
		if r.status != 200 || !strings.Contains(r.body, `data-running="1"`) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("import still running:\n%s", clipBody(r.body))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

const csvHeader = "product_slug,status,name_ja,name_en,description_ja,description_en,search_words,tax_class,featured,categories,tags,axis1_name,axis1_value,axis2_name,axis2_value,sku,price,list_price,stock,sale_limit,lead_days,active\r\n"

func TestAdminCatalogCSV(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{Demo: true, DemoSize: 3}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	owner, _ := setupOwner(t, base, setup)
	owner.get(admin+"/catalog-csv?lang=en").want(t, "csv page", 200, "csv-upload")
	owner.get(admin+"/catalog-csv/template.csv").want(t, "template", 200, "product_slug,status,name_ja")

	// One bad row (a price that is not a number) in a Shift_JIS file: the
	// dry run names its row and column and nothing is written.
	file := csvHeader +
		"hojicha,public,ほうじ茶,Hojicha,,,,reduced,0,,,量目,100g,,,HOJI-100,900,,20,,1,1\r\n" +
		"hojicha,public,ほうじ茶,Hojicha,,,,reduced,0,,,量目,200g,,,HOJI-200,1,600,,20,,1,1\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(strings.Replace(file, "HOJI-200,1,600", "HOJI-200,1.600", 1)))
	if err != nil {
		t.Fatal(err)
	}
	r := owner.postFile(admin+"/catalog-csv/import", "file", "bad.csv", sjis, map[string]string{"kind": "products"})
	r.want(t, "upload", 303, "/catalog-csv/import/")
	page := r.location
	r = waitImport(t, owner, page)
	r.want(t, "dry run", 200, "csv-errors", "<td>3</td><td>price</td><td>Not a number: 1.600</td>", "Nothing was written")
	if strings.Contains(r.body, "csv-confirm") {
		t.Error("a file with errors can be confirmed")
	}
	owner.post(page, nil).want(t, "confirm a bad file", 409)
	owner.get("/products/hojicha").want(t, "not written", 404)

	// The fixed file: checked, confirmed, imported.
	good := strings.Replace(file, "HOJI-200,1,600", "HOJI-200,1600", 1)
	r = owner.postFile(admin+"/catalog-csv/import", "file", "good.csv", []byte("\uFEFF"+good), map[string]string{"kind": "products"})
	page = r.location
	waitImport(t, owner, page).want(t, "dry run", 200, "csv-confirm", "2 rows, 1 items, 0 errors")
	owner.post(page, nil).want(t, "confirm", 303)
	waitImport(t, owner, page).want(t, "import", 200, "Imported")
	owner.get("/products/hojicha").want(t, "imported product", 200, "Hojicha")
	owner.post(page, nil).want(t, "second confirm", 409)

	// Export in Shift_JIS and read it back.
	r = owner.get(admin + "/catalog-csv/products.csv?enc=sjis")
	r.want(t, "export", 200, "HOJI-200")
	utf, err := japanese.ShiftJIS.NewDecoder().Bytes([]byte(r.body))
	if err != nil || !strings.Contains(string(utf), "ほうじ茶") {
		t.Errorf("export is not Shift_JIS: %v", err)
	}
	if !strings.Contains(owner.get(admin+"/audit").body, "catalog.imported") {
		t.Error("import not audited")
	}
}
