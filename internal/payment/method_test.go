package payment

import (
	"testing"

	"github.com/akinai/akinai/internal/shop"
)

func TestMethod_FeeFor(t *testing.T) {
	t.Parallel()
	tiers := []Tier{{UpTo: 10000, Fee: 330}, {UpTo: 30000, Fee: 440}}
	for _, c := range []struct {
		name   string
		m      Method
		amount shop.Yen
		pref   int
		fee    shop.Yen
		ok     bool
	}{
		{"flat", Method{FeeType: FeeFlat, Fee: 220}, 5000, 13, 220, true},
		{"first tier, inclusive", Method{FeeType: FeeTiers, Tiers: tiers}, 10000, 13, 330, true},
		{"second tier", Method{FeeType: FeeTiers, Tiers: tiers}, 10001, 13, 440, true},
		{"past the last tier", Method{FeeType: FeeTiers, Tiers: tiers}, 30001, 13, 0, false},
		{"prefecture with a fee", Method{FeeType: FeePref, Fee: 300, Prefs: map[int]shop.Yen{47: 800}}, 5000, 47, 800, true},
		{"prefecture without: flat", Method{FeeType: FeePref, Fee: 300, Prefs: map[int]shop.Yen{47: 800}}, 5000, 13, 300, true},
		{"free from the threshold", Method{FeeType: FeeFlat, Fee: 220, FreeOver: 5000}, 5000, 13, 0, true},
		{"just under the threshold", Method{FeeType: FeeFlat, Fee: 220, FreeOver: 5000}, 4999, 13, 220, true},
		{"free over beats tiers", Method{FeeType: FeeTiers, Tiers: tiers, FreeOver: 20000}, 25000, 13, 0, true},
	} {
		fee, ok := c.m.FeeFor(c.amount, c.pref)
		if fee != c.fee || ok != c.ok {
			t.Errorf("%s: %d %v, want %d %v", c.name, fee, ok, c.fee, c.ok)
		}
	}
}

func TestMethod_FitsCombinesValidate(t *testing.T) {
	t.Parallel()
	m := Method{Code: "postal", Kind: Manual, NameJA: "郵便振替", FeeType: FeeFlat, Min: 1000, Max: 5000, ExpiresDays: 3, Delivery: []int64{2}}
	if m.Fits(999) || !m.Fits(1000) || !m.Fits(5000) || m.Fits(5001) {
		t.Error("limits")
	}
	if m.Combines(1) || !m.Combines(2) || !(Method{}).Combines(1) {
		t.Error("delivery combinations")
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := m
	bad.Code, bad.Max, bad.FeeType, bad.Tiers = "Bad!", 500, FeeTiers, []Tier{{UpTo: 100, Fee: 1}, {UpTo: 50, Fee: 2}}
	f := shop.FieldsOf(bad.Validate())
	if f["code"] == "" || f["max_amount"] != "paydeliv.bad_limits" || f["tiers"] != "paydeliv.bad_tiers" {
		t.Fatalf("fields %v", f)
	}
	k := Method{Code: "konbini", Kind: Konbini, NameJA: "コンビニ", FeeType: FeeFlat, Min: 0, Max: 0, ExpiresDays: 3}
	if shop.FieldsOf(k.Validate())["max_amount"] != "paydeliv.konbini_limits" {
		t.Fatal("konbini without Stripe's limits accepted")
	}
}
