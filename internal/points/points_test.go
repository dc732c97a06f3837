package points

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestEarn(t *testing.T) {
	ten, zero := 10, 0
	cases := []struct {
		name     string
		lines    []EarnLine
		rate     int
		discount shop.Yen
		want     int64
	}{
		{"shop rate", []EarnLine{{Amount: 1100}, {Amount: 3240}}, 1, 0, 43},
		{"product's own rate and none", []EarnLine{{Amount: 1000, Rate: &ten}, {Amount: 5000, Rate: &zero}}, 1, 0, 100},
		{"scaled by the discount", []EarnLine{{Amount: 5440}}, 5, 824, 230},
		{"discount takes everything", []EarnLine{{Amount: 500}}, 5, 500, 0},
		{"no lines", nil, 5, 0, 0},
	}
	for _, c := range cases {
		if got := Earn(c.lines, c.rate, c.discount); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestCheckSpend(t *testing.T) {
	s := Settings{Enabled: true, Min: 100, Max: 1000}
	cases := []struct {
		want, balance int64
		payable       shop.Yen
		key           string
	}{
		{0, 0, 100, ""},
		{500, 800, 5000, ""},
		{900, 800, 5000, "points.over_balance"},
		{50, 800, 5000, "points.under_min"},
		{1001, 5000, 5000, "points.over_max"},
		{600, 800, 500, "points.over_total"},
	}
	for _, c := range cases {
		if got := s.CheckSpend(c.want, c.balance, c.payable); got != c.key {
			t.Errorf("%+v: %q", c, got)
		}
	}
	if got := (Settings{Min: 1}).CheckSpend(10, 100, 100); got != "points.disabled" {
		t.Errorf("disabled: %q", got)
	}
}

// TestWorker_Expiry: points of a customer whose last purchase is older
// than the set months expire (a ledger row, balance 0); a recent buyer
// keeps theirs; a second pass changes nothing.
func TestWorker_Expiry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ids := make([]int64, 2)
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for i, email := range []string{"old@example.jp", "new@example.jp"} {
				if err := tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at)
					VALUES (?, ?, 'active', ?, ?, ?) RETURNING id`, email, email, tx.Now(), tx.Now(), tx.Now()).Scan(&ids[i]); err != nil {
					return err
				}
				if err := Adjust(ctx, tx, ids[i], 700, "welcome", "test"); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, `UPDATE point_accounts SET last_purchase_at = ? WHERE customer_id = ?`, tx.Now().AddDate(0, -13, 0), ids[0])
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE point_accounts SET last_purchase_at = ? WHERE customer_id = ?`, tx.Now().AddDate(0, -11, 0), ids[1])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		w := &Worker{DB: d, Settings: func(context.Context) (map[string]string, error) {
			return Settings{Enabled: true, Rate: 1, GrantAt: GrantShipped, Min: 1, ExpiryMonths: 12}.Map(), nil
		}, Every: time.Second}
		for range 2 {
			if err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if b, _ := Balance(ctx, d, ids[0]); b != 0 {
			t.Fatalf("old buyer kept %d", b)
		}
		if b, _ := Balance(ctx, d, ids[1]); b != 700 {
			t.Fatalf("recent buyer has %d", b)
		}
		led, err := Ledger(ctx, d, ids[0], 10)
		if err != nil || len(led) != 2 || led[0].Kind != Expired || led[0].Points != -700 || led[0].Balance != 0 {
			t.Fatalf("ledger %+v %v", led, err)
		}
	})
}
