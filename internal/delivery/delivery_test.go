package delivery

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestCODFee(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		amount shop.Yen
		fee    shop.Yen
		ok     bool
	}{{1, 330, true}, {10_000, 330, true}, {10_001, 440, true}, {30_000, 440, true}, {30_001, 660, true},
		{100_000, 660, true}, {100_001, 1100, true}, {300_000, 1100, true}, {300_001, 0, false}} {
		fee, ok := CODFee(tc.amount)
		if fee != tc.fee || ok != tc.ok {
			t.Errorf("CODFee(%d) = %d, %v; want %d, %v", tc.amount, fee, ok, tc.fee, tc.ok)
		}
	}
}

func TestSeededMethods(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ms, err := Methods(ctx, d)
		if err != nil || len(ms) != 2 {
			t.Fatalf("methods %v %v", ms, err)
		}
		if ms[0].Code != "yamato" || len(ms[0].Slots) != 5 || ms[0].Slots[0].LabelJA != "午前中" {
			t.Fatalf("yamato %+v", ms[0])
		}
		for _, m := range ms {
			for pref := 1; pref <= 47; pref++ {
				if fee, err := Fee(ctx, d, m.ID, pref); err != nil || fee <= 0 {
					t.Fatalf("%s pref %d: %d %v", m.Code, pref, fee, err)
				}
			}
			if _, err := Fee(ctx, d, m.ID, 48); shop.KindOf(err) != shop.NotFound {
				t.Fatalf("pref 48: %v", err)
			}
		}
	})
}
