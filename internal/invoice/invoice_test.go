package invoice

import (
	"errors"
	"reflect"
	"testing"

	"github.com/akinai/akinai/internal/shop"
)

func TestCompute(t *testing.T) {
	t.Parallel()
	std, red := shop.StandardRate, shop.ReducedRate
	for _, tc := range []struct {
		name  string
		order Order
		mode  shop.Rounding
		want  Breakdown
	}{
		{
			// The invoice rule: tax is rounded once per rate per invoice.
			// Three lines of ¥105 excluding tax at 10% are shown at ¥115
			// each (115.5 floored). Per line the tax would be 10+10+10 = 30;
			// per rate it is floor(345×10/110) = floor(31.36) = 31.
			name: "three ¥105+tax lines round once per rate",
			order: Order{Lines: []Line{
				{Rate: std, UnitPrice: PriceIncl(105, std, shop.Floor), Qty: 1},
				{Rate: std, UnitPrice: PriceIncl(105, std, shop.Floor), Qty: 1},
				{Rate: std, UnitPrice: PriceIncl(105, std, shop.Floor), Qty: 1},
			}},
			mode: shop.Floor,
			want: Breakdown{
				Rates: []RateTotal{{Rate: std, Subtotal: 345, Total: 345, Tax: 31}},
				Items: 345, Total: 345, Tax: 31,
			},
		},
		{
			// Mixed rates: food at 8% (※) and goods at 10%, shown 10% first.
			// 8%: 1,080×2 = 2,160 → tax 160. 10%: 1,100 + fee 880 = 1,980 → 180.
			name: "mixed rates with delivery fee at the standard rate",
			order: Order{
				Lines: []Line{
					{Rate: red, UnitPrice: 1080, Qty: 2},
					{Rate: std, UnitPrice: 1100, Qty: 1},
				},
				DeliveryFee: 880, StandardRate: std,
			},
			mode: shop.Floor,
			want: Breakdown{
				Rates: []RateTotal{
					{Rate: std, Subtotal: 1980, Total: 1980, Tax: 180},
					{Rate: red, Reduced: true, Subtotal: 2160, Total: 2160, Tax: 160},
				},
				Items: 3260, DeliveryFee: 880, Total: 4140, Tax: 340,
			},
		},
		{
			// Points are not a taxable sale: ¥1,000 is split 10% : 8% by the
			// tax-included amounts 3,000 : 2,000, i.e. 600 and 400.
			// 10%: 2,400 → 218.18 → 218. 8%: 1,600 → 118.5 → 118 (floor).
			name: "discount prorated across rates",
			order: Order{
				Lines: []Line{
					{Rate: std, UnitPrice: 1500, Qty: 2},
					{Rate: red, UnitPrice: 500, Qty: 4},
				},
				Discount: 1000,
			},
			mode: shop.Floor,
			want: Breakdown{
				Rates: []RateTotal{
					{Rate: std, Subtotal: 3000, Discount: 600, Total: 2400, Tax: 218},
					{Rate: red, Reduced: true, Subtotal: 2000, Discount: 400, Total: 1600, Tax: 118},
				},
				Items: 5000, Discount: 1000, Total: 4000, Tax: 336,
			},
		},
		{
			// ¥100 over 1,000 : 1,000 : 1,000 (one rate each) gives 33.33
			// each; the yen left over goes to the first (highest) rate.
			// 10%: 1,000−34 = 966 → 87.8 → 88 (half up). 8%: 967 → 71.6 → 72.
			// 0%: 967 → 0.
			name: "largest remainder tie goes to the higher rate",
			order: Order{
				Lines: []Line{
					{Rate: 0, UnitPrice: 1000, Qty: 1, Class: shop.TaxReduced},
					{Rate: red, UnitPrice: 1000, Qty: 1},
					{Rate: std, UnitPrice: 1000, Qty: 1},
				},
				Discount: 100,
			},
			mode: shop.HalfUp,
			want: Breakdown{
				Rates: []RateTotal{
					{Rate: std, Subtotal: 1000, Discount: 34, Total: 966, Tax: 88},
					{Rate: red, Reduced: true, Subtotal: 1000, Discount: 33, Total: 967, Tax: 72},
					{Rate: 0, Reduced: true, Subtotal: 1000, Discount: 33, Total: 967, Tax: 0},
				},
				Items: 3000, Discount: 100, Total: 2900, Tax: 160,
			},
		},
		{
			// COD and delivery fees join the 10% group; ceiling rounding.
			// 10%: 330 + 500 = 830 → 75.45 → 76.
			name: "fees only round up",
			order: Order{
				Lines:        []Line{{Rate: std, UnitPrice: 330, Qty: 1}, {Rate: red, UnitPrice: 999, Qty: 0}},
				DeliveryFee:  0,
				CODFee:       500,
				StandardRate: std,
			},
			mode: shop.Ceiling,
			want: Breakdown{
				Rates: []RateTotal{{Rate: std, Subtotal: 830, Total: 830, Tax: 76}},
				Items: 330, CODFee: 500, Total: 830, Tax: 76,
			},
		},
		{
			name:  "empty order",
			order: Order{},
			mode:  shop.Floor,
			want:  Breakdown{Rates: []RateTotal{}},
		},
		{
			// The whole order paid with points: totals and taxes are zero.
			name:  "discount equal to total",
			order: Order{Lines: []Line{{Rate: std, UnitPrice: 1100, Qty: 1}}, Discount: 1100},
			mode:  shop.Floor,
			want: Breakdown{
				Rates: []RateTotal{{Rate: std, Subtotal: 1100, Discount: 1100, Total: 0, Tax: 0}},
				Items: 1100, Discount: 1100, Total: 0, Tax: 0,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compute(tc.order, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			checkBreakdown(t, got, tc.want)
		})
	}
}

func checkBreakdown(t *testing.T, got, want Breakdown) {
	t.Helper()
	if len(got.Rates) != len(want.Rates) {
		t.Fatalf("rates = %+v, want %+v", got.Rates, want.Rates)
	}
	for i := range want.Rates {
		if got.Rates[i] != want.Rates[i] {
			t.Errorf("rate %d = %+v, want %+v", i, got.Rates[i], want.Rates[i])
		}
	}
	got.Rates, want.Rates = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("breakdown = %+v, want %+v", got, want)
	}
}

