package order

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

func TestCanMove(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, to Status
		ok       bool
	}{
		{New, Paid, true}, {New, Preparing, true}, {New, Shipped, true}, {New, Cancelled, true}, {New, Returned, false},
		{AwaitingPayment, Paid, true}, {AwaitingPayment, New, true}, {AwaitingPayment, Cancelled, true}, {AwaitingPayment, Shipped, false},
		{Paid, Preparing, true}, {Paid, Shipped, true}, {Paid, Cancelled, true}, {Paid, New, false},
		{Preparing, Shipped, true}, {Preparing, Cancelled, true}, {Preparing, Paid, false},
		{Shipped, Returned, true}, {Shipped, Cancelled, false},
		{Cancelled, New, false}, {Cancelled, Paid, false}, {Returned, Shipped, false},
		{"bogus", Paid, false},
	} {
		if got := CanMove(tc.from, tc.to); got != tc.ok {
			t.Errorf("CanMove(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
}

func TestNewNumber(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC) // 2026-04-01 01:00 in Japan
	re := regexp.MustCompile(`^260401-[2-9A-HJKMNP-Z]{6}$`)
	seen := map[string]bool{}
	for range 1000 {
		n := NewNumber(now)
		if !re.MatchString(n) {
			t.Fatalf("number %q", n)
		}
		seen[n] = true
	}
	if len(seen) < 999 {
		t.Fatalf("only %d distinct numbers in 1000", len(seen))
	}
}

func TestBadMoveMessage(t *testing.T) {
	t.Parallel()
	err := checkMove(Cancelled, Paid)
	var e *shop.Error
	if !errors.As(err, &e) || e.Kind != shop.Conflict {
		t.Fatalf("got %v", err)
	}
	ja, en := i18n.T(i18n.Japanese, e.Key, e.Args...), i18n.T(i18n.English, e.Key, e.Args...)
	if ja != "この注文は現在の状態から「入金済み」に変更できません。" || en != `This order cannot be set to "Paid" from its current status.` {
		t.Fatalf("messages %q / %q", ja, en)
	}
	for _, s := range []Status{New, AwaitingPayment, Paid, Preparing, Shipped, Cancelled, Returned} {
		if k := "order.cannot_move_to." + string(s); i18n.T(i18n.English, k) == k {
			t.Errorf("no message for %s", k)
		}
	}
}
