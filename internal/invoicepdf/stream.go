package invoicepdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/signintech/gopdf/fontmaker/core"

	"github.com/akinai/akinai/internal/shop"
)

// Stream is a PDF of many documents written while it is drawn: each page
// goes to the writer, compressed, as soon as the next one starts, so a
// bulk print of thousands of slips holds one page at a time (gopdf, which
// Doc uses, keeps every page until Write: docs/PERFORMANCE.md). What grows
// with the number of pages is only the cross-reference table the PDF
// format needs at the end (an offset per object, two objects a page).
//
// The font is embedded whole (about 4 MB compressed for IPAex Gothic),
// not subset as Doc does: a subset needs every glyph of the document
// before the font is written, and writing it whole keeps the writer
// simple. Text is drawn by glyph ID (Identity-H) with a ToUnicode map, so
// it can be searched and copied.
type Stream struct {
	w        *countingWriter
	font     *streamFont
	size     float64
	lw       float64
	page     bytes.Buffer // the current page's content
	open     bool
	offsets  []int64 // by object number - 1; 0 for one not written yet
	pages    []int   // page object numbers
	used     map[uint]rune
	n        int
	d        *drawer
	title    string
	created  time.Time
	finished bool
}

// Fixed object numbers; pages start after them.
const (
	objCatalog = iota + 1
	objPages
	objFont
	objCIDFont
	objDescriptor
	objFontFile
	objFontFileLen
	objToUnicode
	objInfo
	firstPageObj
)

// NewStream starts a PDF on w with the TrueType font at fontPath (""
// for the embedded IPAex Gothic). Nothing is written until the first
// document is added. Errors: ErrNoFont.
func NewStream(w io.Writer, fontPath, title string, created time.Time) (*Stream, error) {
	f, err := parsedFont(fontPath)
	if err != nil {
		return nil, err
	}
	s := &Stream{w: &countingWriter{w: bufio.NewWriterSize(w, 32<<10)}, font: f,
		used: map[uint]rune{}, title: title, created: created}
	s.offsets = make([]int64, firstPageObj-1)
	s.d = &drawer{c: s}
	return s, nil
}

// Add draws inv from a new page. Errors as Doc.Add, and the writer's.
func (s *Stream) Add(inv *Invoice) error {
	if !inv.Slip && inv.Registration == "" {
		return fmt.Errorf("invoicepdf: no registration number")
	}
	if s.n == 0 {
		s.w.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	}
	s.d.invoice(inv)
	s.n++
	if s.d.err != nil {
		return s.d.err
	}
	return s.w.err
}

// Len is the number of documents added.
func (s *Stream) Len() int { return s.n }

