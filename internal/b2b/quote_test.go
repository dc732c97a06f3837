package b2b

import (
	"context"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

func TestQuote(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		in := w.input(t, w.buyerA, order.BankTransfer, map[int64]int{w.std: 10, w.red: 20})
		qt, err := w.s.RequestQuote(ctx, w.buyerA, in.CartID, "20個以上の値引きをお願いします", "ja")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.RequestQuote(ctx, ordertest0(t, d), in.CartID, "", "ja"); shop.KindOf(err) != shop.Forbidden {
			t.Fatalf("a customer of no company asks: %v", err)
		}
		// Not priced yet: nothing to order.
		if err := w.s.AcceptQuote(ctx, w.buyerA, qt.ID, in.CartID); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("accept unpriced: %v", err)
		}
		send := func(off QuoteOffer) (*Quote, error) {
			var out *Quote
			err := d.Tx(ctx, func(tx *db.Tx) error {
				var err error
				out, err = w.s.SendQuote(ctx, tx, qt.ID, off, shop.Floor)
				return err
			})
			return out, err
		}
		lines := map[int]shop.Yen{}
		for _, l := range qt.Lines {
			lines[l.Line] = 900 // ¥900 without tax for both
		}
		today := time.Now().In(time.FixedZone("JST", 9*3600))
		if _, err := send(QuoteOffer{Prices: lines, ValidUntil: today.AddDate(0, 0, -1).Format("2006-01-02")}); field(err, "valid_until") == "" {
			t.Fatalf("validity in the past: %v", err)
		}
		if _, err := send(QuoteOffer{Prices: map[int]shop.Yen{1: -5}, ValidUntil: today.Format("2006-01-02")}); field(err, "price_1") == "" || field(err, "price_2") == "" {
			t.Fatalf("bad prices: %v", err)
		}
		sent, err := send(QuoteOffer{Prices: lines, ValidUntil: today.AddDate(0, 0, 7).Format("2006-01-02"), Conditions: "送料別途"})
		if err != nil {
			t.Fatal(err, fieldsOf(err))
		}
		// 10 × 990 (900 + 10%) + 20 × 972 (900 + 8%).
		if sent.Total != 10*990+20*972 {
			t.Fatalf("quoted total %d", sent.Total)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'b2b_quote_sent' AND customer_id = ?`, w.buyerA); n != 1 {
			t.Fatalf("quote mails %d", n)
		}
		// Company B cannot order from A's quote.
		cartB := w.input(t, w.buyerB, order.BankTransfer, nil).CartID
		if err := w.s.AcceptQuote(ctx, w.buyerB, qt.ID, cartB); shop.KindOf(err) != shop.Forbidden {
			t.Fatalf("B accepts A's quote: %v", err)
		}

		// Accepting refills the cart; the checkout prices it at the quote.
		if err := w.s.AcceptQuote(ctx, w.buyerA, qt.ID, in.CartID); err != nil {
			t.Fatal(err)
		}
		in.Key = "quote-order-1"
		// A cart changed after accepting is refused.
		if err := w.s.Carts.SetQty(ctx, in.CartID, w.std, 11); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Checkout.Place(ctx, in); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("changed cart: %v", err)
		}
		if err := w.s.AcceptQuote(ctx, w.buyerA, qt.ID, in.CartID); err != nil {
			t.Fatal(err)
		}
		o, err := w.s.Checkout.Place(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if o.Subtotal != sent.Total || o.Lines[0].UnitPrice != 990 && o.Lines[0].UnitPrice != 972 {
			t.Fatalf("order subtotal %d lines %+v", o.Subtotal, o.Lines)
		}
		if len(o.Rates) != 2 {
			t.Fatalf("rates %+v", o.Rates)
		}
		got, _ := quoteByID(ctx, d, qt.ID)
		if got.Status != QuoteAccepted || got.OrderNumber != o.Number {
			t.Fatalf("quote %s %s", got.Status, got.OrderNumber)
		}
		// Ordered once: a second acceptance is refused.
		if err := w.s.AcceptQuote(ctx, w.buyerA, qt.ID, in.CartID); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("accept twice: %v", err)
		}
	})
}

func TestQuote_Expired(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		in := w.input(t, w.buyerA, order.BankTransfer, map[int64]int{w.std: 1})
		qt, err := w.s.RequestQuote(ctx, w.buyerA, in.CartID, "", "en")
		if err != nil {
			t.Fatal(err)
		}
		valid := time.Now().In(time.FixedZone("JST", 9*3600)).AddDate(0, 0, 2)
		err = d.Tx(ctx, func(tx *db.Tx) error {
			_, err := w.s.SendQuote(ctx, tx, qt.ID, QuoteOffer{Prices: map[int]shop.Yen{1: 800}, ValidUntil: valid.Format("2006-01-02")}, shop.Floor)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Accepted into the cart while valid, ordered after the validity.
		if err := w.s.AcceptQuote(ctx, w.buyerA, qt.ID, in.CartID); err != nil {
			t.Fatal(err)
		}
		d.Clock = func() time.Time { return time.Now().AddDate(0, 0, 4) }
		_, err = w.s.Checkout.Place(ctx, in)
		if k, key := kindKey(err); k != shop.Conflict || key != "b2b.quote.expired" {
			t.Fatalf("ordered after expiry: %v", err)
		}
		if err := w.s.AcceptQuote(ctx, w.buyerA, qt.ID, in.CartID); shop.KindOf(err) != shop.Conflict {
			t.Fatalf("accepted after expiry: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
			t.Fatalf("%d orders", n)
		}
		got, _ := quoteByID(ctx, d, qt.ID)
		if got.State(d.Now()) != "expired" {
			t.Fatalf("state %s", got.State(d.Now()))
		}
	})
}
