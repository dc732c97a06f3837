package invoicepdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/shop"
)

func sample() *Invoice {
	return &Invoice{
		Labels: Labels{Title: "適格請求書", Number: "注文番号", Date: "発行日", Registration: "登録番号", Honorific: "様",
			Item: "品名", Qty: "数量", UnitPrice: "単価", Amount: "金額", RateTotal: "%s%%対象", RateTax: "内消費税", Total: "合計",
			ReducedNote: "※は軽減税率（8%）対象商品です。"},
		Issuer: "株式会社あきない茶房", IssuerLines: []string{"東京都千代田区千代田1-1"}, Registration: "T1234567890123",
		Date: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Number: "260401-ABCDEF", Buyer: "山田 太郎",
		Lines: []Line{
			{Name: "急須 常滑焼 朱泥 とても長い商品名が折り返されるかどうかを確かめるための名前です", Qty: 3, UnitPrice: 1100, Total: 3300},
			{Name: "静岡 煎茶 100g", Reduced: true, Qty: 1, UnitPrice: 1080, Total: 1080},
		},
		Fees:  []Fee{{Label: "送料", Amount: 930}},
		Rates: []Rate{{Rate: shop.StandardRate, Total: 4230, Tax: 384}, {Rate: shop.ReducedRate, Reduced: true, Total: 1080, Tax: 80}},
		Total: 5310,
	}
}

// TestRender draws the sample with the embedded font — no font installed
// on the machine is needed — and, when Debian's copy of the same font is
// installed, with it as the override.
func TestRender(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	fonts := []string{""}
	if _, err := os.Stat(DebianFont); err == nil {
		fonts = append(fonts, DebianFont)
	}
	for _, font := range fonts {
		var buf bytes.Buffer
		if err := Render(&buf, sample(), font); err != nil {
			t.Fatal(err)
		}
		text := PDFText(t, buf.Bytes())
		for _, want := range []string{"適格請求書", "T1234567890123", "山田 太郎", "株式会社あきない茶房", "静岡 煎茶 100g ※",
			"10%対象", "8%対象 ※", "¥4,230", "¥384", "¥1,080", "¥80", "¥5,310", "2026-04-01", "260401-ABCDEF"} {
			if !strings.Contains(text, want) {
				t.Errorf("font %q: PDF text lacks %q:\n%s", font, want, text)
			}
		}
	}
	if !strings.Contains(FontLicense, "IPA Font License Agreement v1.0") {
		t.Error("the font's licence is not embedded")
	}
}

func TestRenderRefuses(t *testing.T) {
	t.Parallel()
	inv := sample()
	if err := Render(&bytes.Buffer{}, inv, filepath.Join(t.TempDir(), "none.ttf")); shop.KindOf(err) != shop.Unavailable {
		t.Fatalf("missing font: %v", err)
	}
	notFont := filepath.Join(t.TempDir(), "font.ttf")
	os.WriteFile(notFont, []byte("not a font"), 0o600)
	if err := Render(&bytes.Buffer{}, inv, notFont); shop.KindOf(err) != shop.Unavailable {
		t.Fatalf("a file that is not a font: %v", err)
	}
	inv.Registration = ""
	if err := Render(&bytes.Buffer{}, inv, ""); err == nil {
		t.Fatal("rendered an invoice without a registration number")
	}
}

// PDFText extracts a PDF's text with pdftotext (poppler-utils), in
// reading order with the layout kept.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