// Whatever the input, the per-rate totals add up to the grand total and no
// rate gets more discount than it has.
func TestComputeInvariants(t *testing.T) {
	t.Parallel()
	prices := []shop.Yen{1, 99, 105, 1080, 3333, 99999}
	for i := range 200 {
		o := Order{StandardRate: shop.StandardRate, DeliveryFee: shop.Yen(i % 3 * 550), CODFee: shop.Yen(i % 2 * 330)}
		for j := 0; j <= i%5; j++ {
			rate := []shop.TaxRate{shop.StandardRate, shop.ReducedRate, 0}[(i+j)%3]
			o.Lines = append(o.Lines, Line{Rate: rate, UnitPrice: prices[(i*7+j)%len(prices)], Qty: 1 + (i+j)%4})
		}
		b, err := Compute(o, shop.HalfUp)
		if err != nil {
			t.Fatal(err)
		}
		o.Discount = shop.Yen(i*37) % (b.Total + 1)
		b, err = Compute(o, shop.HalfUp)
		if err != nil {
			t.Fatal(err)
		}
		var sum, disc, tax shop.Yen
		for k, r := range b.Rates {
			sum += r.Total
			disc += r.Discount
			tax += r.Tax
			if r.Discount > r.Subtotal || r.Total != r.Subtotal-r.Discount || r.Tax != shop.TaxIncluded(r.Total, r.Rate, shop.HalfUp) {
				t.Errorf("order %d: inconsistent rate %+v", i, r)
			}
			if k > 0 && b.Rates[k-1].Rate <= r.Rate {
				t.Errorf("order %d: rates not sorted: %+v", i, b.Rates)
			}
		}
		if sum != b.Total || disc != o.Discount || tax != b.Tax || b.Total != b.Items+b.DeliveryFee+b.CODFee-b.Discount {
			t.Errorf("order %d: totals do not add up: %+v", i, b)
		}
	}
}

