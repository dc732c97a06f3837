package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/checkout"
	"github.com/akinai/akinai/internal/content"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

var dateOptionRE = regexp.MustCompile(`<option value="(\d{4}-\d{2}-\d{2})"`)

// TestContent_CheckoutDatesSkipClosedWeek closes the shop for the coming
// week in the holiday calendar: the checkout's first delivery date moves
// past it (lead time counted in business days), on the running shop.
func TestContent_CheckoutDatesSkipClosedWeek(t *testing.T) {
	t.Parallel()
	cfg := Config{DatabaseURL: dbtest.NewPostgresDatabase(t)}
	base := startShop(t, cfg)
	d := openShopDB(t, cfg)
	ctx := context.Background()
	vid := seedProduct(t, d, "yunomi-"+randHex(4), "standard", []string{"YU-" + randHex(4)}, []int{-1})[0]
	if _, err := d.Exec(ctx, `UPDATE variants SET lead_days = 2 WHERE id = ?`, vid); err != nil {
		t.Fatal(err)
	}
	var transit int
	if err := d.QueryRow(ctx, `SELECT transit_days FROM delivery_methods ORDER BY sort_order, id LIMIT 1`).Scan(&transit); err != nil {
		t.Fatal(err)
	}
	b := newBuyer(t, base)
	if resp, body, err := b.post(base+"/cart/add", url.Values{"variant_id": {fmt.Sprint(vid)}, "qty": {"1"}}); err != nil || resp.StatusCode != 303 {
		t.Fatalf("add to cart: %v %v %.300s", err, resp, body)
	}
	firstDate := func() string {
		t.Helper()
		// A date the shop cannot deliver on: the form comes back with
		// the dates it can.
		f := orderForm("", "cod")
		f.Set("date", "1999-01-01")
		resp, body, err := b.post(base+"/checkout", f)
		if err != nil {
			t.Fatal(err)
		}
		m := dateOptionRE.FindStringSubmatch(body)
		if resp.StatusCode != 422 || m == nil {
			t.Fatalf("checkout form %d without dates\n%.2000s", resp.StatusCode, body)
		}
		return m[1]
	}
	before := firstDate()

	// Close today and the six days after it.
	today := calendar.DateOf(time.Now())
	h, errs := content.ParseHoliday(today.String(), today.AddDays(6).String(), "棚卸し")
	if errs != nil {
		t.Fatal(errs)
	}
	if err := d.Tx(ctx, func(tx *db.Tx) error { return content.AddHoliday(ctx, tx, h) }); err != nil {
		t.Fatal(err)
	}
	after := firstDate()
	var closed []calendar.Date
	for i := range 7 {
		closed = append(closed, today.AddDays(i))
	}
	cal, _ := calendar.New(nil, closed)
	want, _ := cal.EarliestDelivery(time.Now(), 2, transit, checkout.CutoffHour)
	// Nothing ships in the closed week: the first open day is today+7, and
	// two business days of lead time come after it.
	if after != want.String() || after <= before || after < today.AddDays(9+transit).String() {
		t.Fatalf("first date %s with the closed week (before %s), want %s", after, before, want)
	}
}
