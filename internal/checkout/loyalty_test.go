package checkout

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/cart"
	"github.com/akinai/akinai/internal/coupon"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/points"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

// mustCustomer creates an active customer with balance points.
func mustCustomer(t testing.TB, d *db.DB, email string, balance int64) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO customers (email, email_key, status, terms_at, created_at, updated_at)
			VALUES (?, ?, 'active', ?, ?, ?) RETURNING id`, email, email, tx.Now(), tx.Now(), tx.Now()).Scan(&id); err != nil {
			return err
		}
		if balance == 0 {
			return nil
		}
		return points.Adjust(ctx, tx, id, balance, "welcome", "test")
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func mustCoupon(t testing.TB, d *db.DB, c coupon.Coupon) *coupon.Coupon {
	t.Helper()
	if c.Scope == "" {
		c.Scope = coupon.ScopeOrder
	}
	c.Active = true
	err := d.Tx(context.Background(), func(tx *db.Tx) error { return coupon.Create(context.Background(), tx, &c) })
	if err != nil {
		t.Fatal(err)
	}
	return &c
}

func pointsOn(t testing.TB, d *db.DB, s points.Settings) {
	t.Helper()
	s.Enabled = true
	if err := settings.New(d).Set(context.Background(), d, s.Map()); err != nil {
		t.Fatal(err)
	}
}

func fieldErr(err error) map[string]string {
	if e, ok := err.(*shop.Error); ok {
		return e.Fields
	}
	return nil
}

// TestPlace_CouponAndPoints: a 10% coupon on the reduced-rate items and
// 500 points on the fixture's cart (2 × ¥1,100 at 10%, 3 × ¥540 at 8%,
// Tokyo ¥930, COD ¥330). The coupon's ¥162 is the 8% items' only; the
// points are prorated over what is left; the tax is per rate after both.
func TestPlace_CouponAndPoints(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, _ := fixture(t, d)
		pointsOn(t, d, points.Settings{Rate: 5, GrantAt: points.GrantShipped, Min: 100, Max: 1000, ExpiryMonths: 12})
		var reducedProduct int64
		if err := d.QueryRow(ctx, `SELECT id FROM products WHERE slug = 'preduced'`).Scan(&reducedProduct); err != nil {
			t.Fatal(err)
		}
		mustCoupon(t, d, coupon.Coupon{Code: "TEA10", Kind: coupon.Percent, Amount: 10, Scope: coupon.ScopeItems, Products: []int64{reducedProduct}})
		cid := mustCustomer(t, d, "hanako@example.jp", 800)
		in.CustomerID, in.Coupon, in.Points = &cid, "tea10", 500
		o, err := svc.Place(ctx, in)
		if err != nil {
			t.Fatal(err, fieldErr(err))
		}
		// 3,820 + 930 + 330 − 162 − 500 = 4,418.
		if o.Discount != 662 || o.Total != 4418 {
			t.Fatalf("discount %d total %d", o.Discount, o.Total)
		}
		// 10%: 3,460, 8%: 1,620 − 162 = 1,458; 500 points over 4,918:
		// 10% 351.7 → 352 (largest remainder), 8% 148.2 → 148.
		want := []order.RateTotal{{Rate: 1000, Total: 3108, Tax: 282}, {Rate: 800, Reduced: true, Total: 1310, Tax: 97}}
		if len(o.Rates) != 2 || o.Rates[0] != want[0] || o.Rates[1] != want[1] {
			t.Fatalf("rates %+v, want %+v", o.Rates, want)
		}
		if b, _ := points.Balance(ctx, d, cid); b != 300 {
			t.Fatalf("balance %d", b)
		}
		// Earn: 5% of 3,820 = 191, × (3,820 − 662) / 3,820 = 157.
		op, _ := points.OfOrder(ctx, d, o.ID)
		if op.Spent != 500 || op.Earn != 157 || op.State != "pending" {
			t.Fatalf("order points %+v", op)
		}
		var body string
		if err := d.QueryRow(ctx, `SELECT body_text FROM outbox WHERE event = 'order_confirmation'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"クーポン（TEA10）: -¥162", "ポイント利用（500pt）: -¥500", "10%対象: ¥3,108（内消費税 ¥282）", "8%対象※: ¥1,310（内消費税 ¥97）", "157pt"} {
			if !strings.Contains(body, s) {
				t.Errorf("mail lacks %q:\n%s", s, body)
			}
		}
		if n := count(t, d, `SELECT uses FROM coupons WHERE code = 'TEA10'`); n != 1 {
			t.Fatalf("uses %d", n)
		}

		// Grant at shipment, by the worker; taken back on return.
		w := &points.Worker{DB: d, Settings: settings.New(d).All}
		if err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if b, _ := points.Balance(ctx, d, cid); b != 300 {
			t.Fatalf("granted before shipment: %d", b)
		}
		move(t, d, o.Number, order.Shipped)
		if err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if b, _ := points.Balance(ctx, d, cid); b != 457 {
			t.Fatalf("after shipment %d", b)
		}
		if err := w.RunOnce(ctx); err != nil { // never twice
			t.Fatal(err)
		}
		if b, _ := points.Balance(ctx, d, cid); b != 457 {
			t.Fatalf("granted twice: %d", b)
		}
		move(t, d, o.Number, order.Returned)
		if err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		// 457 − 157 earned + 500 spent given back.
		if b, _ := points.Balance(ctx, d, cid); b != 800 {
			t.Fatalf("after return %d", b)
		}
		led, _ := points.Ledger(ctx, d, cid, 10)
		var kinds []string
		for _, e := range led {
			kinds = append(kinds, e.Kind)
		}
		if got := strings.Join(kinds, ","); got != "refunded,revoked,earned,spent,adjusted" {
			t.Fatalf("ledger %s", got)
		}
	})
}

