package invoice

import (
	"errors"
	"reflect"
	"testing"

	"github.com/akinai/akinai/internal/shop"
)

// A member rank's percentage lowers the goods' prices: it comes off each
// rate's items where they are (rounded down per rate), never off the
// fees or another rate, and the tax of each rate is extracted from the
// lowered total — one rounding per rate, as the qualified-invoice rules
// ask of a 売上値引 stated per rate.
func TestCompute_ItemPercent(t *testing.T) {
	t.Parallel()
	std, red := shop.StandardRate, shop.ReducedRate
	for _, tc := range []struct {
		name  string
		order Order
		want  Breakdown
	}{
		{
			// 10%: 3,300 − 165 = 3,135 + fee 880 = 4,015 → tax 365.
			// 8%: 2,160 − 108 = 2,052 → tax 152. The fee keeps its 880.
			name: "5% off both rates, fee untouched",
			order: Order{Lines: []Line{{Rate: std, UnitPrice: 3300, Qty: 1}, {Rate: red, UnitPrice: 1080, Qty: 2}},
				DeliveryFee: 880, StandardRate: std, ItemPercent: 5},
			want: Breakdown{
				Rates: []RateTotal{
					{Rate: std, Subtotal: 4180, Discount: 165, Total: 4015, Tax: 365},
					{Rate: red, Reduced: true, Subtotal: 2160, Discount: 108, Total: 2052, Tax: 152},
				},
				Items: 5460, DeliveryFee: 880, ItemDiscount: 273, Total: 6067, Tax: 517,
			},
		},
		{
			// 3% of 1,999 is 59.97: the customer gets 59 yen off, never 60.
			name:  "rounded down per rate",
			order: Order{Lines: []Line{{Rate: std, UnitPrice: 1999, Qty: 1}}, ItemPercent: 3},
			want: Breakdown{
				Rates: []RateTotal{{Rate: std, Subtotal: 1999, Discount: 59, Total: 1940, Tax: 176}},
				Items: 1999, ItemDiscount: 59, Total: 1940, Tax: 176,
			},
		},
		{
			// Then a points/coupon Discount is spread over what is left:
			// 10%: 2,000 − 200 = 1,800; 8%: 1,000 − 100 = 900; 300 of points
			// split 1,800 : 900 → 200 and 100.
			// 10%: 1,600 → 145.45 → 145. 8%: 800 → 59.25 → 59.
			name:  "rank percent first, then a prorated discount",
			order: Order{Lines: []Line{{Rate: std, UnitPrice: 2000, Qty: 1}, {Rate: red, UnitPrice: 1000, Qty: 1}}, ItemPercent: 10, Discount: 300},
			want: Breakdown{
				Rates: []RateTotal{
					{Rate: std, Subtotal: 2000, Discount: 400, Total: 1600, Tax: 145},
					{Rate: red, Reduced: true, Subtotal: 1000, Discount: 200, Total: 800, Tax: 59},
				},
				Items: 3000, Discount: 300, ItemDiscount: 300, Total: 2400, Tax: 204,
			},
		},
		{
			name:  "100% makes the items free, the fee is still due",
			order: Order{Lines: []Line{{Rate: std, UnitPrice: 1100, Qty: 2}}, DeliveryFee: 550, StandardRate: std, ItemPercent: 100},
			want: Breakdown{
				Rates: []RateTotal{{Rate: std, Subtotal: 2750, Discount: 2200, Total: 550, Tax: 50}},
				Items: 2200, DeliveryFee: 550, ItemDiscount: 2200, Total: 550, Tax: 50,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compute(tc.order, shop.Floor)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	for _, p := range []int{-1, 101} {
		if _, err := Compute(Order{Lines: []Line{{Rate: std, UnitPrice: 100, Qty: 1}}, ItemPercent: p}, shop.Floor); !errors.Is(err, ErrInvalid) {
			t.Errorf("percent %d: %v", p, err)
		}
	}
	// A discount above what is left after the percentage is refused.
	if _, err := Compute(Order{Lines: []Line{{Rate: std, UnitPrice: 1000, Qty: 1}}, ItemPercent: 50, Discount: 501}, shop.Floor); !errors.Is(err, ErrInvalid) {
		t.Errorf("discount over the lowered total: %v", err)
	}
}