// Close writes the last page, the font, the page tree and the
// cross-reference table, and flushes. Errors: none added; the writer's.
func (s *Stream) Close() error {
	if s.n == 0 {
		return fmt.Errorf("invoicepdf: no invoices")
	}
	if s.finished {
		return nil
	}
	s.finished = true
	s.endPage()
	s.obj(objCatalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", objPages))
	var kids bytes.Buffer
	for _, p := range s.pages {
		fmt.Fprintf(&kids, "%d 0 R ", p)
	}
	s.obj(objPages, fmt.Sprintf("<< /Type /Pages /Count %d /Kids [ %s] >>", len(s.pages), kids.String()))
	s.writeFont()
	s.obj(objInfo, fmt.Sprintf("<< /Title %s /Creator (Akinai) /CreationDate (D:%s) >>", pdfText(s.title), s.created.UTC().Format("20060102150405Z")))
	xref := s.w.n
	fmt.Fprintf(s.w, "xref\n0 %d\n0000000000 65535 f \n", len(s.offsets)+1)
	for _, off := range s.offsets {
		fmt.Fprintf(s.w, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(s.w, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(s.offsets)+1, objCatalog, objInfo, xref)
	if s.w.err != nil {
		return s.w.err
	}
	return s.w.w.(*bufio.Writer).Flush()
}

// obj writes object num with body.
func (s *Stream) obj(num int, body string) {
	s.begin(num)
	s.w.WriteString(body)
	s.w.WriteString("\nendobj\n")
}

func (s *Stream) begin(num int) {
	for len(s.offsets) < num {
		s.offsets = append(s.offsets, 0)
	}
	s.offsets[num-1] = s.w.n
	fmt.Fprintf(s.w, "%d 0 obj\n", num)
}

// stream writes object num as a Flate-compressed stream of data with the
// extra dictionary entries dict.
func (s *Stream) stream(num int, dict string, data []byte) {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zw.Write(data)
	zw.Close()
	s.begin(num)
	fmt.Fprintf(s.w, "<< /Length %d /Filter /FlateDecode%s >>\nstream\n", z.Len(), dict)
	s.w.Write(z.Bytes())
	s.w.WriteString("\nendstream\nendobj\n")
}

// newObj is the next free object number.
func (s *Stream) newObj() int {
	s.offsets = append(s.offsets, 0)
	return len(s.offsets)
}

func (s *Stream) endPage() {
	if !s.open {
		return
	}
	page, content := s.newObj(), s.newObj()
	s.obj(page, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
		objPages, pageW, pageH, objFont, content))
	s.stream(content, "", s.page.Bytes())
	s.pages = append(s.pages, page)
	s.page.Reset()
	s.open = false
}

// canvas

func (s *Stream) addPage() {
	s.endPage()
	s.open = true
	if s.lw > 0 {
		fmt.Fprintf(&s.page, "%.2f w\n", s.lw)
	}
}

func (s *Stream) setFont(size float64) error { s.size = size; return nil }

func (s *Stream) setLineWidth(w float64) {
	s.lw = w
	fmt.Fprintf(&s.page, "%.2f w\n", w)
}

func (s *Stream) line(x1, y1, x2, y2 float64) {
	fmt.Fprintf(&s.page, "%.2f %.2f m %.2f %.2f l S\n", x1, pageH-y1, x2, pageH-y2)
}

func (s *Stream) cell(x, y, w, h float64, text string, align int) error {
	if text == "" {
		return nil
	}
	f := s.font
	tw := f.width(text, s.size)
	switch align {
	case alignRight:
		x += w - tw
	case alignCenter:
		x += (w - tw) / 2
	}
	// Centre the glyphs' box (ascent to descent) in the cell.
	upm := float64(f.p.UnitsPerEm())
	base := y + h/2 + float64(f.p.Ascender()+f.p.Descender())/2*s.size/upm
	fmt.Fprintf(&s.page, "BT /F1 %.2f Tf %.2f %.2f Td <", s.size, x, pageH-base)
	for _, r := range text {
		g := f.glyph(r)
		s.used[g] = r
		fmt.Fprintf(&s.page, "%04X", g)
	}
	s.page.WriteString("> Tj ET\n")
	return nil
}

func (s *Stream) split(text string, width float64) []string {
	var out []string
	var cur []rune
	cw := 0.0
	for _, r := range text {
		rw := s.font.width(string(r), s.size)
		if len(cur) > 0 && cw+rw > width {
			out = append(out, string(cur))
			cur, cw = nil, 0
		}
		cur = append(cur, r)
		cw += rw
	}
	if len(cur) > 0 || len(out) == 0 {
		out = append(out, string(cur))
	}
	return out
}

// writeFont writes the Type0 font with its CID font, descriptor, the
// whole TrueType file and the ToUnicode map of the glyphs used.
func (s *Stream) writeFont() {
	p := s.font.p
	upm := float64(p.UnitsPerEm())
	k := func(v int) int { return int(float64(v) * 1000 / upm) }
	name := "AkinaiJP"
	s.obj(objFont, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		name, objCIDFont, objToUnicode))
	gids := make([]uint, 0, len(s.used))
	for g := range s.used {
		gids = append(gids, g)
	}
	slices.Sort(gids)
	var widths bytes.Buffer
	for _, g := range gids {
		fmt.Fprintf(&widths, "%d [%d] ", g, s.font.glyphWidth(g))
	}
	s.obj(objCIDFont, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [ %s] /CIDToGIDMap /Identity >>",
		name, objDescriptor, widths.String()))
	s.obj(objDescriptor, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %d /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>",
		name, p.Flag(), k(p.XMin()), k(p.YMin()), k(p.XMax()), k(p.YMax()), p.ItalicAngle(), k(p.Ascender()), k(p.Descender()), k(p.CapHeight()), objFontFile))
	// The font file is compressed straight to the output, its length
	// written after it as an object of its own.
	s.begin(objFontFile)
	fmt.Fprintf(s.w, "<< /Length %d 0 R /Length1 %d /Filter /FlateDecode >>\nstream\n", objFontFileLen, len(s.font.data))
	start := s.w.n
	zw, _ := zlib.NewWriterLevel(s.w, zlib.BestSpeed)
	zw.Write(s.font.data)
	zw.Close()
	n := s.w.n - start
	s.w.WriteString("\nendstream\nendobj\n")
	s.obj(objFontFileLen, strconv.FormatInt(n, 10))
	var cmap bytes.Buffer
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&cmap, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune{s.used[g]}) {
				fmt.Fprintf(&cmap, "%04X", u)
			}
			cmap.WriteString(">\n")
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	s.stream(objToUnicode, "", cmap.Bytes())
}

// streamFont is the metrics of the TrueType font.
type streamFont struct {
	p    *core.TTFParser
	data []byte
}

// parsed holds the fonts parsed by parsedFont, by path: a font is read
// and parsed once per process (like the embedded font's decompression),
// not once per print.
var parsed sync.Map

// parsedFont returns the font at fontPath ("" for the embedded one)
// parsed. Errors: ErrNoFont.
func parsedFont(fontPath string) (*streamFont, error) {
	if f, ok := parsed.Load(fontPath); ok {
		return f.(*streamFont), nil
	}
	data, err := fontData(fontPath)
	if err != nil {
		return nil, err
	}
	var p core.TTFParser
	if err := p.ParseFontData(data); err != nil {
		return nil, &shop.Error{Kind: ErrNoFont.Kind, Key: ErrNoFont.Key, Cause: err}
	}
	f, _ := parsed.LoadOrStore(fontPath, &streamFont{p: &p, data: data})
	return f.(*streamFont), nil
}

// glyph is r's glyph ID, 0 (.notdef) when the font lacks it.
func (f *streamFont) glyph(r rune) uint { return f.p.Chars()[int(r)] }

// glyphWidth is a glyph's advance in thousandths of the font size.
func (f *streamFont) glyphWidth(g uint) int {
	w := f.p.Widths()
	if len(w) == 0 {
		return 1000
	}
	if int(g) >= len(w) {
		g = uint(len(w) - 1)
	}
	return int(float64(w[g]) * 1000 / float64(f.p.UnitsPerEm()))
}

// width is text's advance in points at size.
func (f *streamFont) width(text string, size float64) float64 {
	var sum int
	for _, r := range text {
		sum += f.glyphWidth(f.glyph(r))
	}
	return float64(sum) * size / 1000
}

// pdfText is s as a PDF text string in UTF-16BE with a byte order mark.
func pdfText(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// countingWriter counts what it writes and keeps the first error.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

func (c *countingWriter) WriteString(s string) (int, error) { return c.Write([]byte(s)) }
