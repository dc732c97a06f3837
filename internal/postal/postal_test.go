package postal

import (
	"errors"
	"slices"
	"testing"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code string
		want []Address
	}{
		{"100-0001", []Address{{13, "東京都", "千代田区", "千代田"}}},
		{"1000001", []Address{{13, "東京都", "千代田区", "千代田"}}},
		{"〒１００－０００１", []Address{{13, "東京都", "千代田区", "千代田"}}},
		{"100-0004", []Address{{13, "東京都", "千代田区", "大手町"}}},
		{"060-0000", []Address{{1, "北海道", "札幌市中央区", ""}}},
		{"060-0042", []Address{{1, "北海道", "札幌市中央区", "大通西"}}},
		{"900-0001", []Address{{47, "沖縄県", "那覇市", "港町"}}},
		{"104-0061", []Address{{13, "東京都", "中央区", "銀座"}}},
		{"530-0001", []Address{{27, "大阪府", "大阪市北区", "梅田"}}},
		// One code, two prefectures (愛知県弥富市 and 三重県木曽岬町).
		{"498-0000", []Address{{23, "愛知県", "弥富市", ""}, {24, "三重県", "桑名郡木曽岬町", ""}}},
		// One code, two wards of 札幌市.
		{"004-0000", []Address{{1, "北海道", "札幌市厚別区", ""}, {1, "北海道", "札幌市清田区", ""}}},
		// Japan Post's "when a lot number follows 小菅村" note is not a town.
		{"409-0142", []Address{{19, "山梨県", "北都留郡小菅村", ""}}},
		// A floor of a high-rise building resolves to the building.
		{"100-6090", []Address{{13, "東京都", "千代田区", "霞が関霞が関ビル"}}},
	} {
		got, ok := Lookup(tc.code)
		if !ok || !slices.Equal(got, tc.want) {
			t.Errorf("Lookup(%q) = %v, %v; want %v", tc.code, got, ok, tc.want)
		}
	}

	// 452-0961 (愛知県清須市春日…) lists 66 towns under one code.
	got, ok := Lookup("4520961")
	if !ok || len(got) != 66 || got[0].City != "清須市" || got[0].Town != "春日明河原" {
		t.Errorf("Lookup(4520961) = %d addresses, first %v", len(got), got[:min(1, len(got))])
	}

	for _, code := range []string{"999-9999", "0000000", "100-0099", "12345", "100-00011", "abcdefg", ""} {
		if got, ok := Lookup(code); ok || got != nil {
			t.Errorf("Lookup(%q) = %v, %v; want nothing", code, got, ok)
		}
	}
}

// The returned slice is the caller's: changing it must not change the table.
func TestLookupCopies(t *testing.T) {
	t.Parallel()
	a, _ := Lookup("1000001")
	a[0].Town = "changed"
	if b, _ := Lookup("1000001"); b[0].Town != "千代田" {
		t.Fatalf("Lookup shares its result: %v", b)
	}
}

func TestTable(t *testing.T) {
	t.Parallel()
	tb := loadTable()
	if n := len(tb.codes); n < 110000 || n > 130000 {
		t.Errorf("%d codes; Japan Post lists about 120,000", n)
	}
	if !slices.IsSorted(tb.codes) {
		t.Error("codes are not sorted")
	}
	prefs := map[uint8]bool{}
	for _, c := range tb.cities {
		prefs[c.pref] = true
		if c.name == "" || c.prefName == "" {
			t.Errorf("incomplete city %+v", c)
		}
	}
	if len(prefs) != 47 {
		t.Errorf("cities in %d prefectures, want 47", len(prefs))
	}
}

func TestDecodeCorrupt(t *testing.T) {
	t.Parallel()
	if _, err := decode(data[:len(data)/2]); err == nil {
		t.Error("decode accepted a truncated file")
	}
	if _, err := decode([]byte("not gzip")); err == nil {
		t.Error("decode accepted garbage")
	}
	bad := append([]byte(nil), data...)
	bad[len(bad)/2] ^= 0xff
	if _, err := decode(bad); err == nil {
		t.Error("decode accepted a flipped byte") // gzip's CRC must catch it
	}
	if _, err := decode(data); err != nil || errors.Is(err, errCorrupt) {
		t.Errorf("decode(data) = %v", err)
	}
}

func BenchmarkLookup(b *testing.B) {
	codes := []string{"1000001", "060-0000", "9000001", "4520961", "5300001", "9999999"}
	loadTable()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Lookup(codes[i%len(codes)])
	}
}

func BenchmarkLookupOne(b *testing.B) {
	loadTable()
	b.ReportAllocs()
	for b.Loop() {
		Lookup("100-0001")
	}
}

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
