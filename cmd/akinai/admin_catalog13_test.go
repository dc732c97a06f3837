package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db/dbtest"
)

// postMultipart sends a form with files (field "images", in order) the
// way the product form does.
func (c *client) postMultipart(path string, form url.Values, images [][]byte) result {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for i, data := range images {
		w, _ := mw.CreateFormFile("images", fmt.Sprintf("photo%d.png", i))
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// testPNG is a small picture of one colour, so each shade is its own
// image (images are stored by their content's hash).
func testPNG(t *testing.T, shade uint8) []byte {
	m := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			m.Set(x, y, color.RGBA{shade, 100, byte(x * 5), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var classIDRE = regexp.MustCompile(`<option value="(\d+)"[^>]*>サイズ`)

// classProductForm is a new product made from the サイズ class master
// (S, M, L), public from a day ahead, as the form posts it once the
// class has filled the axis.
func classProductForm(classID string) url.Values {
	from := time.Now().In(time.FixedZone("JST", 9*3600)).Add(24 * time.Hour).Format("2006-01-02T15:04")
	f := url.Values{"slug": {"kasuri-tee"}, "status": {"public"}, "name_ja": {"絣のTシャツ"}, "name_en": {"Kasuri tee"},
		"tax_class": {"standard"}, "publish_from": {from},
		"axis1_class": {classID}, "axis1_class_was": {classID}, "axis1_name": {"サイズ"}, "axis1_name_en": {"Size"},
		"axis1_values": {"S | Small\nM | Medium\nL | Large"}, "variants": {"3"}, "action": {"save"}}
	for i, v := range []string{"S", "M", "L"} {
		k := fmt.Sprintf("v%d_", i)
		f.Set(k+"combo", v+"\t")
		f.Set(k+"sku", "KASURI-"+v)
		f.Set(k+"price", "2800")
		f.Set(k+"stock", "4")
		f.Set(k+"stock_was", "")
		f.Set(k+"lead_days", "1")
		f.Set(k+"active", "1")
	}
	return f
}

// The catalogue of issue #13 over HTTP, on both engines: a class master,
// a scheduled product made from it with two images sent with the new
// form, its preview (stored and unsaved) for the admin only, a class
// value in use that cannot be deleted, and a bulk action with a stale
// selection.
func TestAdminCatalog13(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			cfg := Config{Demo: true} // the 72-product demo: some sold out, some low
			if engine == "postgres" {
				cfg = Config{DataDir: t.TempDir(), DatabaseURL: dbtest.NewPostgresDatabase(t)}
			}
			base, logs := startLoggedShop(t, cfg, nil)
			setup := setupPath(t, logs)
			admin := adminPathOf(setup)
			owner, _ := setupOwner(t, base, setup)
			visitor := newClient(t, base)

			owner.get(admin+"/classes").want(t, "classes", 200, "規格管理")
			owner.post(admin+"/classes", url.Values{"name_ja": {""}}).want(t, "class without a name", 422)
			owner.post(admin+"/classes", url.Values{"name_ja": {"サイズ"}, "name_en": {"Size"}, "values": {"S | Small\nM | Medium\nL | Large"}}).want(t, "class", 303)
			owner.post(admin+"/classes", url.Values{"name_ja": {"サイズ"}}).want(t, "same class twice", 422, "同じ名前の規格")

			m := classIDRE.FindStringSubmatch(owner.get(admin + "/products/new").body)
			if m == nil {
				t.Fatal("the new-product form offers no サイズ class")
			}
			classID := m[1]
			// Choosing the class (no values typed yet) fills the axis.
			pick := owner.postMultipart(admin+"/products/new", url.Values{"name_ja": {"絣のTシャツ"}, "status": {"private"}, "tax_class": {"standard"},
				"axis1_class": {classID}, "variants": {"1"}, "v0_combo": {"\t"}, "action": {"matrix"}}, nil)
			pick.want(t, "class picked", 200, `name="v2_sku"`, "S | Small", `value="0"`)
			if strings.Contains(pick.body, `name="v0_unlimited" value="1" checked`) {
				t.Error("a new variant's stock is unlimited by default")
			}

			res := owner.postMultipart(admin+"/products/new", classProductForm(classID), [][]byte{testPNG(t, 10), testPNG(t, 200)})
			res.want(t, "create with images", 303)
			id := productIDRE.FindStringSubmatch(res.location)[1]
			form := owner.get(admin + "/products/" + id)
			if n := strings.Count(form.body, `class="row image-row"`); n != 2 {
				t.Errorf("%d images on the new product, want 2", n)
			}
			form.want(t, "form", 200, `name="publish_from" value="`, "KASURI-L")

			visitor.get("/products/kasuri-tee").want(t, "visitor before the start", 404)
			if strings.Contains(visitor.get("/sitemap.xml").body, "kasuri-tee") {
				t.Error("the sitemap lists a product before its start")
			}
			pv := owner.get(admin + "/products/" + id + "/preview")
			pv.want(t, "preview", 200, "絣のTシャツ", `id="preview-banner"`)
			if pv.header.Get("Cache-Control") != "no-store" || !strings.Contains(pv.header.Get("X-Robots-Tag"), "noindex") {
				t.Errorf("preview headers %v", pv.header)
			}
			if r := visitor.get(admin + "/products/" + id + "/preview"); r.status == 200 {
				t.Error("a visitor reached the preview")
			}
			unsaved := classProductForm(classID)
			unsaved.Set("name_ja", "絣のTシャツ（改）")
			unsaved.Set("action", "preview")
			unsaved.Set("version", "1")
			for i := range 3 {
				unsaved.Set(fmt.Sprintf("v%d_stock_was", i), "4")
			}
			up := owner.postMultipart(admin+"/products/"+id, unsaved, nil)
			up.want(t, "unsaved preview", 200, "絣のTシャツ（改）")
			if up.header.Get("Cache-Control") != "no-store" {
				t.Errorf("unsaved preview Cache-Control %q", up.header.Get("Cache-Control"))
			}
			owner.get(admin+"/products/"+id).want(t, "not saved by the preview", 200, `value="絣のTシャツ"`)

			cls := owner.get(admin + "/classes").body
			sm := regexp.MustCompile(`/classes/(\d+)/values/(\d+)/delete`).FindAllStringSubmatch(cls, -1)
			if len(sm) != 3 {
				t.Fatalf("class values %v", sm)
			}
			owner.post(admin+"/classes/"+sm[0][1]+"/values/"+sm[0][2]+"/delete", nil).want(t, "value in use", 409, "絣のTシャツ")
			owner.post(admin+"/classes/"+sm[0][1]+"/delete", nil).want(t, "class in use", 409, "絣のTシャツ")

			stale := url.Values{"action": {"unpublish"}, "product": {id, "987654"}}
			owner.post(admin+"/products/bulk", stale).want(t, "stale bulk", 200, `id="bulk-skipped"`, "#987654", "すでに削除されています")
			owner.post(admin+"/products/bulk", url.Values{"action": {"delete"}, "product": {id}}).want(t, "delete unconfirmed", 422)
			owner.post(admin+"/products/bulk", url.Values{"action": {"delete"}, "product": {id}, "confirm": {"1"}}).want(t, "delete", 303)
			owner.get(admin+"/products/"+id).want(t, "deleted", 404)
			owner.post(admin+"/classes/"+sm[0][1]+"/values/"+sm[0][2]+"/delete", nil).want(t, "value no longer used", 303)
			owner.get(admin+"/products?lang=en").want(t, "list", 200, "bulk-form", "product-list")

			if engine != "sqlite" {
				return // the switches need the demo catalogue
			}
			if !strings.Contains(visitor.get("/products?q=%E8%BC%AA%E5%B3%B6").body, "/products/wajima-chopsticks") {
				t.Fatal("the demo's sold-out 輪島塗 箸 is not found before the switch")
			}
			owner.get(admin + "/products/settings")
			owner.post(admin+"/products/settings", url.Values{"stock_left_under": {"abc"}}).want(t, "bad switch", 422, "1000")
			owner.post(admin+"/products/settings", url.Values{"hide_sold_out": {"1"}, "stock_left_under": {"10"}}).want(t, "switches", 303)
			if strings.Contains(visitor.get("/products?q=%E8%BC%AA%E5%B3%B6").body, "/products/wajima-chopsticks") {
				t.Error("a sold-out product is listed with the switch on")
			}
			visitor.get("/products/petty-knife").want(t, "stock left", 200, "残り3点")
		})
	}
}
