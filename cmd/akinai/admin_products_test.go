package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// productForm is a filled product form with two axes (colour × size) and
// the four variant cells, as the matrix step renders them.
func productForm(version string) url.Values {
	f := url.Values{
		"version": {version}, "slug": {"aizome-shirt"}, "status": {"public"}, "name_ja": {"藍染めシャツ"}, "name_en": {"Indigo shirt"},
		"tax_class": {"standard"}, "description_ja": {"手染めのシャツ"},
		"axis1_name": {"色"}, "axis1_values": {"藍 | Indigo\n白 | White"},
		"axis2_name": {"サイズ"}, "axis2_values": {"M\nL"},
		"variants": {"4"}, "action": {"save"},
	}
	for i, combo := range []string{"藍\tM", "藍\tL", "白\tM", "白\tL"} {
		k := fmt.Sprintf("v%d_", i)
		f.Set(k+"combo", combo)
		f.Set(k+"sku", fmt.Sprintf("AIZOME-%d", i))
		f.Set(k+"price", fmt.Sprint(4000+100*i))
		f.Set(k+"stock", "5")
		f.Set(k+"stock_was", "")
		f.Set(k+"lead_days", "2")
		f.Set(k+"active", "1")
	}
	return f
}

// uploadImages posts files as the image form does.
func (c *client) uploadImages(path string, files map[string][]byte) result {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	for name, data := range files {
		w, _ := mw.CreateFormFile("images", name)
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func testJPEG(t *testing.T) []byte {
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			m.Set(x, y, color.RGBA{30, 60, byte(x * 3), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var productIDRE = regexp.MustCompile(`/products/(\d+)`)

func TestAdminProducts(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{Demo: true, DemoSize: 3}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	owner, _ := setupOwner(t, base, setup)

	owner.get(admin+"/products?lang=en").want(t, "product list", 200, "Products", "bulk-form")
	owner.get(admin+"/products/new").want(t, "new product form", 200, "product-form")

	// The matrix step turns two axes into four cells without saving.
	step := productForm("0")
	for _, k := range []string{"variants", "v0_combo", "v1_combo", "v2_combo", "v3_combo"} {
		step.Del(k)
	}
	step.Set("action", "matrix")
	r := owner.post(admin+"/products/new", step)
	r.want(t, "matrix step", 200, "name=\"v3_combo\" value=\"白\tL\"")

	// Bad numbers come back next to their field, with the input kept.
	bad := productForm("0")
	bad.Set("v2_price", "12a")
	owner.post(admin+"/products/new", bad).want(t, "bad price", 422, "Enter a whole number", `value="12a"`, "藍染めシャツ")

	r = owner.post(admin+"/products/new", productForm("0"))
	r.want(t, "create", 303)
	id := productIDRE.FindStringSubmatch(r.location)[1]
	edit := admin + "/products/" + id
	owner.get(edit).want(t, "edit page", 200, "AIZOME-3", `name="version" value="1"`)

	// Two saves from version 1: the second is refused, nothing overwritten.
	first := productForm("1")
	first.Set("name_ja", "藍染めシャツ（改）")
	for i := range 4 {
		first.Set(fmt.Sprintf("v%d_stock_was", i), "5")
	}
	owner.post(edit, first).want(t, "first save", 303)
	second := productForm("1")
	second.Set("name_ja", "上書き")
	owner.post(edit+"?lang=en", second).want(t, "stale save", 409, "Someone else (or another tab) saved this product first", "上書き")
	owner.get(edit).want(t, "after conflict", 200, "藍染めシャツ（改）", `name="version" value="2"`)

	// Images: a non-image named .jpg is refused by its content; a JPEG is kept.
	owner.uploadImages(edit+"/images?lang=en", map[string][]byte{"photo.jpg": []byte("<html><script>alert(1)</script>")}).
		want(t, "fake jpeg", 422, "This is not an image file")
	r = owner.uploadImages(edit+"/images", map[string][]byte{"a.jpg": testJPEG(t), "b.jpg": append(testJPEG(t)[:0:0], testJPEG(t)...)})
	r.want(t, "upload", 303)
	page := owner.get(edit)
	keys := regexpAll(`src="/images/(p/[0-9a-f]+\.jpg)"`, page.body)
	// The same picture uploaded twice is stored once (same key), listed twice.
	if len(keys) != 2 || keys[0] != keys[1] {
		t.Fatalf("images on the page: %v", keys)
	}
	img := owner.get("/images/" + keys[0])
	img.want(t, "stored image", 200)
	if img.header.Get("Content-Type") != "image/jpeg" || !strings.Contains(img.header.Get("Cache-Control"), "max-age") {
		t.Errorf("image headers %v", img.header)
	}

	// The storefront shows the product with both axes and the image.
	shop := owner.get("/products/aizome-shirt?lang=ja")
	shop.want(t, "storefront", 200, "藍染めシャツ（改）", "/images/"+keys[0])
	for _, v := range []string{"藍", "白", "M", "L", "色", "サイズ"} {
		if !strings.Contains(shop.body, v) {
			t.Errorf("storefront lacks %q", v)
		}
	}

	// Alt text, order, delete; a photo over the default 1 MiB body limit
	// goes through the upload route.
	imgIDs := regexpAll(`/images/(\d+)" class="inline"`, page.body)
	if len(imgIDs) < 4 {
		t.Fatalf("image forms: %v", imgIDs)
	}
	owner.post(edit+"/images/"+imgIDs[0], url.Values{"action": {"alt"}, "alt_ja": {"藍のシャツ"}, "alt_en": {"Indigo shirt"}}).want(t, "alt", 303)
	owner.post(edit+"/images/"+imgIDs[0], url.Values{"action": {"down"}}).want(t, "move down", 303)
	page = owner.get(edit)
	if !strings.Contains(page.body, `alt="藍のシャツ"`) || strings.Index(page.body, `alt="藍のシャツ"`) < strings.Index(page.body, `class="image-row"`) {
		t.Error("alt text not saved")
	}
	if ids := regexpAll(`/images/(\d+)" class="inline"`, page.body); ids[len(ids)-1] != imgIDs[0] {
		t.Errorf("order after moving down: %v (moved %s)", ids, imgIDs[0])
	}
	owner.post(edit+"/images/"+imgIDs[0], url.Values{"action": {"delete"}}).want(t, "delete image", 303)
	if n := len(regexpAll(`src="/images/(p/[0-9a-f]+\.jpg)"`, owner.get(edit).body)); n != 1 {
		t.Errorf("%d images after delete", n)
	}
	owner.get("/images/"+keys[0]).want(t, "key still used by the other image", 200)
	big := noisyJPEG(t, 1400)
	if len(big) < 1<<20 {
		t.Fatalf("test photo only %d bytes", len(big))
	}
	owner.uploadImages(edit+"/images", map[string][]byte{"big.jpg": big}).want(t, "photo over 1 MiB", 303)

	// Bulk stock and price from the list; a stale copy of the list is refused.
	list := owner.get(admin + "/products?q=AIZOME")
	vid := regexpAll(`name="variant" value="(\d+)"`, list.body)
	if len(vid) != 4 {
		t.Fatalf("%d variants on the list", len(vid))
	}
	ver := regexpAll(`name="v`+vid[0]+`_version" value="(\d+)"`, list.body)[0]
	bulk := url.Values{"variant": {vid[0]}, "v" + vid[0] + "_version": {ver}, "v" + vid[0] + "_price": {"3,500"},
		"v" + vid[0] + "_price_was": {"4000"}, "v" + vid[0] + "_stock": {"9"}, "v" + vid[0] + "_stock_was": {"5"}}
	owner.post(admin+"/products/stock", bulk).want(t, "bulk edit", 303)
	owner.post(admin+"/products/stock?lang=en", bulk).want(t, "stale bulk edit", 409, "saved this product first")
	owner.get(admin+"/products?stock=in&q=AIZOME").want(t, "stock filter", 200, `value="3,500"`, `value="9"`)

	// Categories: create, nest, refuse a cycle, reorder with arrows.
	owner.get(admin + "/categories")
	owner.post(admin+"/categories", url.Values{"name_ja": {"衣類"}, "slug": {"clothes"}, "parent_id": {"0"}}).want(t, "category", 303)
	cats := owner.get(admin + "/categories")
	cid := regexpAll(`id="cat-(\d+)"`, cats.body)
	clothes := cid[len(cid)-1]
	owner.post(admin+"/categories", url.Values{"name_ja": {"シャツ"}, "slug": {"shirts"}, "parent_id": {clothes}}).want(t, "subcategory", 303)
	owner.post(admin+"/categories/"+clothes+"?lang=en", url.Values{"name_ja": {"衣類"}, "slug": {"clothes"}, "parent_id": {regexpAll(`id="cat-(\d+)"`, owner.get(admin+"/categories").body)[len(cid)]}}).
		want(t, "move under its own child", 422, "cannot be moved under itself")
	owner.post(admin+"/categories/"+clothes+"/move", url.Values{"dir": {"up"}}).want(t, "move up", 303)
	owner.post(admin+"/categories?lang=en", url.Values{"name_ja": {"x"}, "slug": {"Bad Slug"}, "parent_id": {"0"}}).
		want(t, "bad slug", 422, "Use lower-case letters", `value="x"`)

	// Tags.
	owner.get(admin + "/tags")
	owner.post(admin+"/tags", url.Values{"name_ja": {"新商品"}, "slug": {"new"}}).want(t, "tag", 303)
	owner.get(admin+"/tags").want(t, "tags", 200, "新商品")

	// Copy and archive.
	r = owner.post(edit+"/copy", nil)
	r.want(t, "copy", 303)
	copyPage := owner.get(r.location)
	copyPage.want(t, "copy page", 200, "（コピー）", `<option value="private" selected>`)

	// Archive from the copy's page: gone from the storefront's view.
	copyVersion := regexpAll(`name="version" value="(\d+)"`, copyPage.body)[0]
	owner.post(r.location+"/status", url.Values{"status": {"archived"}, "version": {copyVersion}}).want(t, "archive", 303)
	owner.get(r.location).want(t, "archived", 200, `<option value="archived" selected>`)
	owner.get(admin+"/products?status=archived").want(t, "archived filter", 200, "Indigo shirt (copy)")

	// Every write is in the audit log.
	audit := owner.get(admin + "/audit").body
	for _, a := range []string{"product.created", "product.updated", "product.images_added", "product.stock_price", "category.created", "tag.saved", "product.copied"} {
		if !strings.Contains(audit, a) {
			t.Errorf("audit log lacks %s", a)
		}
	}

	// Staff may work on products but not on security settings.
	staffPW := "yokohama-harbour-kite-42"
	owner.get(admin + "/admins")
	owner.post(admin+"/admins", url.Values{"email": {"staff@example.jp"}, "name": {"Suzuki"}, "role": {"staff"}, "password": {staffPW}}).want(t, "create staff", 303)
	staff := newClient(t, base)
	staff.admin = admin
	staff.get(admin + "/login")
	staff.post(admin+"/login", url.Values{"email": {"staff@example.jp"}, "password": {staffPW}}).want(t, "staff password", 303, "/enrol")
	enrolTOTP(t, staff, 0)
	staff.get(admin+"/products").want(t, "staff products", 200, "bulk-form")
	staff.get(admin+"/security").want(t, "staff security", 403)
	staff.post(admin+"/security/policy", url.Values{"passkeys_only": {"1"}}).want(t, "staff policy", 403)
}

// With --image-store=disk an upload lands in DATA/images and the
// storefront serves it from there.
func TestAdminProducts_DiskImages(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	base, logs := startLoggedShop(t, Config{Demo: true, DemoSize: 3, DataDir: data, ImageStore: "disk"}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	owner, _ := setupOwner(t, base, setup)
	owner.get(admin + "/products/new")
	r := owner.post(admin+"/products/new", productForm("0"))
	r.want(t, "create", 303)
	edit := admin + "/products/" + productIDRE.FindStringSubmatch(r.location)[1]
	owner.get(edit)
	owner.uploadImages(edit+"/images", map[string][]byte{"a.jpg": testJPEG(t)}).want(t, "upload", 303)
	keys := regexpAll(`src="/images/(p/[0-9a-f]+\.jpg)"`, owner.get(edit).body)
	if len(keys) != 1 {
		t.Fatalf("images: %v", keys)
	}
	if _, err := os.Stat(filepath.Join(data, "images", filepath.FromSlash(keys[0]))); err != nil {
		t.Fatalf("not on disk: %v", err)
	}
	img := owner.get("/images/" + keys[0])
	img.want(t, "served from disk", 200)
	if img.header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("content type %q", img.header.Get("Content-Type"))
	}
}

// noisyJPEG is a side×side photo of noise: it compresses badly, so it is
// well over 1 MiB.
func noisyJPEG(t *testing.T, side int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, side, side))
	seed := uint32(7)
	for i := range m.Pix {
		seed = seed*1664525 + 1013904223
		m.Pix[i] = byte(seed >> 24)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
