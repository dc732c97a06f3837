package csvfile

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// sample is a file with what Japanese product files hold: kanji, kana,
// half-width kana, CP932's circled digits, and a long ASCII start so that
// the encoding is decided past the first line.
const sample = "product_slug,name_ja,description_ja\r\n" +
	"sku-0001,ascii only,plain\r\n" +
	"sencha,静岡の煎茶　一番摘み,急須で淹れる緑茶です。ｶﾀｶﾅ\r\n" +
	"cup,湯呑み「藍」,\"二行の\r\n説明、です\"\r\n"

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReaderDetectsEncodings(t *testing.T) {
	t.Parallel()
	// ISO-2022-JP has no half-width kana (JIS X 0201 kana is not in it).
	iso := strings.ReplaceAll(sample, "ｶﾀｶﾅ", "カタカナ")
	for name, tc := range map[string]struct {
		file []byte
		text string
		want Encoding
	}{
		"UTF-8":          {[]byte(sample), sample, UTF8BOM},
		"UTF-8 with BOM": {append([]byte("\uFEFF"), sample...), sample, UTF8BOM},
		"Shift_JIS":      {encode(t, japanese.ShiftJIS, sample), sample, ShiftJIS},
		"EUC-JP":         {encode(t, japanese.EUCJP, sample), sample, EUCJP},
		"ISO-2022-JP":    {encode(t, japanese.ISO2022JP, iso), iso, ISO2022JP},
		"UTF-16LE BOM":   {encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), sample), sample, UTF16LE},
		"UTF-16BE BOM":   {encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), sample), sample, UTF16BE},
		"UTF-16LE":       {encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), sample), sample, UTF16LE},
		"UTF-16BE":       {encode(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), sample), sample, UTF16BE},
		"EUC-JP short":   {encode(t, japanese.EUCJP, "a,b\r\nx,煎茶\r\n"), "a,b\r\nx,煎茶\r\n", EUCJP},
		"SJIS short":     {encode(t, japanese.ShiftJIS, "a,b\r\nx,煎茶\r\n"), "a,b\r\nx,煎茶\r\n", ShiftJIS},
		"ASCII":          {[]byte("a,b\r\n1,2\r\n"), "a,b\r\n1,2\r\n", UTF8BOM},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := NewReader(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want, _ := csvRecords(tc.text)
			if r.Encoding != tc.want || !equal(got, want) {
				t.Fatalf("read as %s: %q\nwant %s: %q", r.Encoding, got, tc.want, want)
			}
		})
	}
}

func TestReaderRefusesByName(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		file []byte
		want string
	}{
		"UTF-32":  {encodeUTF32LE("a,b\r\n煎茶,1\r\n"), "UTF-32"},
		"binary":  {[]byte("PK\x03\x04\x00\x00\x08\x00binary zip"), "binary"},
		"Latin-1": {[]byte("name,price\r\ncaf\xe9,1\r\n"), ""},
		"GB18030": {[]byte("name\r\n\xc4\xe3\xba\xc3\x80\x81\r\n"), ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := NewReader(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.ReadAll()
			var ee *EncodingError
			if !errors.As(err, &ee) || ee.Name != tc.want {
				t.Fatalf("err = %v, want an EncodingError naming %q", err, tc.want)
			}
		})
	}
}

func encodeUTF32LE(s string) []byte {
	b := []byte{0xFF, 0xFE, 0, 0}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8), byte(r>>16), 0)
	}
	return b
}

func csvRecords(s string) ([][]string, error) {
	r, err := NewReader(strings.NewReader(s))
	if err != nil {
		return nil, err
	}
	return r.ReadAll()
}

func equal(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") {
			return false
		}
	}
	return true
}

// oneLine is an n-byte CSV file of a single line of one-letter cells,
// made as it is read, as the attack's 40 MB file was.
type oneLine struct{ left int }