func TestComputeInvalid(t *testing.T) {
	t.Parallel()
	line := Line{Rate: shop.StandardRate, UnitPrice: 1100, Qty: 1}
	for _, tc := range []struct {
		name  string
		order Order
		mode  shop.Rounding
	}{
		{"negative quantity", Order{Lines: []Line{{Rate: shop.StandardRate, UnitPrice: 100, Qty: -1}}}, shop.Floor},
		{"negative price", Order{Lines: []Line{{Rate: shop.StandardRate, UnitPrice: -100, Qty: 1}}}, shop.Floor},
		{"negative rate", Order{Lines: []Line{{Rate: -1, UnitPrice: 100, Qty: 1}}}, shop.Floor},
		{"rate over 100%", Order{Lines: []Line{{Rate: 10001, UnitPrice: 100, Qty: 1}}}, shop.Floor},
		{"line overflow", Order{Lines: []Line{{Rate: shop.StandardRate, UnitPrice: MaxAmount, Qty: 2}}}, shop.Floor},
		{"total overflow", Order{Lines: []Line{{Rate: shop.StandardRate, UnitPrice: MaxAmount, Qty: 1}, line}}, shop.Floor},
		{"discount over total", Order{Lines: []Line{line}, Discount: 1101}, shop.Floor},
		{"negative discount", Order{Lines: []Line{line}, Discount: -1}, shop.Floor},
		{"negative fee", Order{Lines: []Line{line}, DeliveryFee: -1, StandardRate: shop.StandardRate}, shop.Floor},
		{"fee with a bad rate", Order{Lines: []Line{line}, DeliveryFee: 500, StandardRate: -1}, shop.Floor},
		{"fee without a rate", Order{Lines: []Line{line}, CODFee: 330}, shop.Floor},
		{"unknown rounding", Order{Lines: []Line{line}}, "banker"},
	} {
		_, err := Compute(tc.order, tc.mode)
		if !errors.Is(err, ErrInvalid) || shop.KindOf(err) != shop.Invalid {
			t.Errorf("%s: err = %v, want ErrInvalid", tc.name, err)
		}
	}
}

func TestPriceIncl(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base shop.Yen
		rate shop.TaxRate
		mode shop.Rounding
		want shop.Yen
	}{
		{105, shop.StandardRate, shop.Floor, 115},   // 115.5
		{105, shop.StandardRate, shop.HalfUp, 116},  // 115.5
		{105, shop.StandardRate, shop.Ceiling, 116}, // 115.5
		{1000, shop.ReducedRate, shop.Floor, 1080},
		{99, shop.ReducedRate, shop.Floor, 106},   // 106.92
		{99, shop.ReducedRate, shop.Ceiling, 107}, // 106.92
		{500, 0, shop.Floor, 500},
	} {
		if got := PriceIncl(tc.base, tc.rate, tc.mode); got != tc.want {
			t.Errorf("PriceIncl(%d, %d, %s) = %d, want %d", tc.base, tc.rate, tc.mode, got, tc.want)
		}
	}
}

// TestCompute_RateDiscounts: a coupon on the reduced-rate items is taken
// off the 8% group only (国税庁 Q&A: a discount on particular goods belongs
// to their rate), while points (Discount) are prorated over what is left.
func TestCompute_RateDiscounts(t *testing.T) {
	o := Order{
		Lines:         []Line{{Rate: 1000, UnitPrice: 1100, Qty: 2}, {Rate: 800, UnitPrice: 540, Qty: 3}},
		RateDiscounts: []RateDiscount{{Rate: 800, Amount: 162}},
		Discount:      300,
	}
	b, err := Compute(o, shop.Floor)
	if err != nil {
		t.Fatal(err)
	}
	// 10%: 2,200; 8%: 1,620 − 162 = 1,458. Points 300 over 3,658:
	// 10% gets 180.4 → 180, 8% 119.6 → 120.
	if b.Rates[0].Total != 2020 || b.Rates[1].Total != 1338 || b.Total != 3358 || b.Discount != 462 {
		t.Fatalf("%+v", b)
	}
	if b.Rates[0].Tax != 183 || b.Rates[1].Tax != 99 {
		t.Fatalf("tax %+v", b.Rates)
	}
	for _, bad := range []RateDiscount{{Rate: 800, Amount: 1621}, {Rate: 500, Amount: 1}, {Rate: 800, Amount: -1}} {
		o := o
		o.RateDiscounts = []RateDiscount{bad}
		if _, err := Compute(o, shop.Floor); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
