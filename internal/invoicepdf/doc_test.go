package invoicepdf

import (
	"bytes"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A delivery slip needs no registration number and lists every parcel;
// several documents go into one PDF, each from its own page.
func TestDoc_SlipsWithParcels(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	doc, err := NewDoc("", "納品書", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"260401-AAAAAA", "260401-BBBBBB"} {
		s := sample()
		s.Slip, s.Registration, s.Number, s.Labels.Title = true, "", n, "納品書"
		s.Parcels = []Parcel{
			{Heading: "お届け先 1（送料 ¥930）", Lines: []string{"〒1000001 東京都千代田区1-1", "山田 太郎 様", "静岡 煎茶 100g × 1"}},
			{Heading: "お届け先 2（送料 ¥1,450）", Lines: []string{"〒0600001 北海道札幌市中央区北1条西", "佐藤 一郎 様", "急須 × 1"}},
		}
		if err := doc.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	inv := sample()
	inv.Registration = ""
	if err := doc.Add(inv); err == nil {
		t.Fatal("an invoice without a registration number was drawn")
	}
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text := PDFText(t, buf.Bytes())
	for _, want := range []string{"260401-AAAAAA", "260401-BBBBBB", "お届け先 2（送料 ¥1,450）", "北海道札幌市中央区北1条西", "急須 × 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "納品書") != 2 || strings.Contains(text, "T1234567890123") || strings.Count(text, "\f") < 2 {
		t.Errorf("not two slips on their own pages, or a registration number on a slip:\n%s", text)
	}
}

// BenchmarkDoc reports the heap a PDF of n slips holds before it is
// written (docs/PERFORMANCE.md): gopdf keeps every drawn page until
// WriteTo, so it grows with n; the orders themselves are not kept.
func BenchmarkDoc(b *testing.B) {
	for _, n := range []int{50, 500} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var total uint64
			for range b.N {
				runtime.GC()
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				doc, err := NewDoc("", "t", time.Now())
				if err != nil {
					b.Fatal(err)
				}
				for range n {
					s := sample()
					s.Slip = true
					if err := doc.Add(s); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&m1)
				total += m1.HeapAlloc - m0.HeapAlloc
				var buf bytes.Buffer
				if err := doc.Write(&buf); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(buf.Len())/float64(n), "pdf-bytes/slip")
			}
			b.ReportMetric(float64(total)/float64(b.N)/float64(n), "heap-bytes/slip")
		})
	}
}
