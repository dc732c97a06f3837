package catalog

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

// A shop started without the demo knows Japan's rates (10% and 8% since
// 1 October 2019, JST): its product pages can show prices and checkout can
// sell. Before that day no rule is in force.
func TestTaxRules_SeededForANewShop(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := NewStore(d)
		rates, err := s.Rates(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if rates[shop.TaxStandard] != 1000 || rates[shop.TaxReduced] != 800 {
			t.Fatalf("rates in force: %v", rates)
		}
		jst := time.FixedZone("JST", 9*3600)
		for at, want := range map[time.Time]shop.TaxRate{time.Date(2019, 10, 1, 0, 0, 0, 0, jst): 800, time.Date(2026, 12, 2, 12, 0, 0, 0, jst): 800} {
			if got, err := s.TaxRate(context.Background(), d, 0, shop.TaxReduced, at); err != nil || got != want {
				t.Errorf("reduced rate at %v: %v, %v", at, got, err)
			}
		}
		if _, err := s.TaxRate(context.Background(), d, 0, shop.TaxStandard, time.Date(2019, 9, 30, 23, 59, 0, 0, jst)); err == nil {
			t.Error("a rule in force before 1 October 2019 JST")
		}
	})
}
