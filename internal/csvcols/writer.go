package csvcols

import (
	"context"

	"github.com/akinai/akinai/internal/db"
)

// RecordWriter is where a Writer's records go: a csvfile.Writer (Excel's
// encodings) or an encoding/csv Writer.
type RecordWriter interface {
	Write(record []string) error
}

// Writer writes an export with the operator's columns: records come in the
// export's default column order and go out as chosen.
type Writer struct {
	cw   RecordWriter
	pick []int // index in a full record of each chosen column
	rec  []string
}

// NewWriter reads the operator's columns of e, writes their headings (in
// the language of t) to cw and returns a Writer for the records.
func NewWriter(ctx context.Context, q db.Queryer, cw RecordWriter, e Export, t func(string) string) (*Writer, error) {
	chosen, err := ChosenColumns(ctx, q, e)
	if err != nil {
		return nil, err
	}
	return Start(cw, e, chosen, t)
}

// Start is NewWriter with the columns already read.
func Start(cw RecordWriter, e Export, chosen []Chosen, t func(string) string) (*Writer, error) {
	index := map[string]int{}
	for i, c := range e.Columns {
		index[c.Key] = i
	}
	w := &Writer{cw: cw}
	head := make([]string, 0, len(chosen))
	for _, c := range chosen {
		i, ok := index[c.Key]
		if !ok {
			continue
		}
		w.pick = append(w.pick, i)
		h := c.Heading
		if h == "" {
			h = e.Columns[i].Heading(t)
		}
		head = append(head, h)
	}
	w.rec = make([]string, len(w.pick))
	return w, cw.Write(head)
}

// Picks returns, for each output column, its index in the default order,
// for exports that compute only the columns they write.
func (w *Writer) Picks() []int { return w.pick }

// Write writes the chosen cells of a full record (default column order).
func (w *Writer) Write(full []string) error {
	for i, p := range w.pick {
		w.rec[i] = full[p]
	}
	return w.cw.Write(w.rec)
}

// WriteChosen writes a record already in the chosen order (see Picks).
func (w *Writer) WriteChosen(rec []string) error { return w.cw.Write(rec) }

// Flush flushes the underlying writer and returns its error.
func (w *Writer) Flush() error {
	switch f := w.cw.(type) {
	case interface{ Flush() error }:
		return f.Flush()
	case interface {
		Flush()
		Error() error
	}:
		f.Flush()
		return f.Error()
	}
	return nil
}
