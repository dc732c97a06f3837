package content

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStore_Inquiries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		sh := settings.Shop{Name: "商い茶舗", Email: "shop@example.jp"}
		in, errs := ContactForm{Name: "山田 太郎", Kana: "ﾔﾏﾀﾞ タロウ", Email: "Taro@Example.jp", Phone: "090-1234-5678", Category: "order", Message: "注文番号 1001 について\n届きません"}.Validate()
		if errs != nil {
			t.Fatalf("valid form refused: %v", errs)
		}
		in.Lang = "ja"
		if err := d.Tx(ctx, func(tx *db.Tx) error { return CreateInquiry(ctx, tx, sh, in) }); err != nil {
			t.Fatal(err)
		}
		if in.Kana != "ヤマダ タロウ" || in.Phone != "09012345678" {
			t.Errorf("normalised kana %q phone %q", in.Kana, in.Phone)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'inquiry_ack' AND to_addr = ?`, in.Email); n != 1 {
			t.Errorf("acknowledgements %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'inquiry_notice' AND to_addr = ?`, "shop@example.jp"); n != 1 {
			t.Errorf("notices %d", n)
		}
		other := &Inquiry{Lang: "en", Name: "Jane", Email: "jane@example.com", Category: "other", Message: "hello"}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return CreateInquiry(ctx, tx, settings.Shop{}, other) }); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    InquiryQuery
			want int
		}{
			{InquiryQuery{}, 2},
			{InquiryQuery{Text: "1001"}, 1},
			{InquiryQuery{Text: "ヤマダ"}, 1},
			{InquiryQuery{Text: "100%"}, 0},
			{InquiryQuery{Status: StatusNew}, 2},
			{InquiryQuery{Status: StatusClosed}, 0},
		} {
			items, total, err := Inquiries(ctx, d, tc.q)
			if err != nil || total != tc.want || len(items) != tc.want {
				t.Errorf("%+v: %d items, total %d, %v; want %d", tc.q, len(items), total, err, tc.want)
			}
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if err := AddNote(ctx, tx, in.ID, "佐藤", "配送業者に確認中"); err != nil {
				return err
			}
			return Reply(ctx, tx, in, "佐藤", "Re: お問い合わせ", "本日発送いたしました。")
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := InquiryByID(ctx, d, in.ID)
		if got.Status != StatusOpen {
			t.Errorf("status after reply %q", got.Status)
		}
		th, err := Thread(ctx, d, in.ID)
		if err != nil || len(th) != 2 || th[0].Kind != "note" || th[1].Kind != "reply" || th[1].Subject != "Re: お問い合わせ" {
			t.Fatalf("thread %+v, %v", th, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'inquiry_reply' AND to_addr = ?`, in.Email); n != 1 {
			t.Errorf("replies mailed %d", n)
		}
		// A reply with a header injection in its subject: refused, nothing written.
		err = d.Tx(ctx, func(tx *db.Tx) error {
			return Reply(ctx, tx, in, "佐藤", "Hi\r\nBcc: victim@example.com", "body")
		})
		if shop.KindOf(err) != shop.Invalid || err.(*shop.Error).Fields["subject"] != "content.err.control" {
			t.Fatalf("injected subject: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE event = 'inquiry_reply'`); n != 1 {
			t.Errorf("replies after a refused one %d", n)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return UpdateInquiry(ctx, tx, in.ID, "bogus", 0) }); shop.KindOf(err) != shop.Invalid {
			t.Errorf("bad status: %v", err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return UpdateInquiry(ctx, tx, 999999, StatusClosed, 0) }); err != shop.ErrNotFound {
			t.Errorf("unknown inquiry: %v", err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return UpdateInquiry(ctx, tx, in.ID, StatusClosed, 0) }); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := Inquiries(ctx, d, InquiryQuery{Status: StatusClosed}); total != 1 {
			t.Errorf("closed %d", total)
		}
	})
}

