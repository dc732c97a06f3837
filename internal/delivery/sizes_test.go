package delivery

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func TestParcelSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		items []int
		want  int
	}{{nil, 60}, {[]int{0}, 60}, {[]int{0, 0}, 60}, {[]int{80}, 80}, {[]int{60, 120, 80}, 120}, {[]int{0, 160}, 160}} {
		if got := ParcelSize(tc.items); got != tc.want {
			t.Errorf("ParcelSize(%v) = %d, want %d", tc.items, got, tc.want)
		}
	}
}

// TestParcelFee: a method charged by size takes the fee of the smallest
// size column that holds the parcel, refuses a size or prefecture its
// table lacks, and one not charged by size keeps its fee per prefecture
// whatever the size. Bad tables are refused with nothing written.
func TestParcelFee(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ms, err := Methods(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		m := ms[0]
		tokyo, err := ParcelFee(ctx, d, m, 13, 160)
		if err != nil || tokyo <= 0 {
			t.Fatalf("by prefecture: %d %v", tokyo, err)
		}
		if f, _ := Fee(ctx, d, m.ID, 13); f != tokyo {
			t.Fatalf("by prefecture %d, Fee %d", tokyo, f)
		}
		save := func(bySize bool, fees map[int]map[int]shop.Yen) error {
			return d.Tx(ctx, func(tx *db.Tx) error { return SaveSizeFees(ctx, tx, m.ID, bySize, fees) })
		}
		for name, bad := range map[string]map[int]map[int]shop.Yen{
			"size 70": {70: {13: 900}}, "pref 48": {60: {48: 900}}, "negative": {60: {13: -1}}, "too much": {60: {13: 1_000_001}},
		} {
			if err := save(true, bad); shop.FieldsOf(err)["fees"] != "sizes.bad_fee" {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if err := save(true, nil); shop.FieldsOf(err)["by_size"] != "sizes.none" {
			t.Fatalf("empty table: %v", err)
		}
		if m2, _ := MethodByID(ctx, d, m.ID); m2.FeeBySize {
			t.Fatal("written on a refusal")
		}
		// Tokyo has 60, 100 and 160; Okinawa only 60.
		if err := save(true, map[int]map[int]shop.Yen{60: {13: 940, 47: 1500}, 100: {13: 1390}, 160: {13: 2300}}); err != nil {
			t.Fatal(err)
		}
		m, _ = MethodByID(ctx, d, m.ID)
		if !m.FeeBySize {
			t.Fatal("not charged by size")
		}
		for _, tc := range []struct {
			pref, size int
			want       shop.Yen
		}{{13, 60, 940}, {13, 80, 1390}, {13, 100, 1390}, {13, 120, 2300}, {13, 160, 2300}, {47, 60, 1500}} {
			if got, err := ParcelFee(ctx, d, m, tc.pref, tc.size); err != nil || got != tc.want {
				t.Errorf("pref %d size %d: %d %v, want %d", tc.pref, tc.size, got, err, tc.want)
			}
		}
		for _, tc := range [][2]int{{47, 80}, {1, 60}} {
			if _, err := ParcelFee(ctx, d, m, tc[0], tc[1]); shop.KindOf(err) != shop.NotFound {
				t.Errorf("pref %d size %d: %v, want NotFound", tc[0], tc[1], err)
			}
		}
		got, err := SizeFees(ctx, d, m.ID)
		if err != nil || len(got) != 3 || got[60][47] != 1500 || got[160][13] != 2300 {
			t.Fatalf("SizeFees %v %v", got, err)
		}
		// Switched off, the table stays and the fee per prefecture is back.
		if err := save(false, got); err != nil {
			t.Fatal(err)
		}
		m, _ = MethodByID(ctx, d, m.ID)
		if f, err := ParcelFee(ctx, d, m, 13, 160); err != nil || f != tokyo {
			t.Fatalf("off: %d %v, want %d", f, err, tokyo)
		}
	})
}
