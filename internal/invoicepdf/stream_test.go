package invoicepdf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// TestStream_Slips: slips written by the streaming writer are a valid PDF
// (pdfinfo counts the pages, pdftotext reads the Japanese text back
// through the ToUnicode map), each document from its own page, a long
// item name wrapped, every parcel listed, no registration number on a
// slip; an invoice without one is refused.
func TestStream_Slips(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed (poppler-utils)")
		}
	}
	var buf bytes.Buffer
	s, err := NewStream(&buf, "", "納品書", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err == nil {
		t.Fatal("an empty PDF was closed")
	}
	for i := range 3 {
		sl := sample()
		sl.Slip, sl.Registration, sl.Number, sl.Labels.Title = true, "", fmt.Sprintf("260401-SLIP%02d", i), "納品書"
		sl.Parcels = []Parcel{
			{Heading: "お届け先 1（送料 ¥930）", Lines: []string{"〒1000001 東京都千代田区1-1", "山田 太郎 様"}},
			{Heading: "お届け先 2（送料 ¥1,450）", Lines: []string{"〒0600001 北海道札幌市中央区北1条西", "急須 × 1"}},
		}
		if err := s.Add(sl); err != nil {
			t.Fatal(err)
		}
	}
	inv := sample()
	inv.Registration = ""
	if err := s.Add(inv); err == nil {
		t.Fatal("an invoice without a registration number was drawn")
	}
	if err := s.Add(sample()); err != nil { // a qualified invoice after the slips
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	fields := map[string]string{}
	for _, l := range strings.Split(string(info), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			fields[k] = strings.TrimSpace(v)
		}
	}
	if err != nil || fields["Pages"] != "4" || fields["Title"] != "納品書" || fields["Page size"] != "595.28 x 841.89 pts (A4)" {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	text := PDFText(t, buf.Bytes())
	for _, want := range []string{"260401-SLIP00", "260401-SLIP02", "北海道札幌市中央区北1条西", "お届け先 2（送料 ¥1,450）",
		"静岡 煎茶 100g ※", "¥5,310", "登録番号: T1234567890123", "10%対象", "るための名前です"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "納品書") != 3 || strings.Count(text, "T1234567890123") != 1 || strings.Count(text, "\f") < 4 {
		t.Errorf("not three slips and an invoice on their own pages:\n%s", text)
	}
}

// BenchmarkStream reports the peak live heap while n slips are drawn
// and written to io.Discard by the streaming writer (Stream) and, for
// comparison, by gopdf (Doc): every 50 slips (and before the final write
// and after it) the garbage is collected and the heap's live objects read
// from runtime/metrics; the largest reading less the heap before the
// print is the print's peak (docs/PERFORMANCE.md). The font, parsed once
// per process, is loaded before the first reading.
func BenchmarkStream(b *testing.B) {
	if err := printSlips("stream", io.Discard, 1, func() {}); err != nil { // font loaded and parsed: not the print's
		b.Fatal(err)
	}
	for _, kind := range []string{"stream", "gopdf"} {
		for _, n := range []int{100, 2000} {
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				var peak, pdf uint64
				for range b.N {
					runtime.GC()
					base, top := heapObjects(), uint64(0)
					cw := &countingWriter{w: io.Discard}
					err := printSlips(kind, cw, n, func() {
						runtime.GC()
						top = max(top, heapObjects())
					})
					if err != nil {
						b.Fatal(err)
					}
					if top > base {
						peak += top - base
					}
					pdf += uint64(cw.n)
				}
				b.ReportMetric(float64(peak)/float64(b.N)/1024, "peak-live-KB")
				b.ReportMetric(float64(pdf)/float64(b.N)/1024, "pdf-KB")
			})
		}
	}
}

// printSlips prints n sample slips to w, calling probe every 50 slips,
// before the final write and after it.
func printSlips(kind string, w io.Writer, n int, probe func()) error {
	var add func(*Invoice) error
	var end func() error
	if kind == "stream" {
		s, err := NewStream(w, "", "t", time.Now())
		if err != nil {
			return err
		}
		add, end = s.Add, s.Close
	} else {
		d, err := NewDoc("", "t", time.Now())
		if err != nil {
			return err
		}
		add, end = d.Add, func() error { return d.Write(w) }
	}
	for i := range n {
		s := sample()
		s.Slip, s.Number = true, fmt.Sprintf("260401-%06d", i)
		if err := add(s); err != nil {
			return err
		}
		if i%50 == 49 {
			probe()
		}
	}
	probe()
	err := end()
	probe()
	return err
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
