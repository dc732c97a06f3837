package csvfile

import (
	"bytes"
	"io"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"商品名", "価格", "備考"},
		{"髙島屋の①お茶 〜静岡〜", "-1500", "=HYPERLINK(\"http://evil\")"},
		{"㈱あきない", "+81", "@SUM(A1)"},
		{"𠮷野家 😀", "1,980", "-x"},
	}
	for _, enc := range []Encoding{UTF8BOM, ShiftJIS} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, enc)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if enc == UTF8BOM && !bytes.HasPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
			t.Fatal("no BOM")
		}
		r, err := NewReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if r.Encoding != enc {
			t.Fatalf("sniffed %s, want %s", r.Encoding, enc)
		}
		want := map[Encoding][]string{
			UTF8BOM:  {"髙島屋の①お茶 〜静岡〜", "-1500", "'=HYPERLINK(\"http://evil\")", "'+81", "'@SUM(A1)", "𠮷野家 😀", "'-x"},
			ShiftJIS: {"髙島屋の①お茶 ～静岡～", "-1500", "'=HYPERLINK(\"http://evil\")", "'+81", "'@SUM(A1)", "〓野家 〓", "'-x"},
		}[enc]
		flat := []string{got[1][0], got[1][1], got[1][2], got[2][1], got[2][2], got[3][0], got[3][2]}
		for i := range want {
			if flat[i] != want[i] {
				t.Errorf("%s: cell %d = %q, want %q", enc, i, flat[i], want[i])
			}
		}
	}
}

func TestReaderShiftJISFromExcel(t *testing.T) {
	t.Parallel()
	sjis, _ := japanese.ShiftJIS.NewEncoder().String("コード,名前\r\nA-1,ｶﾀｶﾅ商品\r\n")
	r, err := NewReader(bytes.NewReader([]byte(sjis)))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.ReadAll()
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	if r.Encoding != ShiftJIS || rec[1][1] != "ｶﾀｶﾅ商品" {
		t.Fatalf("%s %q", r.Encoding, rec)
	}
}
