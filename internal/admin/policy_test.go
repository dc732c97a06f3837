package admin

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

func TestNetworkOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.77":         "203.0.113.0/24",
		"::ffff:203.0.113.77":  "203.0.113.0/24",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::ffff:1": "2001:db8:1:2::/64",
		"2001:db8:1:3:0:0:0:1": "2001:db8:1:3::/64",
	} {
		if got := networkOf(netip.MustParseAddr(in)); got != want {
			t.Errorf("networkOf(%s) = %s, want %s", in, got, want)
		}
	}
}

// A password lock-out counts where the guesses come from: networks the
// account signed in from before and allow-listed networks each have their
// own counter, so a guesser elsewhere (who fills the account-wide one)
// does not lock the owner out of them.
func TestPasswordBucket_TrustedNetworksHaveTheirOwnCounter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		h, err := New(d, settings.New(d), web.NewRenderer(log, web.NewAssets()), log, Config{Path: "admin-test1234", BaseURL: "http://shop.localhost",
			Secret: make([]byte, 32), Allow: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("198.51.100.128/25")}})
		if err != nil {
			t.Fatal(err)
		}
		var a *Admin
		err = d.Tx(ctx, func(tx *db.Tx) error {
			var err error
			if a, err = CreateAdmin(ctx, tx, NewAdmin{Email: "owner@example.jp", Name: "Owner", Password: "kanazawa-teacup-lantern-9", Role: Owner}); err != nil {
				return err
			}
			if err := rememberNetwork(ctx, tx, a.ID, netip.MustParseAddr("203.0.113.5")); err != nil {
				return err
			}
			// Twice: the upsert keeps one row.
			return rememberNetwork(ctx, tx, a.ID, netip.MustParseAddr("203.0.113.200"))
		})
		if err != nil {
			t.Fatal(err)
		}
		var rows int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM admin_known_networks WHERE admin_id = ?`, a.ID).Scan(&rows)
		if rows != 1 {
			t.Fatalf("%d known-network rows, want 1", rows)
		}
		for _, tc := range []struct {
			who         *Admin
			ip          string
			bucket, key string
		}{
			{a, "203.0.113.99", bucketAccountNet, "owner@example.jp net:203.0.113.0/24"},
			{a, "::ffff:203.0.113.99", bucketAccountNet, "owner@example.jp net:203.0.113.0/24"},
			{a, "198.51.100.7", bucketAccountNet, "owner@example.jp allow:198.51.100.0/24"},
			{a, "198.51.100.200", bucketAccountNet, "owner@example.jp allow:198.51.100.128/25"},
			{a, "192.0.2.1", bucketAccount, "owner@example.jp"},
			{nil, "203.0.113.99", bucketAccount, "owner@example.jp"}, // unknown account: no known networks
		} {
			b, k, err := h.passwordBucket(ctx, tc.who, "owner@example.jp", netip.MustParseAddr(tc.ip))
			if err != nil || b != tc.bucket || k != tc.key {
				t.Errorf("from %s: %s %q (%v), want %s %q", tc.ip, b, k, err, tc.bucket, tc.key)
			}
		}
	})
}