func (o *oneLine) Read(p []byte) (int, error) {
	if o.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), o.left)
	for i := range p[:n] {
		p[i] = "a,"[i%2]
	}
	o.left -= n
	return n, nil
}

// peakHeap reads a Reader to its end through src and returns the
// largest heap in use seen at each 1 MiB read, over the heap before.
func peakHeap(t *testing.T, src io.Reader) (uint64, error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	probe := &probing{r: src, every: 1 << 20, probe: func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}}
	r, err := NewReader(probe)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err = r.Read(); err != nil {
			break
		}
	}
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapAlloc)
	return peak - min(base, peak), err
}

type probing struct {
	r     io.Reader
	every int
	read  int
	probe func()
}

func (p *probing) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += n
	if p.read >= p.every {
		p.read = 0
		p.probe()
	}
	return n, err
}

// TestReaderMemoryIsFlat reads a 40 MB one-line file: the reader stops at
// its record limit with a clear error, and the heap it used is bounded by
// that limit, not by the file (not parallel: it measures the heap).
func TestReaderMemoryIsFlat(t *testing.T) {
	big, err := peakHeap(t, &oneLine{left: 40 << 20})
	var tooLong *RecordTooLongError
	if !errors.As(err, &tooLong) || tooLong.Max != DefaultMaxRecord {
		t.Fatalf("40 MB line: err = %v, want RecordTooLongError", err)
	}
	small, _ := peakHeap(t, &oneLine{left: 1 << 20})
	t.Logf("peak heap over base: 40 MiB line %d KiB, 1 MiB line %d KiB", big>>10, small>>10)
	// 256 KiB of one-letter cells is 128 Ki fields: the csv package's
	// record, field indexes and positions take ~40 bytes each.
	if big > 16<<20 {
		t.Fatalf("reading a 40 MiB line used %d MiB of heap", big>>20)
	}
	if big > 2*small+(1<<20) {
		t.Fatalf("heap grows with the file: 40 MiB → %d KiB, 1 MiB → %d KiB", big>>10, small>>10)
	}
}

func TestReaderRecordLimit(t *testing.T) {
	t.Parallel()
	long := "a,b\r\n1," + strings.Repeat("x", 300<<10) + "\r\n"
	r, _ := NewReader(strings.NewReader(long))
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	var tooLong *RecordTooLongError
	if _, err := r.Read(); !errors.As(err, &tooLong) {
		t.Fatalf("err = %v", err)
	}
	// An unclosed quote swallows the rest of the file into one cell.
	r, _ = NewReader(strings.NewReader("a,b\r\n\"" + strings.Repeat("line\r\n", 100000)))
	r.Read()
	if _, err := r.Read(); !errors.As(err, &tooLong) {
		t.Fatalf("unclosed quote: err = %v", err)
	}
	r, _ = NewReader(strings.NewReader(long))
	r.SetMaxRecord(1 << 20)
	if got, err := r.ReadAll(); err != nil || len(got[1][1]) != 300<<10 {
		t.Fatalf("raised limit: %v", err)
	}
}

// TestReaderLateJapanese has 100 KiB of ASCII rows before the first
// Japanese one: the encoding is decided there, not guessed from the
// ASCII start.
func TestReaderLateJapanese(t *testing.T) {
	t.Parallel()
	text := "sku,name\r\n" + strings.Repeat("A-0001,ascii\r\n", 100<<10/14) + "B-1,煎茶と抹茶\r\n"
	for _, e := range []encoding.Encoding{japanese.EUCJP, japanese.ShiftJIS} {
		r, _ := NewReader(bytes.NewReader(encode(t, e, text)))
		if r.Encoding != "" {
			t.Fatalf("decided on ASCII: %s", r.Encoding)
		}
		got, err := r.ReadAll()
		if err != nil || got[len(got)-1][1] != "煎茶と抹茶" {
			t.Fatalf("%s: %v %q", r.Encoding, err, got[len(got)-1])
		}
	}
}
