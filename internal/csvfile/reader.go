package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a Reader detects besides UTF8BOM and ShiftJIS. UTF8BOM stands
// for UTF-8 with or without the mark (and for plain ASCII).
const (
	EUCJP     Encoding = "euc-jp"
	ISO2022JP Encoding = "iso-2022-jp"
	UTF16LE   Encoding = "utf-16le"
	UTF16BE   Encoding = "utf-16be"
)

// Name is the encoding's name as an operator knows it.
func (e Encoding) Name() string {
	switch e {
	case UTF8BOM:
		return "UTF-8"
	case ShiftJIS:
		return "Shift_JIS"
	case EUCJP:
		return "EUC-JP"
	case ISO2022JP:
		return "ISO-2022-JP"
	case UTF16LE:
		return "UTF-16LE"
	case UTF16BE:
		return "UTF-16BE"
	}
	return string(e)
}

// DefaultMaxRecord bounds one record (one row, with the line breaks
// inside its quoted cells) in decoded bytes. It keeps a reader's memory
// flat whatever the file: a 40 MB file of one line stops here.
const DefaultMaxRecord = 256 << 10

// sniffSize is how much a Reader looks at to decide an encoding.
const sniffSize = 64 << 10

// EncodingError is a file in an encoding the Reader refuses. Name is what
// it looks like ("UTF-32LE", "binary"), or "" when it is none of the
// encodings Japanese CSV files come in.
type EncodingError struct{ Name string }

func (e *EncodingError) Error() string {
	if e.Name == "" {
		return "csvfile: the encoding is none of UTF-8, Shift_JIS, EUC-JP, ISO-2022-JP or UTF-16"
	}
	return "csvfile: " + e.Name + " files are not supported"
}

// RecordTooLongError is a record longer than the reader's limit; the
// reader stops there.
type RecordTooLongError struct{ Max int }

func (e *RecordTooLongError) Error() string {
	return fmt.Sprintf("csvfile: a row is longer than %d KB", e.Max>>10)
}

// Reader reads a CSV file whose encoding it detects from the content:
// UTF-8 with or without BOM, Shift_JIS (CP932), EUC-JP, ISO-2022-JP and
// UTF-16 (LE or BE, with or without BOM) are decoded to UTF-8; anything
// else ends reading with an *EncodingError. Bytes that break the detected
// encoding further on come out as U+FFFD, for the caller to refuse. A
// record longer than MaxRecord ends reading with a *RecordTooLongError.
// The encoding is decided at the first byte that is not ASCII, so a long
// ASCII header does not hide a Shift_JIS body.
type Reader struct {
	*csv.Reader
	// Encoding is the detected encoding: known after NewReader when the
	// first 64 KiB hold a byte that is not ASCII, otherwise once reading
	// reaches one ("" until then; UTF8BOM for a file that is ASCII
	// throughout).
	Encoding Encoding
	lim      *limiter
}

// NewReader returns a Reader on r with MaxRecord DefaultMaxRecord. It
// fails only when r fails.
func NewReader(r io.Reader) (*Reader, error) {
	rd := &Reader{}
	d, err := newDecoder(r, &rd.Encoding)
	if err != nil {
		return nil, err
	}
	rd.lim = &limiter{r: d, max: DefaultMaxRecord}
	rd.Reader = csv.NewReader(rd.lim)
	rd.Reader.FieldsPerRecord = -1
	return rd, nil
}

// SetMaxRecord changes the record limit (in decoded bytes).
func (r *Reader) SetMaxRecord(n int) { r.lim.max = n }

// Read reads one record; see csv.Reader.Read and the Reader's errors.
func (r *Reader) Read() ([]string, error) {
	r.lim.reset()
	rec, err := r.Reader.Read()
	if errors.Is(err, errOverLimit) {
		return nil, &RecordTooLongError{Max: r.lim.max}
	}
	return rec, err
}

// ReadAll reads the remaining records.
func (r *Reader) ReadAll() ([][]string, error) {
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

var errOverLimit = errors.New("csvfile: record over the limit")

// limiter fails a read once more than max (plus the CSV reader's own
// look-ahead) bytes were read since the last reset.
type limiter struct {
	r    io.Reader
	max  int
	used int
}

func (l *limiter) reset() { l.used = 0 }

func (l *limiter) Read(p []byte) (int, error) {
	left := l.max + 8<<10 - l.used // 8 KiB: csv's bufio look-ahead
	if left <= 0 {
		return 0, errOverLimit
	}
	if len(p) > left {
		p = p[:left]
	}
	n, err := l.r.Read(p)
	l.used += n
	return n, err
}

// decoder passes ASCII through until the first byte that is not, then
// decides the encoding from what follows and decodes the rest.
type decoder struct {
	br  *bufio.Reader
	r   io.Reader // the decoded rest, once the encoding is known
	enc *Encoding
	err error
}

// newDecoder decides the encoding at once from a byte-order mark, UTF-16's
// zero bytes or the first non-ASCII byte in the first 64 KiB (ASCII reads
// the same in all the encodings, ISO-2022-JP included), and otherwise
// when reading reaches one.
func newDecoder(r io.Reader, enc *Encoding) (*decoder, error) {
	d := &decoder{br: bufio.NewReaderSize(r, sniffSize), enc: enc}
	head, err := d.br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		d.br.Discard(3)
		*d.enc, d.r = UTF8BOM, d.br
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		d.err = &EncodingError{Name: "UTF-32"}
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		d.use(UTF16LE, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		d.use(UTF16BE, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	default:
		if e := utf16NoBOM(head); e != "" {
			d.use(e, unicode.UTF16(map[Encoding]unicode.Endianness{UTF16LE: unicode.LittleEndian, UTF16BE: unicode.BigEndian}[e], unicode.IgnoreBOM).NewDecoder())
		} else if i := firstNotASCII(head); i >= 0 {
			d.decide(head[i:], err != nil)
		}
	}
	return d, nil
}

func (d *decoder) use(e Encoding, t transform.Transformer) {
	*d.enc, d.r = e, transform.NewReader(d.br, t)
}

// decide picks the decoder for the rest from w, which starts at the first
// byte that is not ASCII, or records the refusal.
func (d *decoder) decide(w []byte, eof bool) {
	enc, err := detect(w, eof)
	if err != nil {
		d.err = err
		return
	}
	switch enc {
	case UTF8BOM:
		*d.enc, d.r = enc, d.br
	case ShiftJIS:
		d.use(enc, japanese.ShiftJIS.NewDecoder())
	case EUCJP:
		d.use(enc, japanese.EUCJP.NewDecoder())
	case ISO2022JP:
		d.use(enc, japanese.ISO2022JP.NewDecoder())
	}
}

func (d *decoder) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.r != nil {
		return d.r.Read(p)
	}
	head, err := d.br.Peek(sniffSize)
	eof := err != nil
	if len(head) == 0 {
		if err == bufio.ErrBufferFull || err == nil {
			err = io.EOF
		}
		if err == io.EOF {
			*d.enc = UTF8BOM
		}
		return 0, err
	}
	i := firstNotASCII(head)
	if i < 0 {
		if eof {
			*d.enc, d.r = UTF8BOM, d.br
		}
		return d.br.Read(p[:min(len(p), len(head))])
	}
	if i > 0 {
		return d.br.Read(p[:min(len(p), i)])
	}
	if d.decide(head, eof); d.err != nil {
		return 0, d.err
	}
	return d.r.Read(p)
}
