package invoicepdf

import "github.com/signintech/gopdf"

// Alignments of a text in its cell (always centred vertically).
const (
	alignLeft = iota
	alignRight
	alignCenter
)

// canvas is what the layout draws on: gopdf for a document kept in
// memory until Write (Doc), or the streaming writer of a bulk print
// (Stream), which writes each page as soon as the next one starts.
// Coordinates are points from the page's top left corner.
type canvas interface {
	addPage()
	setFont(size float64) error
	setLineWidth(w float64)
	line(x1, y1, x2, y2 float64)
	// cell draws s in the w × h box at x, y, centred vertically.
	cell(x, y, w, h float64, s string, align int) error
	// split wraps s to width (CJK text has no spaces to break at).
	split(s string, width float64) []string
}

// gopdfCanvas is canvas on gopdf.
type gopdfCanvas struct{ pdf *gopdf.GoPdf }

func (c gopdfCanvas) addPage()                    { c.pdf.AddPage() }
func (c gopdfCanvas) setFont(size float64) error  { return c.pdf.SetFont("jp", "", size) }
func (c gopdfCanvas) setLineWidth(w float64)      { c.pdf.SetLineWidth(w) }
func (c gopdfCanvas) line(x1, y1, x2, y2 float64) { c.pdf.Line(x1, y1, x2, y2) }

func (c gopdfCanvas) cell(x, y, w, h float64, s string, align int) error {
	a := map[int]int{alignLeft: gopdf.Left, alignRight: gopdf.Right, alignCenter: gopdf.Center}[align]
	c.pdf.SetXY(x, y)
	return c.pdf.CellWithOption(&gopdf.Rect{W: w, H: h}, s, gopdf.CellOption{Align: a | gopdf.Middle})
}

func (c gopdfCanvas) split(s string, width float64) []string {
	parts, err := c.pdf.SplitText(s, width)
	if err != nil || len(parts) == 0 {
		return []string{s}
	}
	return parts
}
