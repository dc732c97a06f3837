// Package csvfile reads and writes the CSV files Japanese operators open
// in Excel. It writes UTF-8 with a byte-order mark or Shift_JIS (CP932),
// and reads those and the other encodings Japanese files come in (EUC-JP,
// ISO-2022-JP, UTF-16), detected from the content. Written
// cells that a spreadsheet would run as a formula are neutralised, and
// characters Shift_JIS cannot hold are mapped or replaced visibly.
package csvfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// Encoding is how a file is encoded.
type Encoding string

const (
	UTF8BOM  Encoding = "utf8"
	ShiftJIS Encoding = "sjis"
)

// ParseEncoding accepts "utf8", "utf-8", "sjis", "shift_jis", "cp932".
func ParseEncoding(s string) (Encoding, bool) {
	switch strings.ToLower(s) {
	case "utf8", "utf-8", "":
		return UTF8BOM, true
	case "sjis", "shift_jis", "shift-jis", "cp932":
		return ShiftJIS, true
	}
	return "", false
}

// Writer writes records in the chosen encoding.
type Writer struct {
	csv *csv.Writer
	out *bufio.Writer
	enc Encoding
}

// NewWriter returns a Writer; for UTF8BOM it writes the byte-order mark
// Excel needs to recognise UTF-8. Lines end with CRLF, as Excel writes.
func NewWriter(w io.Writer, enc Encoding) (*Writer, error) {
	out := bufio.NewWriterSize(w, 64<<10)
	var dst io.Writer = out
	switch enc {
	case UTF8BOM:
		if _, err := out.WriteString("\uFEFF"); err != nil {
			return nil, err
		}
	case ShiftJIS:
		dst = transform.NewWriter(out, japanese.ShiftJIS.NewEncoder())
	default:
		return nil, fmt.Errorf("csvfile: unknown encoding %q", enc)
	}
	c := csv.NewWriter(dst)
	c.UseCRLF = true
	return &Writer{csv: c, out: out, enc: enc}, nil
}

// Write writes one record, neutralising formulas and, for Shift_JIS,
// mapping characters it cannot encode.
func (w *Writer) Write(record []string) error {
	row := make([]string, len(record))
	for i, cell := range record {
		cell = Neutralise(cell)
		if w.enc == ShiftJIS {
			cell = ForShiftJIS(cell)
		}
		row[i] = cell
	}
	return w.csv.Write(row)
}

// Flush writes buffered data; call it once at the end and check the error.
func (w *Writer) Flush() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	return w.out.Flush()
}

// Neutralise prefixes a cell that a spreadsheet would evaluate (starting
// with =, +, -, @, tab or CR) with an apostrophe, so "=HYPERLINK(…)" from
// a customer's name stays text. Plain negative numbers are left alone.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + cell
	case '-':
		if isNumber(cell[1:]) {
			return cell
		}
		return "'" + cell
	}
	return cell
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

// sjisMap folds characters that CP932 lacks onto the ones Japanese
// Windows uses for them (the wave dash and minus sign problem).
var sjisMap = strings.NewReplacer(
	"\u301C", "\uFF5E", // 〜 → ～
	"\u2212", "\uFF0D", // − → －
	"\u00A5", "\uFFE5", // ¥ → ￥
	"\u2016", "\u2225", // ‖ → ∥
	"\u00A2", "\uFFE0", "\u00A3", "\uFFE1", "\u00AC", "\uFFE2",
	"\u2014", "\u2015", // — → ―
)

// Replacement stands for a character Shift_JIS cannot hold (〓, the geta
// mark, is what Japanese systems print for it).
const Replacement = "〓"

// ForShiftJIS maps s so that every character encodes in CP932.
func ForShiftJIS(s string) string {
	s = sjisMap.Replace(s)
	enc := japanese.ShiftJIS.NewEncoder()
	if _, err := enc.String(s); err == nil {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if _, err := japanese.ShiftJIS.NewEncoder().String(string(r)); err != nil {
			b.WriteString(Replacement)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
