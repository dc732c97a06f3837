package coupon

import (
	"testing"

	"github.com/akinai/akinai/internal/shop"
)

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{" spring-10 ": "SPRING-10", "ＳＰＲＩＮＧ１０": "SPRING10", "ab c": "ABC"} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"AB", "<B>X", "あいう", "A234567890123456789012345678901234"} {
		if ValidCode(NormalizeCode(bad)) {
			t.Errorf("%q valid", bad)
		}
	}
}

// TestPrice: a percentage on items at two rates is split over the rates
// by amount (the shares add up); a fixed amount never exceeds the items
// it applies to.
func TestPrice(t *testing.T) {
	o := Order{Lines: []Line{{ProductID: 1, Rate: 1000, Amount: 2200}, {ProductID: 2, Rate: 800, Amount: 3240}}}
	all := func(Line) bool { return true }
	d, shares := price(&Coupon{Kind: Percent, Amount: 10, Scope: ScopeOrder}, o, all)
	if d != 544 || len(shares) != 2 || shares[0].Amount+shares[1].Amount != 544 || shares[0] != (RateShare{1000, 220}) {
		t.Fatalf("%d %+v", d, shares)
	}
	onlyTea := func(l Line) bool { return l.ProductID == 2 }
	d, shares = price(&Coupon{Kind: Fixed, Amount: 5000, Scope: ScopeItems}, o, onlyTea)
	if d != 3240 || len(shares) != 1 || shares[0] != (RateShare{800, shop.Yen(3240)}) {
		t.Fatalf("%d %+v", d, shares)
	}
}
