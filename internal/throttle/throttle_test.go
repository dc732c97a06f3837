package throttle_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/throttle"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestHit_LimitsPerWindowAcrossConnections(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		allowed := 0
		var wg sync.WaitGroup
		for range 12 {
			wg.Go(func() {
				d.Tx(ctx, func(tx *db.Tx) error {
					ok, _, err := throttle.Hit(ctx, tx, "test", "k", 5, time.Hour)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						allowed++
						mu.Unlock()
					}
					return err
				})
			})
		}
		wg.Wait()
		if allowed != 5 {
			t.Fatalf("%d of 12 concurrent hits allowed, want 5", allowed)
		}
		d.Tx(ctx, func(tx *db.Tx) error {
			ok, retry, _ := throttle.Hit(ctx, tx, "test", "k", 5, time.Hour)
			if ok || retry <= 0 || retry > time.Hour {
				t.Errorf("13th hit: ok=%v retry=%v", ok, retry)
			}
			ok, _, _ = throttle.Hit(ctx, tx, "test", "other", 5, time.Hour)
			if !ok {
				t.Error("another key was limited")
			}
			return nil
		})
	})
}

func TestPolicy_Delay(t *testing.T) {
	t.Parallel()
	p := throttle.SignIn
	for n, want := range map[int]time.Duration{1: 0, 3: 0, 4: 2 * time.Second, 5: 4 * time.Second, 6: 8 * time.Second, 9: 64 * time.Second, 10: 30 * time.Minute, 50: 30 * time.Minute} {
		if got := p.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestFail_BacksOffLocksAndResets(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		fail := func() (blocked time.Duration, n int) {
			d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				blocked, n, err = throttle.Fail(ctx, tx, throttle.SignIn, "signin", "a@example.jp")
				return err
			})
			return
		}
		for i := 1; i <= 3; i++ {
			if b, n := fail(); b != 0 || n != i {
				t.Fatalf("failure %d: blocked %v, n %d", i, b, n)
			}
		}
		if b, _ := fail(); b != 2*time.Second {
			t.Fatalf("4th failure blocks %v, want 2s", b)
		}
		left, err := throttle.Blocked(ctx, d, d.Now(), "signin", "a@example.jp")
		if err != nil || left <= 0 {
			t.Fatalf("Blocked = %v, %v", left, err)
		}
		for range 6 {
			fail()
		}
		left, _ = throttle.Blocked(ctx, d, d.Now(), "signin", "a@example.jp")
		if left < 29*time.Minute {
			t.Fatalf("after 10 failures blocked for %v, want the 30-minute lock", left)
		}
		d.Tx(ctx, func(tx *db.Tx) error { return throttle.Reset(ctx, tx, "signin", "a@example.jp") })
		if left, _ = throttle.Blocked(ctx, d, d.Now(), "signin", "a@example.jp"); left != 0 {
			t.Fatalf("after Reset still blocked %v", left)
		}
		if left, _ = throttle.Blocked(ctx, d, d.Now(), "signin", "nobody"); left != 0 {
			t.Fatalf("unknown key blocked %v", left)
		}
	})
}
