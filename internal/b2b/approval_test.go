package b2b

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/payment"
	"github.com/akinai/akinai/internal/shop"
)

const onAccount = string(payment.OnAccount)

func TestApproval(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		mustTerms(t, d, Terms{CompanyID: w.a, Approval: ApproveOver, ApprovalOver: 5000, OnAccount: true, PayMonths: 1, CreditLimit: 100000, GraceDays: 7})

		// Under the threshold: no hold.
		small := w.input(t, w.buyerA, onAccount, map[int64]int{w.std: 2})
		if _, held, err := w.s.hold(ctx, small); held || err != nil {
			t.Fatalf("small order held=%v err=%v", held, err)
		}
		// Over it (3 × 1,100 + 3 × 1,080 + delivery): held, nothing reserved.
		in := w.input(t, w.buyerA, onAccount, map[int64]int{w.std: 3, w.red: 3})
		id, held, err := w.s.hold(ctx, in)
		if !held || err != nil {
			t.Fatalf("held=%v err=%v", held, err)
		}
		if got := ordertest.Stock(t, d, w.std); got != 100 {
			t.Fatalf("stock %d reserved before approval", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM cart_items WHERE cart_id = ?`, in.CartID); n != 0 {
			t.Fatalf("cart keeps %d lines", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'b2b_approval_requested' AND customer_id = ?`, w.approverA); n != 1 {
			t.Fatalf("approver mails %d", n)
		}
		// A double submit is the same request.
		if again, _, err := w.s.hold(ctx, in); err != nil || again != id {
			// The cart is empty now: the checkout's refusal, no second request.
			if n := count(t, d, `SELECT COUNT(*) FROM approval_requests`); n != 1 {
				t.Fatalf("%d requests after a double submit", n)
			}
		}

		t.Run("refusals", func(t *testing.T) {
			for name, who := range map[string]int64{"buyer of the company": w.buyerA, "approver of another": w.approverB, "buyer of another": w.buyerB} {
				_, err := w.s.Approve(ctx, who, id, "")
				if k, key := kindKey(err); k != shop.Forbidden || key != "b2b.approval.not_approver" {
					t.Errorf("%s approves: %v", name, err)
				}
				if err := w.s.Reject(ctx, who, id, ""); shop.KindOf(err) != shop.Forbidden {
					t.Errorf("%s rejects: %v", name, err)
				}
				if _, _, err := visibleRequest(ctx, d, who, id); who != w.buyerA && shop.KindOf(err) != shop.NotFound {
					t.Errorf("%s sees the request: %v", name, err)
				}
			}
			if _, err := w.s.Approve(ctx, w.approverA, id+1000, ""); shop.KindOf(err) != shop.NotFound {
				t.Errorf("unknown request: %v", err)
			}
		})

		r, err := w.s.Approve(ctx, w.approverA, id, "OK です")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != RequestApproved || r.OrderNumber == "" {
			t.Fatalf("request %+v", r)
		}
		o, err := order.ByNumber(ctx, d, r.OrderNumber)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != order.New || o.PaymentMethod != onAccount || o.CustomerID == nil || *o.CustomerID != w.buyerA || o.Total != r.Total {
			t.Fatalf("order %s %s %v total %d, request %d", o.Status, o.PaymentMethod, o.CustomerID, o.Total, r.Total)
		}
		if got := ordertest.Stock(t, d, w.std); got != 97 {
			t.Fatalf("stock %d after approval", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'b2b_approval_decided' AND customer_id = ?`, w.buyerA); n != 1 {
			t.Fatalf("buyer mails %d", n)
		}
		if _, err := w.s.Approve(ctx, w.approverA, id, ""); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("second approval: %v", err)
		}

		// A rejected request places nothing.
		in2 := w.input(t, w.buyerA, order.BankTransfer, map[int64]int{w.std: 10})
		id2, _, err := w.s.hold(ctx, in2)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.s.Reject(ctx, w.approverA, id2, "今月は不要"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 1 {
			t.Fatalf("%d orders", n)
		}
		if err := w.s.Reject(ctx, w.approverA, id2, ""); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("second reject: %v", err)
		}
	})
}

func TestOnAccount_Refusals(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		mustTerms(t, d, Terms{CompanyID: w.a, Approval: ApproveNone, OnAccount: true, PayMonths: 1, CreditLimit: 5000, GraceDays: 7})
		guest := ordertest.Customer(t, d)

		// Within the limit: placed, and counted against it afterwards.
		o, err := w.s.Checkout.Place(ctx, w.input(t, w.buyerA, onAccount, map[int64]int{w.std: 2}))
		if err != nil {
			t.Fatal(err)
		}
		if used, _ := Exposure(ctx, d, w.a); used != o.Total {
			t.Fatalf("exposure %d, order %d", used, o.Total)
		}
		cases := []struct {
			name     string
			customer int64
			lines    map[int64]int
			want     string
		}{
			{"over the credit limit", w.buyerA, map[int64]int{w.std: 3}, "b2b.pay.over_limit"},
			{"company without terms", w.buyerB, map[int64]int{w.std: 1}, "b2b.pay.no_terms"},
			{"customer of no company", guest, map[int64]int{w.std: 1}, "b2b.pay.company_only"},
		}
		for _, c := range cases {
			_, err := w.s.Checkout.Place(ctx, w.input(t, c.customer, onAccount, c.lines))
			if shop.KindOf(err) != shop.Invalid || field(err, "payment") != c.want {
				t.Errorf("%s: %v %v", c.name, err, field(err, "payment"))
			}
		}
		// The same order by bank transfer goes through: only 掛け払い is limited.
		if _, err := w.s.Checkout.Place(ctx, w.input(t, w.buyerA, order.BankTransfer, map[int64]int{w.std: 3})); err != nil {
			t.Fatal(err)
		}
		// An invoice unpaid past due + grace blocks new orders on account.
		err = d.Tx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO company_invoices (number, company_id, period_from, period_to, due_date, total, tax, rates, created_at)
				VALUES ('B-old', ?, '2020-01-01', '2020-01-31', '2020-02-29', 100, 9, '[]', ?)`, w.a, tx.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.Checkout.Place(ctx, w.input(t, w.buyerA, onAccount, map[int64]int{w.red: 1}))
		if field(err, "payment") != "b2b.pay.overdue" {
			t.Fatalf("overdue: %v", err)
		}
		// Nothing half-written by the refusals.
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 2 {
			t.Fatalf("%d orders", n)
		}
	})
}
