package settings_test

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := settings.New(d)
		if wrote, err := s.SetDefault(ctx, settings.AdminPath, "admin-abc"); err != nil || !wrote {
			t.Fatalf("SetDefault = %v, %v", wrote, err)
		}
		if wrote, _ := s.SetDefault(ctx, settings.AdminPath, "admin-other"); wrote {
			t.Fatal("SetDefault overwrote an existing value")
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			return s.Set(ctx, tx, map[string]string{settings.ShopName: "茶房 あきない", settings.TaxRounding: "half_up"})
		})
		if err != nil {
			t.Fatal(err)
		}
		sh, err := s.Shop(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Name != "茶房 あきない" || sh.Rounding != shop.HalfUp {
			t.Fatalf("Shop = %+v", sh)
		}
		if v, _ := s.Get(ctx, settings.AdminPath); v != "admin-abc" {
			t.Fatalf("admin path = %q", v)
		}
	})
}
