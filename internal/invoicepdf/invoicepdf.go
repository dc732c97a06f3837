// Package invoicepdf draws an order's qualified invoice (適格請求書) as a
// PDF with a Japanese TrueType font: the issuer and its registration
// number, the date, the buyer, every line with ※ on reduced-rate items,
// and the tax-included total and the tax per rate, rounded once per rate
// as the order stored them. The font is IPAex Gothic, embedded in the
// binary so that invoices print on any machine; a TrueType font on the
// system may replace it.
package invoicepdf

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/signintech/gopdf"

	"github.com/akinai/akinai/internal/shop"
)

// DebianFont is where Debian's fonts-ipaexfont-gothic installs IPAex
// Gothic (the same font as the embedded one), for --invoice-font.
const DebianFont = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

// DefaultFont is DebianFont.
//
// Deprecated: the default is the embedded font (a fontPath of ""); kept
// for code written when the font was read from the system.
const DefaultFont = DebianFont

// ErrNoFont is returned when the configured font file cannot be read or
// is not a TrueType font: the operator must fix --invoice-font, or leave
// it empty for the embedded font.
var ErrNoFont = &shop.Error{Kind: shop.Unavailable, Key: "invoicepdf.no_font"}

// Labels are the document's words in the buyer's language.
type Labels struct {
	Title        string // 適格請求書
	Number       string // 注文番号
	Date         string // 発行日
	Registration string // 登録番号
	Honorific    string // "様" (after the buyer's name), or "" in English
	Item         string
	Qty          string
	UnitPrice    string
	Amount       string
	RateTotal    string // "%s%%対象" with the rate percent
	RateTax      string // "内消費税"
	Total        string
	ReducedNote  string // "※は軽減税率対象商品です"
}

// Line is one item. Amounts are tax-included.
type Line struct {
	Name      string
	Reduced   bool
	Qty       int
	UnitPrice shop.Yen
	Total     shop.Yen
}

// Fee is a delivery or COD fee, taxed at the standard rate.
type Fee struct {
	Label  string
	Amount shop.Yen
}

// Rate is one rate's tax-included total and the tax it contains.
type Rate struct {
	Rate    shop.TaxRate
	Reduced bool
	Total   shop.Yen
	Tax     shop.Yen
}

// Invoice is what the PDF shows.
type Invoice struct {
	Labels       Labels
	Issuer       string // the shop's company or name
	IssuerLines  []string
	Registration string // T + 13 digits
	Date         time.Time
	Number       string
	Buyer        string
	BuyerLines   []string
	Lines        []Line
	Fees         []Fee
	Rates        []Rate
	Total        shop.Yen
	// Refers, on a credit note (適格返還請求書), names the sale it gives
	// money back for: the original invoice's number and date.
	Refers []string
	// Slip makes the page a delivery slip (納品書): the same layout
	// without the registration number, which a slip does not need.
	Slip bool
	// Parcels lists every destination of the order with what goes there
	// (multiple shipping); empty for an order with one destination.
	Parcels []Parcel
}

// Parcel is one destination: a heading ("お届け先 1") and its lines
// (address, recipient, method, items).
type Parcel struct {
	Heading string
	Lines   []string
}

// Render writes inv as an A4 PDF with the TrueType font at fontPath, or
// the embedded IPAex Gothic when fontPath is "". Errors: ErrNoFont when
// the font at fontPath cannot be read; an error for an invoice without a
// registration number, which would not be a qualified invoice.
func Render(w io.Writer, inv *Invoice, fontPath string) error {
	return RenderAll(w, []*Invoice{inv}, fontPath)
}

// RenderAll writes several invoices as one PDF, each starting on a new
// page (the invoices of a bulk selection, printed at once). Errors as
// Render, for the first invoice without a registration number.
func RenderAll(w io.Writer, invs []*Invoice, fontPath string) error {
	if len(invs) == 0 {
		return fmt.Errorf("invoicepdf: no invoices")
	}
	doc, err := NewDoc(fontPath, invs[0].Labels.Title, invs[0].Date)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if err := doc.Add(inv); err != nil {
			return err
		}
	}
	return doc.Write(w)
}

