package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A shop operator's walk in Chromium: sign in with password and TOTP,
// create a product with two variant axes and an image, see it on the
// storefront, then import a CSV with one bad row and read the dry run's
// error.
func TestAdminProducts_Browser(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{Demo: true, DemoSize: 3}, nil)
	setup := setupPath(t, logs)
	admin := adminPathOf(setup)
	_, secret := setupOwner(t, base, setup)
	ctx := newBrowser(t)

	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.jpg")
	bad := filepath.Join(dir, "products.csv")
	os.WriteFile(photo, testJPEG(t), 0o600)
	os.WriteFile(bad, []byte(csvHeader+"kyusu,public,急須,Teapot,,,,standard,0,,,,,,,KYUSU-1,abc,,,,1,1\r\n"), 0o600)

	browserSignIn(t, ctx, base+admin, "en", secret)
	browse(t, ctx, "product with two axes",
		chromedp.Navigate(base+admin+"/products/new"),
		chromedp.WaitVisible(chromedp.CSS("#product-form")),
		chromedp.SendKeys(chromedp.CSS(`input[name=name_ja]`), "織部の湯呑み"),
		chromedp.SendKeys(chromedp.CSS(`input[name=name_en]`), "Oribe cup"),
		chromedp.SendKeys(chromedp.CSS(`input[name=slug]`), "oribe-cup"),
		chromedp.SetValue(chromedp.CSS(`select[name=status]`), "public"),
		chromedp.SendKeys(chromedp.CSS(`input[name=axis1_name]`), "色"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=axis1_values]`), "緑 | Green\n黒 | Black"),
		chromedp.SendKeys(chromedp.CSS(`input[name=axis2_name]`), "大きさ"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=axis2_values]`), "大\n小"),
		chromedp.Click(chromedp.CSS("#make-matrix")),
		chromedp.WaitVisible(chromedp.CSS(`input[name=v3_sku]`)),
		chromedp.SetValue(chromedp.CSS(`input[name=v0_sku]`), "ORIBE-GL"),
		chromedp.SetValue(chromedp.CSS(`input[name=v1_sku]`), "ORIBE-GS"),
		chromedp.SetValue(chromedp.CSS(`input[name=v2_sku]`), "ORIBE-BL"),
		chromedp.SetValue(chromedp.CSS(`input[name=v3_sku]`), "ORIBE-BS"),
		chromedp.SetValue(chromedp.CSS(`input[name=v0_price]`), "3200"),
		chromedp.SetValue(chromedp.CSS(`input[name=v1_price]`), "2800"),
		chromedp.SetValue(chromedp.CSS(`input[name=v2_price]`), "3200"),
		chromedp.SetValue(chromedp.CSS(`input[name=v3_price]`), "2800"),
		chromedp.Click(chromedp.CSS("#product-save")),
		chromedp.WaitVisible(chromedp.CSS("#image-upload")),
		chromedp.SetUploadFiles(chromedp.CSS(`#image-upload input[type=file]`), []string{photo}),
		chromedp.Click(chromedp.CSS(`#image-upload button`)),
		chromedp.WaitVisible(chromedp.CSS(`.image-row img`)),
	)
	browse(t, ctx, "storefront", chromedp.Navigate(base+"/products/oribe-cup?lang=ja"), chromedp.WaitVisible(chromedp.CSS("h1")))
	body, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"織部の湯呑み", "緑", "黒", "大", "小", `src="/images/p/`} {
		if !strings.Contains(body, want) {
			t.Errorf("storefront lacks %q", want)
		}
	}

	browse(t, ctx, "CSV dry run",
		chromedp.Navigate(base+admin+"/catalog-csv?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#csv-upload")),
		chromedp.SetUploadFiles(chromedp.CSS(`#csv-upload input[name=file]`), []string{bad}),
		chromedp.Click(chromedp.CSS(`#csv-upload button`)),
		chromedp.WaitVisible(chromedp.CSS("#csv-errors")),
	)
	if got := text(t, ctx, "#csv-errors tbody"); !strings.Contains(got, "price") || !strings.Contains(got, "Not a number: abc") {
		t.Errorf("dry-run errors: %q", got)
	}
}
