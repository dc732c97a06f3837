package throttle_test

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/throttle"
)

func TestLimitsAllow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		l := throttle.DefaultLimits()
		for i := 0; i < 5; i++ {
			if err := l.Allow(ctx, d, throttle.ContactIP, "192.0.2.1"); err != nil {
				t.Fatalf("hit %d: %v", i+1, err)
			}
		}
		err := l.Allow(ctx, d, throttle.ContactIP, "192.0.2.1")
		var e *shop.Error
		if shop.KindOf(err) != shop.TooMany {
			t.Fatalf("6th hit = %v, want TooMany", err)
		}
		e = err.(*shop.Error)
		if e.RetryAfter != 1800 {
			t.Fatalf("RetryAfter = %d, want 1800", e.RetryAfter)
		}
		if err := l.Allow(ctx, d, throttle.ContactIP, "192.0.2.2"); err != nil {
			t.Fatalf("another address limited: %v", err)
		}
		now = now.Add(31 * time.Minute)
		if err := l.Allow(ctx, d, throttle.ContactIP, "192.0.2.1"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	l, err := throttle.ParseLimits("contact.ip=3/1h, checkout.place.ip=1000/30m", throttle.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if l[throttle.ContactIP] != (throttle.Limit{Max: 3, Window: time.Hour}) || l[throttle.CheckoutPlaceIP].Max != 1000 {
		t.Fatalf("parsed %+v", l)
	}
	if throttle.DefaultLimits()[throttle.ContactIP].Max != 5 {
		t.Fatal("ParseLimits changed the defaults")
	}
	for _, bad := range []string{"nope=1/1m", "contact.ip=0/1m", "contact.ip=5", "contact.ip=5/soon"} {
		if _, err := throttle.ParseLimits(bad, throttle.DefaultLimits()); err == nil {
			t.Errorf("ParseLimits(%q) succeeded", bad)
		}
	}
}
