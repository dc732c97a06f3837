package catalog

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/akinai/akinai/internal/csvfile"
)

// RowError is one problem of an imported file: the row (1 is the header)
// and column it is in, and an i18n key with an optional argument.
type RowError struct {
	Row    int
	Column string
	Key    string
	Arg    string
}

// MaxRowErrors caps the errors one check collects: past it only their
// count goes on, so a file of millions of bad cells costs no memory.
const MaxRowErrors = 200

// maxColumns bounds a file's columns: the product CSV has 22.
const maxColumns = 100

// Error keys of the CSV import.
const (
	ErrKeyCSVEncoding = "admin_products.csv.error.encoding"
	ErrKeyCSVColumns  = "admin_products.csv.error.columns"
	ErrKeyCSVMissing  = "admin_products.csv.error.missing_column"
	ErrKeyCSVUnknown  = "admin_products.csv.error.unknown_column"
	ErrKeyCSVNumber   = "admin_products.csv.error.number"
	ErrKeyCSVFormula  = "admin_products.csv.error.formula"
	ErrKeyCSVSKUFile  = "admin_products.csv.error.sku_in_file"
	ErrKeyCSVCategory = "admin_products.csv.error.category"
	ErrKeyCSVTag      = "admin_products.csv.error.tag"
	ErrKeyCSVApart    = "admin_products.csv.error.apart"
	ErrKeyCSVSyntax   = "admin_products.csv.error.syntax"
	ErrKeyCSVEmpty    = "admin_products.csv.error.empty"
	ErrKeyCSVParent   = "admin_products.csv.error.parent"
	// The file's encoding is refused (Arg names it) or not recognised.
	ErrKeyCSVEncodingNamed   = "ops.csv.encoding_refused"
	ErrKeyCSVEncodingUnknown = "ops.csv.encoding_unknown"
	ErrKeyCSVTooLong         = "ops.csv.too_long"     // Arg: the limit in KB
	ErrKeyCSVTooManyColumns  = "ops.csv.many_columns" // Arg: the count
)

// Report is the outcome of checking or importing a file.
type Report struct {
	Rows     int // data rows read
	Products int // products (or categories) in the file
	Errors   []RowError
	Count    int // errors found, including those past MaxRowErrors
}

func (r *Report) add(e RowError) {
	r.Count++
	if len(r.Errors) < MaxRowErrors {
		r.Errors = append(r.Errors, e)
	}
}

// fatalRead reports a read error that ends the check (a refused
// encoding, a row over the length limit) and whether err was one.
func fatalRead(err error, line int, rep *Report) bool {
	var enc *csvfile.EncodingError
	var long *csvfile.RecordTooLongError
	switch {
	case errors.As(err, &enc) && enc.Name != "":
		rep.add(RowError{Row: line, Key: ErrKeyCSVEncodingNamed, Arg: enc.Name})
	case errors.As(err, &enc):
		rep.add(RowError{Row: line, Key: ErrKeyCSVEncodingUnknown})
	case errors.As(err, &long):
		rep.add(RowError{Row: line, Key: ErrKeyCSVTooLong, Arg: strconv.Itoa(long.Max >> 10)})
	default:
		return false
	}
	return true
}

// csvRows reads a file's header and hands each data row to fn as a map
// of column → cleaned cell, reporting encoding, formula and column errors.
// A refused encoding or an over-long row ends the check where it is.
func csvRows(rd *csvfile.Reader, columns []string, rep *Report, fn func(line int, rec map[string]string) error) error {
	header, err := rd.Read()
	if err == io.EOF {
		rep.add(RowError{Row: 1, Key: ErrKeyCSVEmpty})
		return nil
	}
	if fatalRead(err, 1, rep) {
		return nil
	}
	if err != nil {
		rep.add(RowError{Row: 1, Key: ErrKeyCSVSyntax, Arg: err.Error()})
		return nil
	}
	if len(header) > maxColumns {
		rep.add(RowError{Row: 1, Key: ErrKeyCSVTooManyColumns, Arg: strconv.Itoa(len(header))})
		return nil
	}
	header = append([]string(nil), header...) // the reader may reuse it
	known := map[string]bool{}
	for _, c := range columns {
		known[c] = true
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !utf8.ValidString(h) || strings.ContainsRune(h, utf8.RuneError) {
			rep.add(RowError{Row: 1, Key: ErrKeyCSVEncoding})
			return nil
		}
		if !known[h] {
			rep.add(RowError{Row: 1, Column: h, Key: ErrKeyCSVUnknown})
			continue
		}
		index[h] = i
	}
	for _, c := range columns {
		if _, ok := index[c]; !ok && c != "name_en" && c != "description_en" && c != "search_words" && c != "featured" && c != "tags" && c != "list_price" && c != "sale_limit" {
			rep.add(RowError{Row: 1, Column: c, Key: ErrKeyCSVMissing})
		}
	}
	if rep.Count > 0 {
		return nil
	}
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		if fatalRead(err, line, rep) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.add(RowError{Row: line, Key: ErrKeyCSVSyntax, Arg: pe.Err.Error()})
			return nil
		}
		if err != nil {
			return err
		}
		rep.Rows++
		if len(rec) != len(header) {
			rep.add(RowError{Row: line, Key: ErrKeyCSVColumns, Arg: strconv.Itoa(len(rec))})
			continue
		}
		m := make(map[string]string, len(index))
		bad := false
		for c, i := range index {
			v := rec[i]
			if !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError) {
				rep.add(RowError{Row: line, Column: c, Key: ErrKeyCSVEncoding})
				bad = true
				continue
			}
			// Our own export neutralises formulas with an apostrophe; a
			// cell that still starts like a formula is refused.
			if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
				v = v[1:]
			} else if v != "" && strings.ContainsRune("=+@", rune(v[0])) || (v != "" && v[0] == '-' && !isNumberCell(v[1:])) {
				rep.add(RowError{Row: line, Column: c, Key: ErrKeyCSVFormula})
				bad = true
				continue
			}
			m[c] = strings.TrimSpace(v)
		}
		if bad {
			continue
		}
		if err := fn(line, m); err != nil {
			return err
		}
	}
}

func isNumberCell(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
