package catalog_test

import (
	"context"
	"io"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

// japaneseFile is a product file with kanji, kana and a long
// description; the EUC-JP copy of it was imported as mojibake before.
const japaneseFile = header +
	"sencha,public,静岡の煎茶「一番摘み」,Sencha,急須で淹れる緑茶です。,,,reduced,0,tea,,,,,,SEN-1,1200,,30,,1,1\r\n"

// TestImportProductsEncodings imports the same file in each encoding
// Japanese files come in: the name is stored right in every one, and a
// file in an encoding the shop cannot read is refused by name with
// nothing written.
func TestImportProductsEncodings(t *testing.T) {
	t.Parallel()
	enc := func(e encoding.Encoding, s string) string {
		b, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	iso := strings.Replace(japaneseFile, "「一番摘み」", "（一番摘み）", 1) // brackets are in JIS X 0208 either way
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		if _, err := mk2(ctx, d, 0, "tea"); err != nil {
			t.Fatal(err)
		}
		for name, tc := range map[string]struct{ file, want string }{
			"UTF-8":        {japaneseFile, "静岡の煎茶「一番摘み」"},
			"UTF-8 BOM":    {"\uFEFF" + japaneseFile, "静岡の煎茶「一番摘み」"},
			"Shift_JIS":    {enc(japanese.ShiftJIS, japaneseFile), "静岡の煎茶「一番摘み」"},
			"EUC-JP":       {enc(japanese.EUCJP, japaneseFile), "静岡の煎茶「一番摘み」"},
			"ISO-2022-JP":  {enc(japanese.ISO2022JP, iso), "静岡の煎茶（一番摘み）"},
			"UTF-16LE BOM": {enc(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), japaneseFile), "静岡の煎茶「一番摘み」"},
			"UTF-16BE":     {enc(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), japaneseFile), "静岡の煎茶「一番摘み」"},
		} {
			if rep := importCSV(t, d, true, tc.file); rep.Count != 0 {
				t.Fatalf("%s: %+v", name, rep.Errors)
			}
			var got, desc string
			if err := d.QueryRow(ctx, `SELECT name_ja, description_ja FROM products WHERE slug = 'sencha'`).Scan(&got, &desc); err != nil {
				t.Fatal(err)
			}
			if got != tc.want || desc != "急須で淹れる緑茶です。" {
				t.Errorf("%s: stored %q / %q", name, got, desc)
			}
			if _, err := d.Exec(ctx, `UPDATE products SET name_ja = 'reset' WHERE slug = 'sencha'`); err != nil {
				t.Fatal(err)
			}
		}
		for name, tc := range map[string]struct{ file, key, arg string }{
			"UTF-32":  {"\xff\xfe\x00\x00p\x00\x00\x00", catalog.ErrKeyCSVEncodingNamed, "UTF-32"},
			"binary":  {header + "x\x00\x01\x02", catalog.ErrKeyCSVEncodingNamed, "binary"},
			"Latin-1": {header + "x,public,caf\xe9 cr\xe8me,,,,,standard,0,,,,,,,X1,1,,,,1,1\r\n", catalog.ErrKeyCSVEncodingUnknown, ""},
		} {
			rep := importCSV(t, d, true, tc.file)
			if rep.Count != 1 || rep.Errors[0].Key != tc.key || rep.Errors[0].Arg != tc.arg {
				t.Errorf("%s: %+v", name, rep.Errors)
			}
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM products WHERE name_ja = 'reset'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("a refused file wrote: %d products left as they were, %v", n, err)
		}
	})
}

// TestImportProductsErrorCap checks a file with many thousands of bad
// rows: the report keeps the first MaxRowErrors and counts the rest.
func TestImportProductsErrorCap(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	var b strings.Builder
	b.WriteString(header)
	for range 5000 {
		b.WriteString("x,y\r\n")
	}
	rep, err := catalog.ImportProducts(t.Context(), d, nil, strings.NewReader(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count != 5000 || len(rep.Errors) != catalog.MaxRowErrors {
		t.Fatalf("count %d, kept %d", rep.Count, len(rep.Errors))
	}
}

// lineFile is an n-byte file of a header and one long line, made as it
// is read (the attack's 40 MB file), that samples the heap every MiB.
type lineFile struct {
	head  string
	left  int
	read  int
	probe func()
}

func (f *lineFile) Read(p []byte) (int, error) {
	if f.head != "" {
		n := copy(p, f.head)
		f.head = f.head[n:]
		return n, nil
	}
	if f.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), f.left)
	for i := range p[:n] {
		p[i] = "a,"[i%2]
	}
	f.left -= n
	if f.read += n; f.read >= 1<<20 {
		f.read = 0
		f.probe()
	}
	return n, nil
}

// checkHeap runs the dry run of a file with a long line of n bytes and
// returns its report and the peak heap over the start.
func checkHeap(t *testing.T, d *db.DB, head string, n int) (*catalog.Report, uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	f := &lineFile{head: head, left: n, probe: func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}}
	rep, err := catalog.ImportProducts(context.Background(), d, nil, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&ms)
	return rep, max(peak, ms.HeapAlloc) - base
}

// TestImportProductsMemoryIsFlat checks the 40 MB one-line file, as a
// header and as a row: one clear error, and a heap bounded by the row
// limit rather than the file (it took 1.9 GB and reported 20,971,536
// errors). Not parallel: it measures the heap.
func TestImportProductsMemoryIsFlat(t *testing.T) {
	d := dbtest.MustOpen(t, dbtest.SQLite)
	for name, head := range map[string]string{"header": "", "row": header} {
		rep, big := checkHeap(t, d, head, 40<<20)
		if rep.Count != 1 || rep.Errors[0].Key != catalog.ErrKeyCSVTooLong {
			t.Fatalf("%s: %+v", name, rep.Errors)
		}
		_, small := checkHeap(t, d, head, 2<<20)
		t.Logf("%s: peak heap over start: 40 MiB line %d KiB, 2 MiB line %d KiB", name, big>>10, small>>10)
		if big > 24<<20 || big > 2*small+(2<<20) {
			t.Errorf("%s: the check's heap grows with the file: %d KiB for 40 MiB, %d KiB for 2 MiB", name, big>>10, small>>10)
		}
	}
}
