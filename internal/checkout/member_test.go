package checkout

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
)

// memberOf makes an active customer in a new rank with percent off and
// returns the customer's ID.
func memberOf(t testing.TB, d *db.DB, email string, percent int) int64 {
	t.Helper()
	ctx := context.Background()
	var cid int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		now := tx.Now()
		var rid int64
		if err := tx.QueryRow(ctx, `INSERT INTO customer_ranks (name_ja, discount_percent, sort_order, created_at, updated_at) VALUES (?, ?, 1, ?, ?) RETURNING id`,
			"ランク"+email, percent, now, now).Scan(&rid); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at, rank_id) VALUES (?, ?, 'active', ?, ?, ?, ?) RETURNING id`,
			email, email, now, now, now, rid).Scan(&cid)
	})
	if err != nil {
		t.Fatal(err)
	}
	return cid
}

// A signed-in member of a 5% rank gets 5% off the items of each rate,
// rounded down per rate, and the tax of each rate is extracted from the
// lowered total; the fees are not discounted. A guest with the same cart
// pays the full price.
func TestPlace_MemberRankDiscount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)
		guest, err := svc.Quote(ctx, in)
		if err != nil || guest.MemberDiscount != 0 || guest.Total != 5080 {
			t.Fatalf("guest quote %+v %v", guest, err)
		}
		cid := memberOf(t, d, "gold@example.jp", 5)
		in.CustomerID = &cid
		o, err := svc.Place(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		// 10%: 2,200 − 110 = 2,090; 8%: 1,620 − 81 = 1,539; 191 off in all.
		// Total 3,820 − 191 + 930 + 330 = 4,889.
		if o.MemberDiscount != 191 || o.MemberPercent != 5 || o.Subtotal != 3820 || o.Total != 4889 {
			t.Fatalf("totals %+v", o)
		}
		// 10%: 2,090 + 930 + 330 = 3,350 → tax 304; 8%: 1,539 → tax 114.
		want := []order.RateTotal{{Rate: 1000, Total: 3350, Tax: 304}, {Rate: 800, Reduced: true, Total: 1539, Tax: 114}}
		if len(o.Rates) != 2 || o.Rates[0] != want[0] || o.Rates[1] != want[1] {
			t.Fatalf("rates %+v", o.Rates)
		}
		got, err := order.ByNumber(ctx, d, o.Number)
		if err != nil || got.MemberDiscount != 191 || got.MemberPercent != 5 || got.Total != 4889 {
			t.Fatalf("stored %+v %v", got, err)
		}
	})
}

// A rank of 0% and a customer in no rank change nothing.
func TestQuote_NoRankNoDiscount(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	ctx := context.Background()
	svc, in, _ := fixture(t, d)
	cid := memberOf(t, d, "zero@example.jp", 0)
	in.CustomerID = &cid
	if qt, err := svc.Quote(ctx, in); err != nil || qt.MemberDiscount != 0 || qt.Total != 5080 {
		t.Fatalf("0%% rank: %+v %v", qt, err)
	}
	if _, err := d.Exec(ctx, `UPDATE customers SET rank_id = NULL WHERE id = ?`, cid); err != nil {
		t.Fatal(err)
	}
	if qt, err := svc.Quote(ctx, in); err != nil || qt.MemberDiscount != 0 || qt.Total != 5080 {
		t.Fatalf("no rank: %+v %v", qt, err)
	}
}