func move(t *testing.T, d *db.DB, number string, to order.Status) {
	t.Helper()
	if err := d.Tx(context.Background(), func(tx *db.Tx) error { return order.Move(context.Background(), tx, number, to, "") }); err != nil {
		t.Fatal(err)
	}
}

// TestPlace_LoyaltyBadInput: expired, used-up, foreign (another rank's,
// members-only for a guest) and unknown coupons, points beyond the
// balance or the limits: a clear reason on the field, nothing written.
func TestPlace_LoyaltyBadInput(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		pointsOn(t, d, points.Settings{Rate: 1, GrantAt: points.GrantPaid, Min: 100, Max: 1000})
		past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		one := int64(1)
		mustCoupon(t, d, coupon.Coupon{Code: "OLD", Kind: coupon.Fixed, Amount: 100, EndsAt: &past})
		used := mustCoupon(t, d, coupon.Coupon{Code: "ONCE", Kind: coupon.Fixed, Amount: 100, MaxUses: &one})
		var rank int64
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE coupons SET uses = 1 WHERE id = ?`, used.ID); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `INSERT INTO customer_ranks (name_ja, created_at, updated_at) VALUES ('ゴールド', ?, ?) RETURNING id`, tx.Now(), tx.Now()).Scan(&rank)
		}); err != nil {
			t.Fatal(err)
		}
		mustCoupon(t, d, coupon.Coupon{Code: "GOLD", Kind: coupon.Fixed, Amount: 100, RankID: &rank})
		mustCoupon(t, d, coupon.Coupon{Code: "MEMBERS", Kind: coupon.Fixed, Amount: 100, MembersOnly: true})
		mustCoupon(t, d, coupon.Coupon{Code: "BIG", Kind: coupon.Fixed, Amount: 100, MinAmount: 10000})
		mustCoupon(t, d, coupon.Coupon{Code: "NOPTS", Kind: coupon.Fixed, Amount: 100, NoPoints: true})
		cid := mustCustomer(t, d, "hanako@example.jp", 300)
		cases := []struct {
			code   string
			points int64
			member bool
			field  string
			want   string
		}{
			{"OLD", 0, true, "coupon", "coupon.expired"},
			{"ONCE", 0, true, "coupon", "coupon.used_up"},
			{"GOLD", 0, true, "coupon", "coupon.rank_only"},
			{"MEMBERS", 0, false, "coupon", "coupon.members_only"},
			{"NOSUCH", 0, true, "coupon", "coupon.unknown"},
			{"BIG", 0, true, "coupon", "coupon.min_amount"},
			{"NOPTS", 200, true, "coupon", "coupon.no_points"},
			{"", 301, true, "points", "points.over_balance"},
			{"", 50, true, "points", "points.under_min"},
			{"", 100, false, "points", "points.members_only"},
		}
		for _, c := range cases {
			t.Run(c.want, func(t *testing.T) {
				in := *in
				in.Key, in.Coupon, in.Points, in.CustomerID = cart.NewToken(), c.code, c.points, nil
				if c.member {
					in.CustomerID = &cid
				}
				_, err := svc.Place(ctx, &in)
				if got := fieldErr(err)[c.field]; got != c.want {
					t.Fatalf("%s = %q (%v), want %q", c.field, got, err, c.want)
				}
			})
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
			t.Fatalf("%d orders", n)
		}
		if b, _ := points.Balance(ctx, d, cid); b != 300 || stockOf(t, d, ids[0]) != 5 {
			t.Fatalf("balance %d stock %d", b, stockOf(t, d, ids[0]))
		}
		if n := count(t, d, `SELECT COALESCE(SUM(uses), 0) FROM coupons`); n != 1 {
			t.Fatalf("uses %d", n)
		}
	})
}

// TestPlace_CouponConcurrent: 200 buyers, each with a cart, race for a
// coupon with 100 uses. Exactly 100 orders use it; the others are told
// it is used up and nothing of theirs is written.
func TestPlace_CouponConcurrent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc, in, ids := fixture(t, d)
		if _, err := d.Exec(ctx, `UPDATE variants SET stock = NULL`); err != nil {
			t.Fatal(err)
		}
		hundred := int64(100)
		mustCoupon(t, d, coupon.Coupon{Code: "FLASH100", Kind: coupon.Fixed, Amount: 300, MaxUses: &hundred})
		const buyers = 200
		carts := cart.NewStore(d)
		inputs := make([]Input, buyers)
		for i := range inputs {
			cid, err := carts.Create(ctx, cart.NewToken())
			if err != nil {
				t.Fatal(err)
			}
			if err := carts.Add(ctx, cid, ids[0], 1); err != nil {
				t.Fatal(err)
			}
			inputs[i] = *in
			inputs[i].CartID, inputs[i].Key, inputs[i].Coupon = cid, cart.NewToken(), "FLASH100"
			inputs[i].Email = fmt.Sprintf("buyer%d@example.jp", i)
		}
		var mu sync.Mutex
		ok, usedUp := 0, 0
		var other []error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range inputs {
			wg.Go(func() {
				<-start
				_, err := svc.Place(ctx, &inputs[i])
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case fieldErr(err)["coupon"] == "coupon.used_up":
					usedUp++
				default:
					other = append(other, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if ok != 100 || usedUp != 100 || len(other) > 0 {
			t.Fatalf("orders %d, used up %d, other %v", ok, usedUp, other[:min(3, len(other))])
		}
		if n := count(t, d, `SELECT uses FROM coupons WHERE code = 'FLASH100'`); n != 100 {
			t.Fatalf("uses %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM coupon_uses`); n != 100 {
			t.Fatalf("use rows %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 100 {
			t.Fatalf("orders %d", n)
		}
	})
}