func TestContactForm_BadInput(t *testing.T) {
	t.Parallel()
	ok := ContactForm{Name: "山田", Email: "a@example.jp", Category: "other", Message: "hi"}
	for _, tc := range []struct {
		name  string
		edit  func(f *ContactForm)
		field string
		key   string
	}{
		{"header injection in name", func(f *ContactForm) { f.Name = "Taro\r\nBcc: x@example.com" }, "name", "content.err.control"},
		{"NUL in name", func(f *ContactForm) { f.Name = "a\x00b" }, "name", "content.err.control"},
		{"line separator in name", func(f *ContactForm) { f.Name = "a\u2028b" }, "name", "content.err.control"},
		{"injection in email", func(f *ContactForm) { f.Email = "a@example.jp\nBcc: x@example.com" }, "email", "content.err.email"},
		{"oversized message", func(f *ContactForm) { f.Message = strings.Repeat("あ", MaxMessage+1) }, "message", "content.err.message_long"},
		{"control in message", func(f *ContactForm) { f.Message = "hi\x1b[31m" }, "message", "content.err.control"},
		{"invalid UTF-8", func(f *ContactForm) { f.Message = "\xff\xfe" }, "message", "content.err.control"},
		{"unknown category", func(f *ContactForm) { f.Category = "<script>" }, "category", "content.err.category"},
		{"empty name", func(f *ContactForm) { f.Name = "" }, "name", "content.err.required"},
		{"latin kana", func(f *ContactForm) { f.Kana = "Yamada" }, "kana", "content.err.kana"},
		{"bad phone", func(f *ContactForm) { f.Phone = "12" }, "phone", "content.err.phone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ok
			tc.edit(&f)
			in, errs := f.Validate()
			if in != nil || errs[tc.field] != tc.key {
				t.Fatalf("errors %v, want %s=%s", errs, tc.field, tc.key)
			}
		})
	}
	if _, errs := ok.Validate(); errs != nil {
		t.Fatalf("valid form: %v", errs)
	}
	f := ok
	f.Message = "改行\nとタブ\tは可"
	if _, errs := f.Validate(); errs != nil {
		t.Fatalf("line breaks refused: %v", errs)
	}
}

func TestStore_News(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := d.Now()
		items := []*News{
			{TitleJA: "年末年始の営業", PublishedAt: now.Add(-2 * time.Hour), Visible: true},
			{TitleJA: "予約投稿", PublishedAt: now.Add(48 * time.Hour), Visible: true},
			{TitleJA: "非公開", PublishedAt: now.Add(-time.Hour), Visible: false},
			{TitleJA: "新商品", TitleEN: "New tea", PublishedAt: now.Add(-time.Hour), Visible: true},
		}
		for _, n := range items {
			if err := d.Tx(ctx, func(tx *db.Tx) error { return SaveNews(ctx, tx, n) }); err != nil {
				t.Fatal(err)
			}
		}
		got, err := PublishedNews(ctx, d, now, 10)
		if err != nil || len(got) != 2 || got[0].TitleJA != "新商品" || got[1].TitleJA != "年末年始の営業" {
			t.Fatalf("published %v, %v", got, err)
		}
		if got[0].Title(true) != "New tea" || got[1].Title(true) != "年末年始の営業" {
			t.Errorf("English titles %q %q", got[0].Title(true), got[1].Title(true))
		}
		items[2].Visible = true
		if err := d.Tx(ctx, func(tx *db.Tx) error { return SaveNews(ctx, tx, items[2]) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := PublishedNews(ctx, d, now, 10); len(got) != 3 {
			t.Errorf("after showing: %d", len(got))
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return DeleteNews(ctx, tx, items[0].ID) }); err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error { return DeleteNews(ctx, tx, items[0].ID) }); err != shop.ErrNotFound {
			t.Errorf("second delete: %v", err)
		}
		if all, total, _ := AllNews(ctx, d, 50, 0); len(all) != 3 || total != 3 {
			t.Errorf("all %d of %d", len(all), total)
		}
		if page, total, _ := AllNews(ctx, d, 2, 2); len(page) != 1 || total != 3 {
			t.Errorf("second page of two: %d of %d", len(page), total)
		}
	})
}

