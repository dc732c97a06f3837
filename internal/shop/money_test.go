package shop

import "testing"

func TestYenString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   Yen
		want string
	}{{0, "0"}, {5, "5"}, {980, "980"}, {1980, "1,980"}, {123456, "123,456"}, {1234567, "1,234,567"}, {-1500, "-1,500"}, {-100, "-100"}} {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("Yen(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTaxPerRate(t *testing.T) {
	t.Parallel()
	// Three lines of ¥105 at 10%, rounding down: per line 10+10+10 = 30,
	// per rate on the sum 315 → 31. The invoice rules want 31.
	if got := IncludeTax(315, StandardRate, Floor) - 315; got != 31 {
		t.Fatalf("tax on 315 = %d, want 31", got)
	}
	for _, tc := range []struct {
		incl Yen
		rate TaxRate
		mode Rounding
		want Yen
	}{
		{1100, StandardRate, Floor, 100},
		{1080, ReducedRate, Floor, 80},
		{1000, StandardRate, Floor, 90}, // 90.9
		{1000, StandardRate, HalfUp, 91},
		{1000, ReducedRate, Ceiling, 75}, // 74.07
	} {
		if got := TaxIncluded(tc.incl, tc.rate, tc.mode); got != tc.want {
			t.Errorf("TaxIncluded(%d, %d, %s) = %d, want %d", tc.incl, tc.rate, tc.mode, got, tc.want)
		}
	}
}
