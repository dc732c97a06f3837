// Package postal looks up Japanese postal codes offline: the full Japan
// Post table (about 120,000 codes) is built into the binary, compressed,
// and decoded once on first use. It never calls an outside service.
package postal

//go:generate go run ./gen -out postal.dat.gz

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/akinai/akinai/internal/jp"
)

//go:embed postal.dat.gz
var data []byte

// Address is what a postal code stands for. Town is "" where Japan Post
// lists the code for a whole city (060-0000 → 札幌市中央区) or where the
// address goes on with a lot number straight after the city.
type Address struct {
	PrefCode int    // JIS X 0401, 1–47
	Pref     string // 東京都
	City     string // 千代田区, 札幌市中央区, 北都留郡小菅村
	Town     string // 千代田, or ""
}

// Lookup returns the addresses of a postal code. code may be written in
// any form jp.PostalCode accepts ("1000001", "100-0001", "〒１００－０００１").
// Several addresses can share a code (452-0961 has 66 towns; 498-0000 is in
// two prefectures); they come in Japan Post's order. ok is false when the
// code is malformed or unknown. The slice is new on each call. The first
// call decodes the embedded table (about 30 ms, 4.4 MB of heap); later
// calls only search.
func Lookup(code string) (addrs []Address, ok bool) {
	n, ok := parseCode(code)
	if !ok {
		return nil, false
	}
	t := loadTable()
	var refs []ref
	if i, found := slices.BinarySearch(t.codes, n); found {
		refs = t.refs[t.start[i]:t.start[i+1]]
	} else if j, found := slices.BinarySearchFunc(t.prefixes, n/100, func(p prefix, k uint32) int {
		return int(p.prefix) - int(k)
	}); found {
		refs = t.prefixes[j].refs
	} else {
		return nil, false
	}
	addrs = make([]Address, len(refs))
	for i, r := range refs {
		c := t.cities[r.city]
		addrs[i] = Address{PrefCode: int(c.pref), Pref: c.prefName, City: c.name, Town: t.towns[r.town]}
	}
	return addrs, true
}

// parseCode reads a postal code as a number. The common forms "1234567"
// and "123-4567" are read in place; anything else goes through
// jp.PostalCode, which allocates.
func parseCode(s string) (uint32, bool) {
	if n, ok := parseDigits(s); ok {
		return n, true
	}
	c, err := jp.PostalCode(s)
	if err != nil {
		return 0, false
	}
	return parseDigits(c)
}

func parseDigits(s string) (uint32, bool) {
	hyphen := len(s) == 8 && s[3] == '-'
	if len(s) != 7 && !hyphen {
		return 0, false
	}
	var n uint32
	for i := 0; i < len(s); i++ {
		if hyphen && i == 3 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint32(c-'0')
	}
	return n, true
}

type city struct {
	pref     uint8
	prefName string
	name     string
}

// ref is one address: indexes into table.cities and table.towns.
type ref struct {
	city uint16
	town uint32
}

type prefix struct {
	prefix uint32 // the first five digits
	refs   []ref
}

type table struct {
	codes    []uint32 // sorted
	start    []uint32 // refs of codes[i] are refs[start[i]:start[i+1]]
	refs     []ref
	prefixes []prefix // sorted by prefix
	cities   []city
	towns    []string
}

var loadTable = sync.OnceValue(func() *table {
	t, err := decode(data)
	if err != nil {
		// The file is generated and tested; failing here is a build bug.
		panic("postal: embedded data: " + err.Error())
	}
	return t
})

var errCorrupt = errors.New("corrupt data")

func decode(gz []byte) (*table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	r := &reader{b: raw}
	if m := r.bytes(len(magic)); string(m) != magic {
		return nil, fmt.Errorf("bad magic %q", m)
	}
	t := &table{}

	t.cities = make([]city, r.count(1<<16))
	for i := range t.cities {
		pref := r.uint()
		p, ok := jp.PrefectureByCode(int(pref))
		if !ok && r.err == nil {
			r.err = fmt.Errorf("prefecture %d: %w", pref, errCorrupt)
		}
		t.cities[i] = city{pref: uint8(pref), prefName: p.Name, name: r.str()}
	}

	// All town names share one backing string: 80,000 names, one allocation.
	nTowns := r.count(1 << 24)
	lens := make([]int, nTowns)
	var all strings.Builder
	for i := range lens {
		lens[i] = r.count(1 << 10)
		all.Write(r.bytes(lens[i]))
	}
	joined := all.String()
	t.towns = make([]string, nTowns)
	for i, off := 0, 0; i < nTowns && r.err == nil; i++ {
		t.towns[i] = joined[off : off+lens[i]]
		off += lens[i]
	}

	n := r.count(1 << 20)
	t.codes = make([]uint32, n)
	var code uint64
	for i := range t.codes {
		code += r.uint()
		if code > 9999999 && r.err == nil {
			r.err = errCorrupt
		}
		t.codes[i] = uint32(code)
	}
	t.start = make([]uint32, n+1)
	for i := range n {
		t.start[i+1] = t.start[i] + uint32(r.count(1<<10))
	}
	t.refs = make([]ref, t.start[n])
	for i := range t.refs {
		t.refs[i].city = uint16(r.index(len(t.cities)))
	}
	next := 0 // the next town not yet used
	town := func() uint32 {
		id := r.uint()
		if id == 0 {
			next++
			id = uint64(next)
		}
		if id > uint64(next) && r.err == nil {
			r.err = errCorrupt
		}
		return uint32(id - 1)
	}
	for i := range t.refs {
		t.refs[i].town = town()
	}

	t.prefixes = make([]prefix, r.count(1<<17))
	for i := range t.prefixes {
		p := &t.prefixes[i]
		p.prefix = uint32(r.uint())
		p.refs = make([]ref, r.count(1<<10))
		for j := range p.refs {
			p.refs[j] = ref{city: uint16(r.index(len(t.cities))), town: town()}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("trailing bytes: %w", errCorrupt)
	}
	if next != nTowns {
		return nil, fmt.Errorf("%d of %d towns used: %w", next, nTowns, errCorrupt)
	}
	return t, nil
}

// reader reads varints and strings from the decompressed bytes,
// remembering the first error so the decoder can check once at the end.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = fmt.Errorf("bad varint: %w", errCorrupt)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length and checks it against a sanity limit, so a corrupt
// file cannot make the decoder allocate gigabytes.
func (r *reader) count(limit int) int {
	v := r.uint()
	if v > uint64(limit) {
		if r.err == nil {
			r.err = fmt.Errorf("count %d over %d: %w", v, limit, errCorrupt)
		}
		return 0
	}
	return int(v)
}

func (r *reader) index(n int) int {
	v := r.uint()
	if v >= uint64(n) {
		if r.err == nil {
			r.err = fmt.Errorf("index %d of %d: %w", v, n, errCorrupt)
		}
		return 0
	}
	return int(v)
}

// bytes returns the next n bytes, aliasing the input.
func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.err = fmt.Errorf("short string: %w", errCorrupt)
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) str() string { return string(r.bytes(r.count(1 << 10))) }