// Doc is a PDF being drawn one document at a time, so that a caller
// printing many orders holds one order's data at a time (the drawn pages
// themselves stay in memory until Write: docs/PERFORMANCE.md).
type Doc struct {
	pdf *gopdf.GoPdf
	d   *drawer
	n   int
}

// NewDoc starts an A4 PDF with the TrueType font at fontPath ("" for the
// embedded IPAex Gothic). Errors: ErrNoFont.
func NewDoc(fontPath, title string, created time.Time) (*Doc, error) {
	font, err := fontData(fontPath)
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "Akinai", CreationDate: created})
	if err := pdf.AddTTFFontData("jp", font); err != nil {
		return nil, &shop.Error{Kind: ErrNoFont.Kind, Key: ErrNoFont.Key, Cause: err}
	}
	return &Doc{pdf: pdf, d: &drawer{c: gopdfCanvas{pdf}}}, nil
}

// Add draws inv from a new page. Errors: an invoice (not a slip) without
// a registration number, which would not be a qualified invoice; a
// drawing error.
func (doc *Doc) Add(inv *Invoice) error {
	if !inv.Slip && inv.Registration == "" {
		return fmt.Errorf("invoicepdf: no registration number")
	}
	doc.d.invoice(inv)
	doc.n++
	return doc.d.err
}

// Len is the number of documents added.
func (doc *Doc) Len() int { return doc.n }

// Write writes the PDF to w.
func (doc *Doc) Write(w io.Writer) error {
	if doc.n == 0 {
		return fmt.Errorf("invoicepdf: no invoices")
	}
	var buf bytes.Buffer
	if err := doc.pdf.Write(&buf); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}

