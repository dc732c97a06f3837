package invoicepdf

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"os"
	"sync"

	"github.com/akinai/akinai/internal/shop"
)

// The IPAex Gothic font, unmodified and gzip-compressed (6.1 MB → 4.2 MB
// in the binary), so that invoices print on any machine. The IPA Font
// License allows redistributing it with a program; the licence travels
// with it (FontLicense).
//
//go:embed fonts/ipaexg.ttf.gz
var ipaexGz []byte

// FontLicense is the IPA Font License Agreement v1.0 under which the
// embedded IPAex Gothic is redistributed.
//
//go:embed fonts/LICENSE-IPAex.txt
var FontLicense string

var embedded struct {
	once sync.Once
	data []byte
	err  error
}

// embeddedFont returns the embedded IPAex Gothic, decompressed once
// (about 10 ms) on the first invoice and kept for the next.
func embeddedFont() ([]byte, error) {
	embedded.once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(ipaexGz))
		if err != nil {
			embedded.err = err
			return
		}
		embedded.data, embedded.err = io.ReadAll(zr)
	})
	return embedded.data, embedded.err
}

// fontData returns the TrueType font at fontPath, or the embedded one for
// "". Errors: ErrNoFont when the file cannot be read.
func fontData(fontPath string) ([]byte, error) {
	var font []byte
	var err error
	if fontPath == "" {
		font, err = embeddedFont()
	} else {
		font, err = os.ReadFile(fontPath)
	}
	if err != nil {
		return nil, &shop.Error{Kind: ErrNoFont.Kind, Key: ErrNoFont.Key, Cause: err}
	}
	return font, nil
}