func TestNewsForm_Validate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"", true}, {"https://example.jp/sale", true}, {"/pages/guide", true},
		{"javascript:alert(1)", false}, {"JavaScript:alert(1)", false}, {"//evil.example", false},
		{`https://x.jp/" onmouseover="alert(1)`, false}, {"data:text/html,<script>", false}, {"https:///nohost", false},
	} {
		_, errs := NewsForm{TitleJA: "t", URL: tc.url, PublishedAt: "2026-12-01T09:00"}.Validate()
		if (errs == nil) != tc.ok {
			t.Errorf("url %q: errors %v, want ok=%v", tc.url, errs, tc.ok)
		}
	}
	n, errs := NewsForm{TitleJA: "t", PublishedAt: "2026-12-01T09:00"}.Validate()
	if errs != nil || !n.PublishedAt.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("publish time %v (%v): 09:00 in Japan is 00:00 UTC", n.PublishedAt, errs)
	}
	if _, errs := (NewsForm{TitleJA: "a\r\nb", PublishedAt: "x"}).Validate(); errs["title_ja"] == "" || errs["published_at"] == "" {
		t.Errorf("bad title and date: %v", errs)
	}
}

// TestCalendars_DeliveryWeekWithHolidays: the New Year closure 12/29–1/3
// plus Sundays closed. An order on Saturday 12/26 after the cut-off with
// two days' lead ships on Wednesday 1/6 (Mon 12/28 is day one, then the
// shop is closed until Monday 1/4, day two... counted from Monday 12/28).
func TestCalendars_DeliveryWeekWithHolidays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := settings.New(d)
		h, errs := ParseHoliday("2026-12-29", "2027-01-03", "年末年始")
		if errs != nil {
			t.Fatal(errs)
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if err := SetClosedWeekdays(ctx, tx, st, []time.Weekday{time.Sunday}); err != nil {
				return err
			}
			return AddHoliday(ctx, tx, h)
		})
		if err != nil {
			t.Fatal(err)
		}
		cal, err := Calendars{}.Calendar(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		for day := 29; day <= 31; day++ {
			if cal.IsOpen(calendar.NewDate(2026, 12, day)) {
				t.Errorf("12/%d open", day)
			}
		}
		if cal.IsOpen(calendar.NewDate(2027, 1, 3)) || !cal.IsOpen(calendar.NewDate(2027, 1, 4)) || cal.IsOpen(calendar.NewDate(2027, 1, 10)) {
			t.Error("1/3 closed, 1/4 open, Sunday 1/10 closed")
		}
		// Saturday 12/26, 15:00 in Japan: after the noon cut-off, so the
		// order counts from Monday 12/28; two business days later is
		// Tuesday 1/5; one day in transit → Wednesday 1/6.
		now := time.Date(2026, 12, 26, 15, 0, 0, 0, calendar.Tokyo())
		got, err := cal.EarliestDelivery(now, 2, 1, 12)
		if err != nil || got != calendar.NewDate(2027, 1, 6) {
			t.Fatalf("earliest %v, %v; want 2027-01-06", got, err)
		}
		// Without the closure the same order arrives on 12/31.
		if err := d.Tx(ctx, func(tx *db.Tx) error { return DeleteHoliday(ctx, tx, h.ID) }); err != nil {
			t.Fatal(err)
		}
		cal, _ = Calendars{}.Calendar(ctx, d)
		if got, _ := cal.EarliestDelivery(now, 2, 1, 12); got != calendar.NewDate(2026, 12, 31) {
			t.Fatalf("without holidays %v", got)
		}
		if err := d.Tx(ctx, func(tx *db.Tx) error {
			return SetClosedWeekdays(ctx, tx, st, []time.Weekday{0, 1, 2, 3, 4, 5, 6})
		}); shop.KindOf(err) != shop.Invalid {
			t.Fatalf("all weekdays closed: %v", err)
		}
	})
}

func TestParseHoliday(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		first, last string
		field       string
	}{
		{"2026-12-29", "2027-01-03", ""},
		{"2026-05-03", "", ""},
		{"2026-13-01", "", "first"},
		{"2027-01-03", "2026-12-29", "last"},
		{"2026-01-01", "2036-01-01", "last"},
		{"2026-01-01", "2026-02-30", "last"},
	} {
		_, errs := ParseHoliday(tc.first, tc.last, "")
		if (tc.field == "" && errs != nil) || (tc.field != "" && errs[tc.field] == "") {
			t.Errorf("%s–%s: %v, want error on %q", tc.first, tc.last, errs, tc.field)
		}
	}
}