// invoice draws one invoice from a new page.
func (d *drawer) invoice(inv *Invoice) {
	c := d.c
	d.page()
	l := inv.Labels

	d.font(18)
	d.at(margin, 50).cell(contentW, 24, l.Title, alignCenter)
	d.font(10)
	y := 90.0
	d.at(pageW-margin-220, y).cell(220, 14, l.Number+": "+inv.Number, alignRight)
	d.at(pageW-margin-220, y+15).cell(220, 14, l.Date+": "+inv.Date.Format("2006-01-02"), alignRight)
	for i, s := range inv.Refers {
		d.at(pageW-margin-300, y+30+float64(i)*13).cell(300, 12, s, alignRight)
	}
	if len(inv.Refers) > 0 {
		y += 13 * float64(len(inv.Refers))
	}
	// Buyer on the left, issuer on the right, as Japanese invoices lay out.
	d.font(13)
	d.at(margin, y).cell(280, 18, inv.Buyer+" "+l.Honorific, alignLeft)
	c.setLineWidth(0.8)
	c.line(margin, y+20, margin+260, y+20)
	d.font(9)
	by := y + 26
	for _, s := range inv.BuyerLines {
		d.at(margin, by).cell(280, 12, s, alignLeft)
		by += 12
	}
	iy := y + 40
	d.font(11)
	d.at(pageW-margin-220, iy).cell(220, 14, inv.Issuer, alignRight)
	d.font(9)
	iy += 16
	for _, s := range inv.IssuerLines {
		d.at(pageW-margin-220, iy).cell(220, 12, s, alignRight)
		iy += 12
	}
	if !inv.Slip {
		d.at(pageW-margin-220, iy).cell(220, 12, l.Registration+": "+inv.Registration, alignRight)
		iy += 12
	}

	d.font(14)
	y = max(by, iy) + 20
	d.at(margin, y).cell(contentW, 20, l.Total+" "+yen(inv.Total), alignLeft)
	y += 30

	// Lines.
	cols := []float64{contentW - 230, 50, 90, 90}
	d.font(9)
	c.setLineWidth(0.5)
	d.row(y, cols, []string{l.Item, l.Qty, l.UnitPrice, l.Amount}, true)
	y += rowH
	for _, ln := range inv.Lines {
		name := ln.Name
		if ln.Reduced {
			name += " ※"
		}
		cells := []string{"", fmt.Sprint(ln.Qty), yen(ln.UnitPrice), yen(ln.Total)}
		for _, part := range d.split(name, cols[0]-6) {
			if y > pageH-120 {
				d.page()
				y = margin
			}
			cells[0] = part
			d.row(y, cols, cells, false)
			// A wrapped name's next lines carry no amounts.
			cells = []string{"", "", "", ""}
			y += rowH
		}
	}
	for _, f := range inv.Fees {
		d.row(y, cols, []string{f.Label, "", "", yen(f.Amount)}, false)
		y += rowH
	}
	if y > pageH-140 {
		d.page()
		y = margin
	}
	// Per-rate totals and tax: the part that makes it a qualified invoice.
	y += 10
	right := contentW - 230
	for _, r := range inv.Rates {
		label := fmt.Sprintf(l.RateTotal, r.Rate.Percent())
		if r.Reduced {
			label += " ※"
		}
		d.at(margin+right, y).cell(120, rowH, label, alignLeft)
		d.at(margin+right+120, y).cell(110, rowH, yen(r.Total)+" ("+l.RateTax+" "+yen(r.Tax)+")", alignRight)
		y += rowH
	}
	c.line(margin+right, y+2, margin+contentW, y+2)
	y += 6
	d.font(11)
	d.at(margin+right, y).cell(120, rowH, l.Total, alignLeft)
	d.at(margin+right+120, y).cell(110, rowH, yen(inv.Total), alignRight)
	y += rowH + 10
	d.font(9)
	d.at(margin, y).cell(contentW, 12, l.ReducedNote, alignLeft)
	y += 24
	for _, p := range inv.Parcels {
		if y > pageH-margin-float64(len(p.Lines)+1)*13 {
			d.page()
			y = margin
		}
		d.font(10)
		d.at(margin, y).cell(contentW, 14, p.Heading, alignLeft)
		y += 15
		d.font(9)
		for _, s := range p.Lines {
			for _, part := range d.split(s, contentW-12) {
				if y > pageH-margin {
					d.page()
					y = margin
				}
				d.at(margin+12, y).cell(contentW-12, 12, part, alignLeft)
				y += 12
			}
		}
		y += 6
	}
}

// Page geometry in points (A4 is 595 × 842).
const (
	pageW, pageH = 595.28, 841.89
	margin       = 40.0
	contentW     = pageW - 2*margin
	rowH         = 16.0
)

// drawer keeps the first error so the layout code reads straight.
type drawer struct {
	c    canvas
	x, y float64
	err  error
}

func (d *drawer) page() { d.c.addPage() }

func (d *drawer) font(size float64) {
	if err := d.c.setFont(size); err != nil && d.err == nil {
		d.err = err
	}
}

func (d *drawer) at(x, y float64) *drawer { d.x, d.y = x, y; return d }

func (d *drawer) cell(w, h float64, s string, align int) {
	if err := d.c.cell(d.x, d.y, w, h, s, align); err != nil && d.err == nil {
		d.err = err
	}
}

// row draws one table row.
func (d *drawer) row(y float64, cols []float64, cells []string, head bool) {
	x := margin
	for i, c := range cells {
		align := alignRight
		if i == 0 {
			align = alignLeft
		}
		if head {
			align = alignCenter
		}
		d.at(x+3, y).cell(cols[i]-6, rowH, c, align)
		x += cols[i]
	}
	d.c.line(margin, y+rowH, margin+contentW, y+rowH)
}

// split wraps s to width.
func (d *drawer) split(s string, width float64) []string { return d.c.split(s, width) }

func yen(y shop.Yen) string {
	if y < 0 { // a discount line
		return "-¥" + (-y).String()
	}
	return "¥" + y.String()
}
