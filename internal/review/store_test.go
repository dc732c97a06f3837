package review_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/order/ordertest"
	"github.com/akinai/akinai/internal/review"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStore_ReviewLifecycle(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		s := &review.Store{DB: d}
		pid, vid := ordertest.Product(t, d, "kyusu")
		other, ovid := ordertest.Product(t, d, "yunomi")
		buyer, guestish, canceller, unpaid := ordertest.Customer(t, d), ordertest.Customer(t, d), ordertest.Customer(t, d), ordertest.Customer(t, d)
		ordertest.Place(t, d, buyer, order.Shipped, map[int64]int64{pid: vid})
		ordertest.Place(t, d, guestish, order.Paid, map[int64]int64{other: ovid})
		ordertest.Place(t, d, canceller, order.Cancelled, map[int64]int64{pid: vid})
		ordertest.Place(t, d, unpaid, order.AwaitingPayment, map[int64]int64{pid: vid})
		ordertest.Place(t, d, 0, order.Paid, map[int64]int64{pid: vid})

		mk := func(cid int64, stars int) *review.Review {
			return &review.Review{ProductID: pid, CustomerID: cid, Nickname: "茶好き", Stars: stars, Title: "良い急須", Body: "<script>alert(1)</script>注ぎやすい", Lang: "ja", Address: "192.0.2.1"}
		}
		for name, cid := range map[string]int64{"bought another product": guestish, "cancelled": canceller, "awaiting payment": unpaid} {
			if err := s.Create(ctx, mk(cid, 5)); !errors.Is(err, review.ErrNotBought) {
				t.Errorf("%s: %v, want ErrNotBought", name, err)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM reviews`); n != 0 {
			t.Fatalf("%d reviews written by refused posts", n)
		}
		r := mk(buyer, 4)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.Status != review.Pending || !r.Verified() {
			t.Errorf("new review %+v", r)
		}
		if err := s.Create(ctx, mk(buyer, 1)); !errors.Is(err, review.ErrReviewed) {
			t.Errorf("second review: %v, want ErrReviewed", err)
		}
		// Pending reviews are not counted.
		if n, _, _, err := s.Summary(ctx, pid, 10); err != nil || n != 0 {
			t.Fatalf("summary with a pending review: %d %v", n, err)
		}
		mine, err := s.Mine(ctx, buyer, pid)
		if err != nil || mine == nil || mine.Body != r.Body {
			t.Fatalf("mine: %+v %v", mine, err)
		}
		entry := audit.Entry{ActorID: 0, Actor: "owner@example.jp", Action: "review.status", Target: fmt.Sprint(mine.ID)}
		if _, err := s.Moderate(ctx, mine.ID, review.Published, "owner@example.jp", entry); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetReply(ctx, mine.ID, "ご購入ありがとうございます。", audit.Entry{Actor: "owner@example.jp", Action: "review.reply"}); err != nil {
			t.Fatal(err)
		}
		n, avg, latest, err := s.Summary(ctx, pid, 10)
		if err != nil || n != 1 || avg != 4 || len(latest) != 1 || latest[0].Reply != "ご購入ありがとうございます。" || latest[0].Body != r.Body {
			t.Fatalf("summary: %d %v %+v %v", n, avg, latest, err)
		}
		if a := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('review.status', 'review.reply')`); a != 2 {
			t.Errorf("%d audit entries, want 2", a)
		}
		if _, err := s.Moderate(ctx, 999999, review.Published, "x", entry); shop.KindOf(err) != shop.NotFound {
			t.Errorf("moderate unknown: %v", err)
		}
		if _, err := s.Moderate(ctx, mine.ID, "deleted", "x", entry); shop.KindOf(err) != shop.Invalid {
			t.Errorf("unknown status: %v", err)
		}
		list, counts, err := s.List(ctx, review.Published, 1)
		if err != nil || len(list) != 1 || counts[review.Published] != 1 {
			t.Errorf("list: %v %v %v", list, counts, err)
		}
	})
}

func TestForm_Validate(t *testing.T) {
	t.Parallel()
	ok := review.Form{Nickname: " 茶好き ", Stars: "5", Title: "良い", Body: "<script>alert(1)</script>"}
	nick, stars, _, body, errs := ok.Validate()
	if len(errs) != 0 || nick != "茶好き" || stars != 5 || body != "<script>alert(1)</script>" {
		t.Fatalf("valid form: %q %d %q %v", nick, stars, body, errs)
	}
	for _, tc := range []struct {
		name  string
		f     review.Form
		field string
		key   string
	}{
		{"50 KB of text", review.Form{Nickname: "a", Stars: "3", Title: "t", Body: strings.Repeat("あ", 50*1024/3)}, "body", "review.err.body_too_long"},
		{"3001 characters", review.Form{Nickname: "a", Stars: "3", Title: "t", Body: strings.Repeat("x", review.MaxBody+1)}, "body", "review.err.body_too_long"},
		{"empty body", review.Form{Nickname: "a", Stars: "3", Title: "t", Body: "  "}, "body", "review.err.body_required"},
		{"no stars", review.Form{Nickname: "a", Title: "t", Body: "b"}, "stars", "review.err.stars"},
		{"six stars", review.Form{Nickname: "a", Stars: "6", Title: "t", Body: "b"}, "stars", "review.err.stars"},
		{"zero stars", review.Form{Nickname: "a", Stars: "0", Title: "t", Body: "b"}, "stars", "review.err.stars"},
		{"long title", review.Form{Nickname: "a", Stars: "1", Title: strings.Repeat("長", 51), Body: "b"}, "title", "review.err.title_too_long"},
		{"long nickname", review.Form{Nickname: strings.Repeat("名", 21), Stars: "1", Title: "t", Body: "b"}, "nickname", "review.err.nickname_too_long"},
	} {
		if _, _, _, _, errs := tc.f.Validate(); errs[tc.field] != tc.key {
			t.Errorf("%s: errors %v, want %s=%s", tc.name, errs, tc.field, tc.key)
		}
	}
	if n := review.MaxBody; n > 50*1024/3 {
		t.Fatalf("MaxBody %d lets 50 KB through", n)
	}
}
